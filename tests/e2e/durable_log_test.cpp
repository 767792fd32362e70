// End-to-end, issue #18 on one node: users mid-run, the server killed with
// SIGKILL, restarted on the same DATA_DIR with DURABLE_LOG=1. Every run in
// flight is run again at start-up under its run_id and finishes; every client
// resumes with last_seq and epoch: same epoch, no RESUME_GAP, no gap, no
// duplicate, no step twice, and every started run ends exactly once.
#include <doctest/doctest.h>

#include <sqlite3.h>

#include <chrono>
#include <string>
#include <vector>

#include "e2e/run_helpers.hpp"
#include "support/fake_openai.hpp"
#include "support/http_client.hpp"
#include "support/server_process.hpp"
#include "support/ws_client.hpp"

using namespace aw::test;

namespace {

constexpr int users = 100;

std::string user(int i) {
  return "dl-user-" + std::to_string(i);
}

std::string cid(int i) {
  return "c-" + std::to_string(i);
}

}  // namespace

TEST_CASE("durable log: 100 users mid-run, kill -9, restart on the same DATA_DIR, all resume") {
  fake_openai fake;
  REQUIRE(fake.wait_listening());
  temp_dir data("aw-durable");
  // A model that takes 20 s per answer, streamed: every run is in flight at the kill.
  auto server = start_in(
      data.path, {"DURABLE_LOG=1", "LLM_PROVIDER=openai", "OPENAI_API_KEY=sk-test-secret-key-1234",
                  "LLM_BASE_URL=" + fake.base_url("/cfg/chunks=40,latency=20000"),
                  "LLM_MODEL=fake-model", "LLM_TIMEOUT_S=60", "CHART_GENERATION_TIMEOUT_S=60"});
  std::vector<std::unique_ptr<ws_client>> first;
  std::vector<std::string> epochs;
  for (int i = 0; i < users; ++i) {
    first.push_back(open_user(*server, user(i)));
    epochs.push_back(first.back()->frames().front()["epoch"].GetString());
    first.back()->send(request_json(cid(i), "Show monthly revenue for 2024"));
  }
  // Each run has started and got into its steps (the session's two events and a tool).
  for (auto& c : first)
    REQUIRE(
        c->wait_for([](const auto& f) { return event_count(f) >= 3; }, std::chrono::seconds(15)));
  auto health = json_of(http_request(server->port(), "GET", "/health"));
  REQUIRE(health.HasMember("durable_log"));
  CHECK(health["durable_log"]["up"].GetBool());
  server->kill_hard();

  std::vector<std::vector<frame>> seen;
  for (auto& c : first) {
    seen.push_back(c->frames());
    CHECK_MESSAGE(!completed(seen.back(), cid(static_cast<int>(seen.size() - 1))),
                  "a run ended before the kill");
  }
  first.clear();

  // Restarted without the slow model (the built-in one now): every run in
  // flight is run again at once, and finishes before its user is back.
  auto again = start_in(data.path, {"DURABLE_LOG=1"});
  REQUIRE_MESSAGE(again->wait_log("\"runs_to_repeat\":\"" + std::to_string(users) + "\"", 1,
                                  std::chrono::seconds(10)),
                  again->log());
  CHECK(again->log_count("\"runs_ended_gateway_lost\":\"0\"") == 1);
  REQUIRE_MESSAGE(again->wait_log("\"msg\":\"run finished\"", users, std::chrono::seconds(60)),
                  again->log());
  for (int i = 0; i < users; ++i) {
    auto last = max_seq(seen[i]);
    auto back = open_user(*again, user(i), "s2",
                          "&last_seq=" + std::to_string(last) + "&epoch=" + epochs[i]);
    REQUIRE(back->wait_for([&](const auto& f) { return completed(f, cid(i)); },
                           std::chrono::seconds(10)));
    auto resumed = back->frames();
    CHECK(std::string(resumed.front()["epoch"].GetString()) == epochs[i]);
    std::vector<frame> all = seen[i];
    for (const auto& f : resumed) {
      CHECK(f.type() != "error");  // no RESUME_GAP, nothing else either
      if (f.has("seq")) all.push_back(f);
    }
    CHECK_MESSAGE(check_seq(all) == "", user(i), ": ", check_seq(all));
    CHECK_MESSAGE(check_run(all, cid(i)) == "", check_run(all, cid(i)));
    auto run = run_events(all, cid(i));
    const auto& done = *run.back();
    CHECK(std::string(done["data"]["status"].GetString()) == "success");
    CHECK(std::string((*run.front())["run_id"].GetString()) == done["run_id"].GetString());
    if (i == 0) {
      // The user goes on in the same history: a new run continues the seq.
      auto before = max_seq(back->frames());
      back->send(request_json("c-next", "Show revenue by quarter as a bar chart"));
      REQUIRE(back->wait_for([](const auto& f) { return completed(f, "c-next"); },
                             std::chrono::seconds(20)));
      auto later = back->frames();  // run_events points into it
      auto next = run_events(later, "c-next");
      CHECK((*next.front())["seq"].GetInt64() == before + 1);
      CHECK(std::string((*next.back())["data"]["status"].GetString()) == "success");
      for (const auto* e : next) all.push_back(*e);
      CHECK_MESSAGE(check_seq(all).empty(), check_seq(all));
    }
  }
  auto metrics = http_request(again->port(), "GET", "/metrics").body;
  CHECK(metric(metrics, "agentwire_durable_log_recovered_runs_total") == 0);
  CHECK(metric(metrics, "agentwire_durable_log_reruns_total") == users);
  CHECK(metric(metrics, "agentwire_durable_log_reruns_diverged_total") == 0);
  CHECK(metric(metrics, "agentwire_runs_total{status=\"success\"}") == users + 1);
  CHECK(metric(metrics, "agentwire_durable_log_recovered_users_total") == users);
  CHECK(metric(metrics, "agentwire_durable_log_pending_events") == 0);
  CHECK(metric(metrics, "agentwire_durable_log_up") == 1);
  // A second restart finds nothing in flight: each run ended exactly once.
  CHECK(again->stop() == 0);
  auto third = start_in(data.path, {"DURABLE_LOG=1"});
  auto h3 = json_of(http_request(third->port(), "GET", "/health"));
  CHECK(h3["durable_log"]["recovered_runs"].GetInt64() == 0);
  CHECK(h3["durable_log"]["reruns"].GetInt64() == 0);
  CHECK(h3["durable_log"]["recovered_users"].GetInt64() == users);
}

namespace {

// Holds the event log's write lock from outside the server, as a stalled disk would.
struct write_lock {
  sqlite3* db = nullptr;
  explicit write_lock(const std::string& path) {
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    REQUIRE(sqlite3_exec(db, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr) == SQLITE_OK);
  }
  void release() {
    if (db == nullptr) return;
    sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close(db);
    db = nullptr;
  }
  ~write_lock() { release(); }
};

std::int64_t pending_bytes(const server_process& s) {
  auto h = json_of(http_request(s.port(), "GET", "/health"));
  return h["durable_log"]["pending_bytes"].GetInt64();
}

}  // namespace

TEST_CASE(
    "durable log: a stalled log holds delivery back, shows its lag, refuses runs over its bound") {
  temp_dir data("aw-durable-stall");
  auto server = start_in(data.path, {"DURABLE_LOG=1", "DURABLE_LOG_MAX_PENDING_MB=1"});
  std::vector<std::unique_ptr<ws_client>> clients;
  for (int i = 0; i < 6; ++i) clients.push_back(open_user(*server, user(i)));
  write_lock lock((data.path / "events.db").string());
  // 24 runs of large charts: they finish, but their events wait for the log.
  for (int i = 0; i < 6; ++i)
    for (int r = 0; r < 4; ++r)
      clients[i]->send(request_json(cid(r), "Show revenue by quarter as a bar chart",
                                    "\"width\":2000,\"height\":1500"));
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  std::int64_t pending = 0;
  while ((pending = pending_bytes(*server)) <= (1 << 20) &&
         std::chrono::steady_clock::now() < deadline)
    clients[0]->wait_for([](const auto&) { return false; }, std::chrono::milliseconds(50));
  REQUIRE_MESSAGE(pending > (1 << 20), pending);
  for (auto& c : clients) CHECK(event_count(c->frames()) == 0);  // nothing sent before durable
  // Over the bound a new run is refused at once; the runs in flight are kept.
  auto late = open_user(*server, "late-user");
  late->send(request_json("c-late", "Show revenue by quarter"));
  REQUIRE(late->wait_for([](const auto& f) {
    for (const auto& x : f)
      if (x.type() == "error") return true;
    return false;
  }));
  for (const auto& x : late->frames())
    if (x.type() == "error") CHECK(std::string(x["code"].GetString()) == "RATE_LIMITED");
  lock.release();
  // Every run accepted finishes. The first charts can pass the bound before
  // the session has read all 24 requests: those later ones were refused at
  // once (RATE_LIMITED), never started.
  auto refused = [](const std::vector<frame>& f, const std::string& id) {
    for (const auto& x : f)
      if (x.type() == "error" && x.has("correlation_id") &&
          std::string(x["correlation_id"].GetString()) == id)
        return std::string(x["code"].GetString()) == "RATE_LIMITED";
    return false;
  };
  int refusals = 0;
  for (auto& c : clients) {
    REQUIRE(c->wait_for(
        [&](const auto& f) {
          for (int r = 0; r < 4; ++r)
            if (!completed(f, cid(r)) && !refused(f, cid(r))) return false;
          return true;
        },
        std::chrono::seconds(60)));
    auto f = c->frames();
    for (int r = 0; r < 4; ++r) {
      if (refused(f, cid(r))) {
        ++refusals;
        CHECK(run_events(f, cid(r)).empty());
        continue;
      }
      CHECK(check_run(f, cid(r)).empty());
    }
    CHECK(check_seq(f).empty());
  }
  CHECK(refusals < 24);
  auto metrics = http_request(server->port(), "GET", "/metrics").body;
  CHECK(metric(metrics, "agentwire_durable_log_refused_runs_total") == 1 + refusals);
  CHECK(metric(metrics, "agentwire_durable_log_pending_bytes") == 0);
}
