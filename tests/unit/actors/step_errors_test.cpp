// The CAF error category of aw::status (actors/step_errors.hpp): made on one
// side, read on the other, through CAF's binary serializer and across two
// actor systems connected over loopback.
#include "actors/step_errors.hpp"

#include <chrono>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <caf/all.hpp>
#include <caf/binary_deserializer.hpp>
#include <caf/binary_serializer.hpp>
#include <caf/io/middleman.hpp>

namespace aw::actors {
namespace {

using protocol::error_code;

TEST_CASE("step errors: a status becomes a caf::error and back") {
  auto err = make_error(status(error_code::llm_unavailable, "HTTP 500 after 3 attempts"));
  auto back = status_of(err);
  REQUIRE(back.has_value());
  CHECK(back->code() == error_code::llm_unavailable);
  CHECK(back->message() == "HTTP 500 after 3 attempts");
  CHECK(error_text(err) == "HTTP 500 after 3 attempts");
  CHECK_FALSE(is_cluster_error(err));

  // Every code survives, the first (0, which CAF would take for no error) and the last too.
  for (auto code : {error_code::invalid_json, error_code::worker_lost, protocol::last_error_code}) {
    CHECK(static_cast<bool>(make_error(code, "x")));
    auto s = status_of(make_error(code, "x"));
    REQUIRE(s.has_value());
    CHECK(s->code() == code);
  }
}

TEST_CASE("step errors: CAF's own errors and cluster errors carry no status") {
  CHECK_FALSE(status_of(caf::make_error(caf::sec::request_timeout)).has_value());
  CHECK_FALSE(status_of(caf::error{}).has_value());
  auto invalid = make_error(cluster_error::invalid_reply, "the render reply is invalid");
  CHECK_FALSE(status_of(invalid).has_value());
  CHECK(is_invalid_reply(invalid));
  CHECK(error_text(invalid) == "the render reply is invalid");
}

TEST_CASE("step errors: a hostile status error is refused or bounded") {
  // A code past the last protocol error code is not a status.
  caf::error unknown{std::uint8_t{200}, caf::atom("awstatus"), caf::make_message(std::string("x"))};
  CHECK_FALSE(status_of(unknown).has_value());
  // A context that is not one string gives an empty message.
  auto odd = make_error(error_code::timeout, "");
  odd.context() = caf::make_message(42, std::string("y"));
  auto s = status_of(odd);
  REQUIRE(s.has_value());
  CHECK(s->code() == error_code::timeout);
  CHECK(s->message().empty());
  // A long message is cut for the log.
  auto long_one = status_of(make_error(error_code::render_failed, std::string(100000, 'a')));
  REQUIRE(long_one.has_value());
  CHECK(long_one->message().size() == 4096);
}

TEST_CASE("step errors: the binary serializer keeps the code and the message") {
  caf::actor_system_config cfg;
  caf::actor_system system{cfg};
  auto err = make_error(error_code::worker_lost, "node w-2 died");
  std::vector<char> buf;
  caf::binary_serializer sink{system, buf};
  REQUIRE_FALSE(sink(err));
  caf::error read;
  caf::binary_deserializer source{system, buf};
  REQUIRE_FALSE(source(read));
  auto s = status_of(read);
  REQUIRE(s.has_value());
  CHECK(s->code() == error_code::worker_lost);
  CHECK(s->message() == "node w-2 died");
}

TEST_CASE("step errors: the registered renderer names the code") {
  caf::actor_system_config cfg;
  add_error_categories(cfg);
  caf::actor_system system{cfg};
  CHECK(system.render(make_error(error_code::llm_unavailable, "queue full")) ==
        "awstatus: LLM_UNAVAILABLE (queue full)");
  CHECK(system.render(make_error(cluster_error::version_mismatch, "3 != 2")) ==
        "awcluster: version_mismatch (3 != 2)");
}

// Fails every step it is asked for. A class, not a function: CAF 0.17 spawns
// a function that takes no arguments through a null shared_ptr<tuple<>>,
// which UBSan reports (reference binding to null pointer).
class failing_step : public caf::event_based_actor {
 public:
  using caf::event_based_actor::event_based_actor;
  caf::behavior make_behavior() override {
    return {[](const std::string& step) -> caf::result<std::string> {
      return make_error(error_code::llm_unavailable, step + ": the model is down");
    }};
  }
};

TEST_CASE("step errors: a status crosses from one node to another") {
  caf::actor_system_config server_cfg;
  server_cfg.load<caf::io::middleman>();
  add_error_categories(server_cfg);
  caf::actor_system server{server_cfg};
  caf::actor_system_config client_cfg;
  client_cfg.load<caf::io::middleman>();
  add_error_categories(client_cfg);
  caf::actor_system client{client_cfg};

  auto failing = server.spawn<failing_step>();
  auto port = server.middleman().publish(failing, 0, "127.0.0.1");
  REQUIRE(port);
  auto remote = client.middleman().remote_actor("127.0.0.1", *port);
  REQUIRE(remote);

  caf::scoped_actor self{client};
  std::optional<status> got;
  self->request(*remote, std::chrono::seconds(10), std::string("generate"))
      .receive([](const std::string&) { FAIL("the remote actor answered"); },
               [&](caf::error& err) { got = status_of(err); });
  REQUIRE(got.has_value());
  CHECK(got->code() == error_code::llm_unavailable);
  CHECK(got->message() == "generate: the model is down");

  caf::anon_send_exit(failing, caf::exit_reason::user_shutdown);
  server.middleman().unpublish(failing, *port);
}

}  // namespace
}  // namespace aw::actors
