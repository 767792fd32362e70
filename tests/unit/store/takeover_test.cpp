// Takeover (issue #18): gateways sharing one PostgreSQL event log. A user
// whose gateway's lease has expired is taken over by the gateway it reaches
// next (same epoch, its seq continued, its in-flight runs run again there and
// ended once); while that lease is live, the other gateway refuses the user.
#include "store_test_support.hpp"
#include "takeover_support.hpp"

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "e2e/run_helpers.hpp"
#include "store/event_log_store.hpp"
#include "support/fake_openai.hpp"
#include "support/http_client.hpp"
#include "support/server_process.hpp"
#include "support/tcp_proxy.hpp"
#include "support/ws_client.hpp"

using namespace aw;
using namespace aw::test;
using outcome = store::claim_result::outcome;
using steady = std::chrono::steady_clock;

TEST_CASE("postgresql event log: a user is claimed once, taken over only after its lease expires") {
  std::string url = fresh_postgres_database();
  auto a = store::open_postgres_event_log(url, "gw-a", false, 300);  // a 0.3 s lease
  auto b = store::open_postgres_event_log(url, "gw-b", false, 60000);
  CHECK(a->claim("alice", "e-1").result == outcome::fresh);
  a->append({{"alice", "e-1", 2, true}}, {{"alice", 1, 10, "{\"n\":1}"}, {"alice", 2, 20, "{}"}});
  CHECK(a->claim("alice", "e-other").result == outcome::own);

  // gw-a's lease is live: gw-b may not take alice.
  auto refused = b->claim("alice", "e-2");
  CHECK(refused.result == outcome::owned_elsewhere);
  CHECK(refused.from_node == "gw-a");

  // gw-a stops renewing; once its lease is over, gw-b takes alice whole.
  store::claim_result taken;
  auto deadline = steady::now() + std::chrono::seconds(5);
  int tries = 0;
  while (steady::now() < deadline && tries++ < 200) {
    taken = b->claim("alice", "e-2");
    if (taken.result != outcome::owned_elsewhere) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));  // a client's retry pause
  }
  REQUIRE(taken.result == outcome::taken_over);
  CHECK(taken.from_node == "gw-a");
  CHECK(taken.user.epoch == "e-1");
  CHECK(taken.user.last_seq == 2);
  REQUIRE(taken.user.events.size() == 2);
  CHECK(taken.user.events[0].frame == "{\"n\":1}");
  // gw-a is fenced: a late write of it fails (so it sends nothing more).
  CHECK_THROWS_AS(a->append({{"alice", "e-1", 3, false}}, {{"alice", 3, 30, "{}"}}),
                  store::store_error);
  CHECK_THROWS_AS(a->renew(), store::store_error);
  CHECK(b->claim("alice", "e-3").result == outcome::own);
  b->append({{"alice", "e-1", 3, false}}, {{"alice", 3, 40, "{}"}});
  CHECK(b->load().at(0).last_seq == 3);
  // A third node finds alice on gw-b, which is alive.
  auto c = store::open_postgres_event_log(url, "gw-c", false, 60000);
  CHECK(c->claim("alice", "e-4").result == outcome::owned_elsewhere);
  CHECK(c->claim("bob", "e-5").result == outcome::fresh);
  CHECK(b->claim("bob", "e-6").result == outcome::owned_elsewhere);
  // gw-a restarted with the same NODE_ID: alice is no longer among its users.
  auto a2 = store::open_postgres_event_log(url, "gw-a", false, 60000);
  CHECK(a2->load().empty());

  // Handoff: gw-c asked for alice (refused above), so gw-b lists her as wanted;
  // gw-b releases her (its session there gone) and gw-c's next claim moves her.
  REQUIRE(b->wanted() == std::vector<std::string>{"alice"});
  auto owner_epoch = b->claim("alice", "e-7").user.owner_epoch;  // a newer session on gw-b
  b->release("alice", owner_epoch - 1);  // a stale release (the older session): no effect
  CHECK(c->claim("alice", "e-8").result == outcome::owned_elsewhere);
  b->release("alice", owner_epoch);
  CHECK(b->wanted().empty());
  CHECK(b->load().empty());  // released: not gw-b's at its next start
  auto handed = c->claim("alice", "e-9");
  CHECK(handed.result == outcome::handed_over);
  CHECK(handed.from_node == "gw-b");
  CHECK(handed.user.epoch == "e-1");
  CHECK(handed.user.last_seq == 3);
  b->append({{"bob", "e-6", 1, true}}, {{"bob", 1, 50, "{}"}});  // gw-b was not fenced
}

TEST_CASE(
    "postgresql event log: gateway A killed mid-run, its users resume on gateway B through a "
    "proxy") {
  fake_openai fake;
  REQUIRE(fake.wait_listening());
  std::string url = fresh_postgres_database();
  // A model that takes 20 s per answer: every run is in flight at the kill.
  server_process a(gateway_env(url, "gw-a", fake.base_url("/cfg/chunks=40,latency=20000")));
  server_process b(gateway_env(url, "gw-b"));
  REQUIRE_MESSAGE(a.wait_listening(), a.log());
  REQUIRE_MESSAGE(b.wait_listening(), b.log());
  tcp_proxy proxy(a.port());  // nginx's part: A first, B once A is dead

  constexpr int users = 20;
  auto user = [](int i) { return "tk-" + std::to_string(i); };
  std::vector<std::unique_ptr<ws_client>> first;
  std::vector<std::string> epochs;
  for (int i = 0; i < users; ++i) {
    epochs.emplace_back();
    first.push_back(open_and_ask(proxy.port(), user(i), "gw-a", &epochs.back()));
  }
  for (auto& c : first)
    REQUIRE(
        c->wait_for([](const auto& f) { return event_count(f) >= 3; }, std::chrono::seconds(15)));

  // While A lives, B does not serve A's users: closed 1013 (try again later), nothing sent.
  auto direct = ws_client::connect(b.url("/ws?user_id=" + user(0) + "&session_id=s"));
  REQUIRE(direct);
  REQUIRE(direct->wait_closed());
  CHECK(direct->close_code() == 1013);
  CHECK(direct->frames().empty());

  a.kill_hard();
  auto killed = steady::now();
  proxy.retarget(b.port());
  auto seen = frames_at_kill(first);

  // Clients reconnect through the proxy with last_seq and epoch, pausing 100 ms
  // after each 1013, until A's lease is over and B takes them.
  double takeover_ms = -1;
  int refusals = 0;
  std::vector<long long> final_seq(users, 0);
  for (int i = 0; i < users; ++i) {
    std::string query = "&last_seq=" + std::to_string(max_seq(seen[i])) + "&epoch=" + epochs[i];
    auto back =
        connect_until_acked(proxy.port(), user(i), query, 150, std::chrono::seconds(15), &refusals);
    REQUIRE_MESSAGE(back, user(i), " was not taken over; B's log: ", b.log());
    if (takeover_ms < 0)
      takeover_ms = std::chrono::duration<double, std::milli>(steady::now() - killed).count();
    REQUIRE(back->wait_for([](const auto& f) { return completed(f, "c-1"); },
                           std::chrono::seconds(10)));
    auto resumed = back->frames();
    auto all = resumed_events(user(i), seen[i], resumed, "gw-b", epochs[i]);
    // Run again on B under the same run_id (its built-in model): it finishes.
    auto run = run_events(all, "c-1");
    const auto& done = *run.back();
    CHECK(std::string(done["data"]["status"].GetString()) == "success");
    CHECK(std::string((*run.front())["run_id"].GetString()) == done["run_id"].GetString());
    final_seq[i] = max_seq(all);
    if (i == 0) {
      // The user goes on on B in the same history: a new run continues the seq.
      auto before = max_seq(resumed);
      back->send(request_json("c-2", "Show revenue by quarter as a bar chart"));
      REQUIRE(back->wait_for([](const auto& f) { return completed(f, "c-2"); },
                             std::chrono::seconds(20)));
      auto later = back->frames();
      auto next = run_events(later, "c-2");
      CHECK((*next.front())["seq"].GetInt64() == before + 1);
      CHECK(std::string((*next.back())["data"]["status"].GetString()) == "success");
      for (const auto* e : next) all.push_back(*e);
      CHECK_MESSAGE(check_seq(all).empty(), check_seq(all));
    }
  }
  MESSAGE("first user taken over ", takeover_ms, " ms after the kill (lease 2 s), ", refusals,
          " reconnects refused 1013 before");
  // gw-a comes back (same NODE_ID) and the proxy sends users to it again: a
  // user gw-b took over is refused there (1013) until gw-b, told that gw-a
  // asks for it, hands it over from its idle session: same epoch, no gap.
  server_process a2(gateway_env(url, "gw-a"));
  REQUIRE_MESSAGE(a2.wait_listening(), a2.log());
  proxy.retarget(a2.port());
  auto started = steady::now();
  auto home = connect_until_acked(
      proxy.port(), user(1), "&last_seq=" + std::to_string(final_seq[1]) + "&epoch=" + epochs[1],
      100, std::chrono::seconds(10));
  REQUIRE_MESSAGE(home, "not handed back; gw-b: ", b.log());
  MESSAGE("handed back to the restarted gw-a after ",
          std::chrono::duration<double, std::milli>(steady::now() - started).count(), " ms");
  auto ack = home->frames().front();
  CHECK(ack.type() == "connection_ack");
  CHECK(std::string(ack["node"].GetString()) == "gw-a");
  CHECK(std::string(ack["epoch"].GetString()) == epochs[1]);
  CHECK(ack["last_seq"].GetInt64() == final_seq[1]);
  home->send(request_json("c-3", "Show revenue by quarter as a bar chart"));
  REQUIRE(
      home->wait_for([](const auto& f) { return completed(f, "c-3"); }, std::chrono::seconds(20)));
  auto home_frames = home->frames();
  for (const auto& f : home_frames) CHECK(f.type() != "error");
  CHECK((*run_events(home_frames, "c-3").front())["seq"].GetInt64() == final_seq[1] + 1);
  CHECK(check_seq(home_frames).empty());
  CHECK(metric(http_request(a2.port(), "GET", "/metrics").body,
               "agentwire_durable_log_handoffs_total") == 1);
  CHECK(takeover_ms < 6000);
  auto metrics = http_request(b.port(), "GET", "/metrics").body;
  CHECK(metric(metrics, "agentwire_durable_log_takeovers_total") == users);
  CHECK(metric(metrics, "agentwire_durable_log_recovered_runs_total") == 0);
  CHECK(metric(metrics, "agentwire_durable_log_reruns_total") == users);
  CHECK(metric(metrics, "agentwire_durable_log_claims_refused_total") >= 1);
  CHECK(metric(metrics, "agentwire_closes_total{code=\"1013\"}") >= 1);
  CHECK(metric(metrics, "agentwire_durable_log_up") == 1);
  auto health = json_of(http_request(b.port(), "GET", "/health"));
  CHECK(health["durable_log"]["takeovers"].GetInt64() == users);
  CHECK(b.log_count("user taken over from a gateway whose lease expired") == users);
}
