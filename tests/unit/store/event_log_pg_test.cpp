// The durable event log in PostgreSQL (issue #18): one node's rows round-trip
// in the shared database, nodes do not see each other's users, and the lease
// epoch fences an older process that opened the same node's log.
#include "store_test_support.hpp"

#include <csignal>
#include <memory>
#include <string>
#include <vector>

#include "store/event_log_store.hpp"
#include "support/fake_openai.hpp"
#include "support/server_process.hpp"
#include "support/ws_client.hpp"

using namespace aw;
using namespace aw::test;

TEST_CASE("postgresql event log: rows round-trip per node, a second open fences the first") {
  std::string url = fresh_postgres_database();
  auto first = store::open_postgres_event_log(url, "gw-a", false);
  std::string big(70000, 'x');
  first->append({{"alice", "e-1", 2, true}},
                {{"alice", 1, 10, "{\"caf\xc3\xa9\":1}"}, {"alice", 2, 20, big}});
  first->append({{"alice", "e-1", 3, false}}, {{"alice", 3, 30, "{}"}});
  auto other = store::open_postgres_event_log(url, "gw-b", true);
  other->append({{"bob", "e-9", 1, true}}, {{"bob", 1, 5, "{}"}});
  CHECK(first->count() == 3);
  CHECK(first->prune(25, 1) == 2);  // alice 1 and 2: older than 25 ms, not the newest
  CHECK(first->count() == 1);

  // gw-a restarted elsewhere: its users, not gw-b's.
  auto second = store::open_postgres_event_log(url, "gw-a", false);
  auto users = second->load();
  REQUIRE(users.size() == 1);
  CHECK(users[0].user_id == "alice");
  CHECK(users[0].epoch == "e-1");
  CHECK(users[0].last_seq == 3);
  REQUIRE(users[0].events.size() == 1);
  CHECK(users[0].events[0].seq == 3);
  // The old process is fenced: it can write nothing more (so send nothing more).
  CHECK_THROWS_AS(first->append({{"alice", "e-1", 4, false}}, {{"alice", 4, 40, "{}"}}),
                  store::store_error);
  CHECK_THROWS_AS(first->forget("alice"), store::store_error);
  second->append({{"alice", "e-2", 1, true}}, {{"alice", 1, 50, "{\"new\":1}"}});
  users = second->load();
  REQUIRE(users.size() == 1);
  CHECK(users[0].epoch == "e-2");
  REQUIRE(users[0].events.size() == 1);
  CHECK(users[0].events[0].frame == "{\"new\":1}");
  second->forget("alice");
  CHECK(second->load().empty());
  auto bobs = other->load();
  REQUIRE(bobs.size() == 1);
  CHECK(bobs[0].user_id == "bob");
  // A batch larger than one statement's rows (1000) goes whole, in order.
  std::vector<std::string> frames;
  for (int i = 1; i <= 2500; ++i) frames.push_back("{\"n\":" + std::to_string(i) + "}");
  std::vector<store::event_log_row> many;
  for (std::uint64_t seq = 1; seq <= 2500; ++seq)
    many.push_back({"carol", seq, 60, frames[seq - 1]});
  second->append({{"carol", "e-c", 2500, true}}, many);
  users = second->load();
  REQUIRE(users.size() == 1);
  REQUIRE(users[0].events.size() == 2500);
  CHECK(users[0].events[1499].frame == "{\"n\":1500}");
  CHECK(users[0].events[2499].seq == 2500);
}

namespace {

std::size_t event_count(const std::vector<test::frame>& frames) {
  std::size_t n = 0;
  for (const auto& f : frames) n += f.has("seq") ? 1 : 0;
  return n;
}

bool run_completed(const std::vector<test::frame>& frames) {
  for (const auto& f : frames)
    if (f.type() == "agent_completed") return true;
  return false;
}

}  // namespace

TEST_CASE(
    "postgresql event log: node gw-a restarted elsewhere resumes its users, the old one is "
    "fenced") {
  test::fake_openai fake;
  REQUIRE(fake.wait_listening());
  std::string url = fresh_postgres_database();
  std::vector<std::string> common = {"STORE_URL=" + url, "NODE_ID=gw-a", "DURABLE_LOG=1"};
  auto slow = common;
  for (std::string e :
       {"LLM_PROVIDER=openai", "OPENAI_API_KEY=sk-test-secret-key-1234", "LLM_MODEL=fake-model",
        "LLM_TIMEOUT_S=60", "CHART_GENERATION_TIMEOUT_S=60"})
    slow.push_back(e);
  slow.push_back("LLM_BASE_URL=" + fake.base_url("/cfg/chunks=40,latency=8000"));
  test::server_process a(slow);  // its own DATA_DIR
  REQUIRE_MESSAGE(a.wait_listening(), a.log());
  constexpr int users = 5;
  std::vector<std::unique_ptr<test::ws_client>> old;
  for (int i = 0; i < users; ++i) {
    auto c = test::ws_client::connect(a.url("/ws?user_id=u" + std::to_string(i) + "&session_id=s"));
    REQUIRE(c);
    c->send(
        R"({"type":"analytics_request","correlation_id":"c1","payload":{"content":"Revenue by month"}})");
    REQUIRE(c->wait_for([](const auto& f) { return event_count(f) >= 3; }));
    old.push_back(std::move(c));
  }
  // gw-a hangs (alive, sockets open) and is replaced on another machine: a new DATA_DIR.
  a.send_signal(SIGSTOP);
  test::server_process b(common);
  REQUIRE_MESSAGE(b.wait_listening(), b.log());
  // Its runs in flight are run again there at once (the built-in model now).
  REQUIRE_MESSAGE(b.wait_log("\"runs_to_repeat\":\"5\"", 1, std::chrono::seconds(5)), b.log());
  for (int i = 0; i < users; ++i) {
    auto seen = old[i]->frames();
    std::string epoch = seen.front()["epoch"].GetString();
    long long last = 0;
    for (const auto& f : seen)
      if (f.has("seq")) last = f["seq"].GetInt64();
    auto back = test::ws_client::connect(b.url("/ws?user_id=u" + std::to_string(i) +
                                               "&session_id=s&last_seq=" + std::to_string(last) +
                                               "&epoch=" + epoch));
    REQUIRE(back);
    REQUIRE(back->wait_for([](const auto& f) { return run_completed(f); }));
    auto resumed = back->frames();
    CHECK(std::string(resumed.front()["epoch"].GetString()) == epoch);
    long long expect = last + 1;
    for (const auto& f : resumed) {
      CHECK(f.type() != "error");
      if (!f.has("seq")) continue;
      CHECK(f["seq"].GetInt64() == expect++);
      if (f.type() == "agent_completed")
        CHECK(std::string(f["data"]["status"].GetString()) == "success");
    }
  }
  // gw-a wakes up: its next commit is refused, so its clients get nothing the new owner
  // lacks; fenced, it exits at once (code 3) and its clients' sockets close, so that they
  // reconnect to the owner instead of waiting on a gateway that can send nothing.
  a.send_signal(SIGCONT);
  REQUIRE_MESSAGE(a.wait_log("fenced", 1, std::chrono::seconds(15)), a.log());
  for (auto& c : old) {
    CHECK(c->wait_closed());
    CHECK_FALSE(run_completed(c->frames()));
  }
  CHECK(a.stop() == 3);
}
