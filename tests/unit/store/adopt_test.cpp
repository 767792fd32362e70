// Adoption (issue #18): a gateway dies and none of its users comes back. The
// surviving gateway (the live one with the smallest NODE_ID) claims them all
// the same once the dead one's lease is over, and re-runs their runs, so every
// run finishes and is in the log and the history for whenever a user returns.
#include "store_test_support.hpp"
#include "takeover_support.hpp"

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "e2e/run_helpers.hpp"
#include "support/fake_openai.hpp"
#include "support/http_client.hpp"
#include "support/server_process.hpp"
#include "support/ws_client.hpp"

using namespace aw;
using namespace aw::test;

TEST_CASE("postgresql event log: a dead gateway's users are adopted by the survivor, runs finish") {
  fake_openai fake;
  REQUIRE(fake.wait_listening());
  std::string url = fresh_postgres_database();
  // A model that takes 20 s per answer: every run is in flight at the kill.
  server_process a(gateway_env(url, "gw-a", fake.base_url("/cfg/chunks=40,latency=20000")));
  server_process b(gateway_env(url, "gw-b"));
  REQUIRE_MESSAGE(a.wait_listening(), a.log());
  REQUIRE_MESSAGE(b.wait_listening(), b.log());

  constexpr int users = 5;
  auto user = [](int i) { return "orphan-" + std::to_string(i); };
  std::vector<std::unique_ptr<ws_client>> clients;
  std::vector<std::string> epochs(users);
  for (int i = 0; i < users; ++i)
    clients.push_back(open_and_ask(a.port(), user(i), "gw-a", &epochs[i]));
  for (auto& c : clients)
    REQUIRE(
        c->wait_for([](const auto& f) { return event_count(f) >= 3; }, std::chrono::seconds(15)));
  a.kill_hard();
  auto seen = frames_at_kill(clients);  // nobody reconnects

  // gw-b adopts them once gw-a's lease is over, and re-runs each run.
  REQUIRE_MESSAGE(b.wait_log("user of a dead gateway adopted", users, std::chrono::seconds(15)),
                  b.log());
  REQUIRE_MESSAGE(b.wait_log("\"msg\":\"run finished\"", users, std::chrono::seconds(30)), b.log());
  auto metrics = http_request(b.port(), "GET", "/metrics").body;
  CHECK(metric(metrics, "agentwire_durable_log_takeovers_total") == users);
  CHECK(metric(metrics, "agentwire_durable_log_reruns_total") == users);
  CHECK(metric(metrics, "agentwire_runs_total{status=\"success\"}") == users);
  CHECK(metric(metrics, "agentwire_closes_total{code=\"1013\"}") == 0);

  // A user who comes back later finds the finished run, in the same history.
  auto back = connect_until_acked(
      b.port(), user(0), "&last_seq=" + std::to_string(max_seq(seen[0])) + "&epoch=" + epochs[0],
      20, std::chrono::seconds(5));
  REQUIRE(back);
  REQUIRE(
      back->wait_for([](const auto& f) { return completed(f, "c-1"); }, std::chrono::seconds(10)));
  auto all = resumed_events(user(0), seen[0], back->frames(), "gw-b", epochs[0]);
  CHECK(std::string((*run_events(all, "c-1").back())["data"]["status"].GetString()) == "success");
}
