// Chart images in the shared store (issue #22 item 2): PostgreSQL keeps them
// for every gateway; SQLite (one gateway's DATA_DIR) keeps none.
#include "store_test_support.hpp"

#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "actors/chart_store.hpp"
#include "support/http_client.hpp"
#include "support/server_process.hpp"
#include "support/ws_client.hpp"

using namespace aw;
using namespace aw::test;

namespace {

// Every byte value, so that an encoding slip shows.
std::string all_bytes() {
  std::string s;
  for (int i = 0; i < 256; ++i) s += static_cast<char>(i);
  return "\x89PNG\r\n\x1a\n" + s + s;
}

}  // namespace

TEST_CASE(
    "postgresql keeps chart images byte for byte, bounded by max_bytes, removed by retention") {
  postgres_backend backend;
  auto s = backend.open();
  CHECK(s->keeps_charts());
  std::string bytes = all_bytes();
  s->put_chart("ch-1-a", "alice", "image/png", bytes, 1000);
  s->put_chart("ch-1-a", "mallory", "image/svg+xml", "x", 1000);  // an id keeps its first image
  s->put_chart("ch-2-b", "bob", "image/svg+xml", "<svg/>", t0);
  auto back = s->get_chart("ch-1-a", 1 << 20);
  REQUIRE(back);
  CHECK(back->owner == "alice");
  CHECK(back->content_type == "image/png");
  CHECK(back->bytes == bytes);
  CHECK_FALSE(s->get_chart("ch-1-a", bytes.size() - 1));  // over max_bytes
  CHECK_FALSE(s->get_chart("ch-none", 1 << 20));
  s->remove_older_than(5000);
  CHECK_FALSE(s->get_chart("ch-1-a", 1 << 20));
  CHECK(s->get_chart("ch-2-b", 1 << 20));
}

TEST_CASE("sqlite keeps no charts: they stay files under DATA_DIR") {
  sqlite_backend backend;
  auto s = backend.open();
  CHECK_FALSE(s->keeps_charts());
  CHECK_THROWS_AS(s->put_chart("ch-1", "alice", "image/png", "x", t0), store::store_error);
  CHECK_FALSE(s->get_chart("ch-1", 1 << 20));
}

TEST_CASE("two gateways on one PostgreSQL: a chart put on one loads on the other") {
  postgres_backend backend;
  actors::chart_store gateway_a(1 << 20);
  actors::chart_store gateway_b(1 << 20);
  gateway_a.persist_to_store(backend.open());  // each its own connection, as the gateways do
  gateway_b.persist_to_store(backend.open());
  auto image = std::make_shared<const std::string>(all_bytes());
  std::string id = gateway_a.put("alice", "image/png", image);
  REQUIRE(gateway_a.wait_written(std::chrono::seconds(10)));
  CHECK(gateway_a.files_written() == 1);
  CHECK_FALSE(gateway_b.get(id));             // not in B's memory...
  auto loaded = gateway_b.load(id, 1 << 20);  // ...but B serves it from the store
  REQUIRE(loaded);
  CHECK(loaded->owner == "alice");
  CHECK(loaded->content_type == "image/png");
  CHECK(*loaded->bytes == *image);
  CHECK_FALSE(gateway_b.load("ch-missing", 1 << 20));
  CHECK_FALSE(gateway_b.load("../etc/passwd", 1 << 20));
}

// The real binary, twice, on one PostgreSQL with separate DATA_DIRs: the
// chart_url one gateway hands out works on the other (a failover, a
// replaced pod).
TEST_CASE("two gateway processes on one PostgreSQL: either one serves a chart the other drew") {
  postgres_backend backend;
  test::server_process a({"STORE_URL=" + backend.url, "NODE_ID=gw-a"});
  test::server_process b({"STORE_URL=" + backend.url, "NODE_ID=gw-b"});
  REQUIRE_MESSAGE(a.wait_listening(), a.log());
  REQUIRE_MESSAGE(b.wait_listening(), b.log());
  CHECK(a.log().find("charts are kept in the history store") != std::string::npos);

  auto c = test::ws_client::connect(a.url("/ws?user_id=alice&session_id=s1"));
  REQUIRE(c);
  c->send(
      R"({"type":"analytics_request","correlation_id":"c-1","payload":{"content":"Show quarterly revenue"}})");
  std::string url;
  REQUIRE(c->wait_for(
      [&](const std::vector<test::frame>& frames) {
        for (const auto& f : frames)
          if (f.type() == "agent_completed" && f.has("data") && f["data"].HasMember("response")) {
            url = f["data"]["response"]["chart_url"].GetString();
            return true;
          }
        return false;
      },
      std::chrono::seconds(60)));
  REQUIRE(url.rfind("/charts/", 0) == 0);
  // The chart store writes on its own thread: poll B, bounded.
  test::http_response r;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  while (std::chrono::steady_clock::now() < deadline) {
    r = test::http_request(b.port(), "GET", url);
    if (r.status == 200) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  CHECK(r.status == 200);
  CHECK(r.header("Content-Type") == "image/png");
  CHECK(r.body.compare(0, 8, "\x89PNG\r\n\x1a\n") == 0);
}
