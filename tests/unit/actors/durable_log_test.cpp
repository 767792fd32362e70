// The durable event log (issue #18): the SQLite rows round-trip, the runs a
// log shows in flight are ended once with GATEWAY_LOST, and the writer batches,
// retries and delivers in order.
#include <doctest/doctest.h>

#include <sqlite3.h>
#include <unistd.h>

#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include <rapidjson/document.h>
#include <caf/all.hpp>

#include "actors/durable_log.hpp"
#include "protocol/server_messages.hpp"
#include "store/history_store.hpp"
#include "unit/actors/event_frames.hpp"

using namespace aw;
using namespace aw::actors;
using aw::actors::test::event;
using aw::actors::test::parse;

namespace {

struct temp_file {
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("aw-durable-" + std::to_string(::getpid()));
  temp_file() { std::filesystem::create_directories(dir); }
  ~temp_file() { std::filesystem::remove_all(dir); }
  std::string path() const { return (dir / "events.db").string(); }
};

}  // namespace

TEST_CASE("durable log store: rows round-trip, a new epoch replaces a user's rows, forget, prune") {
  temp_file tmp;
  {
    auto db = store::open_sqlite_event_log(tmp.path(), false);
    std::string frame1 = "{\"seq\":1,\"text\":\"caf\xc3\xa9 \\\"q\\\"\"}";
    std::string frame2(70000, 'x');  // a large frame (a chart) is kept whole
    db->append({{"alice", "e-1", 2, true}, {"bob", "e-9", 1, true}},
               {{"alice", 1, 10, frame1}, {"alice", 2, 20, frame2}, {"bob", 1, 30, "{}"}});
    auto users = db->load();
    REQUIRE(users.size() == 2);
    CHECK(users[0].user_id == "alice");
    CHECK(users[0].epoch == "e-1");
    CHECK(users[0].last_seq == 2);
    REQUIRE(users[0].events.size() == 2);
    CHECK(users[0].events[0].frame == frame1);
    CHECK(users[0].events[0].at_ms == 10);
    CHECK(users[0].events[1].frame == frame2);
    CHECK(db->count() == 3);
    // alice starts a new history: her old rows are of no history now (read
    // back no more, removed by the next prune).
    db->append({{"alice", "e-2", 1, true}}, {{"alice", 1, 40, "{\"new\":1}"}});
    auto now = db->load();
    REQUIRE(now[0].events.size() == 1);
    CHECK(now[0].events[0].frame == "{\"new\":1}");
    // prune: rows older than 35 ms and more than 0 behind their last seq.
    db->append({{"bob", "e-9", 3, false}}, {{"bob", 2, 31, "{}"}, {"bob", 3, 50, "{}"}});
    CHECK(db->count() == 6);
    CHECK(db->prune(35, 1) == 4);  // alice's two old rows, bob 1 and 2 (bob 3 is the newest 1)
    db->forget("nobody");
  }
  // Reopened, as after a restart.
  auto db = store::open_sqlite_event_log(tmp.path(), true);
  auto users = db->load();
  REQUIRE(users.size() == 2);
  CHECK(users[0].epoch == "e-2");
  REQUIRE(users[0].events.size() == 1);
  CHECK(users[0].events[0].frame == "{\"new\":1}");
  REQUIRE(users[1].events.size() == 1);
  CHECK(users[1].events[0].seq == 3);
  db->forget("bob");
  CHECK(db->load().size() == 1);
  CHECK(db->count() == 2);        // bob's row waits for the next prune ...
  CHECK(db->prune(0, 1000) == 1);  // ... which takes it, whatever its age
  CHECK(db->count() == 1);
}

TEST_CASE("durable log store: a file of the earlier schema is moved to the new one at open") {
  temp_file tmp;
  {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(tmp.path().c_str(), &db) == SQLITE_OK);
    REQUIRE(sqlite3_exec(db,
                         "CREATE TABLE event_log_users (user_id TEXT PRIMARY KEY, epoch TEXT NOT"
                         " NULL, last_seq INTEGER NOT NULL);"
                         "CREATE TABLE event_log_events (user_id TEXT NOT NULL, seq INTEGER NOT"
                         " NULL, at_ms INTEGER NOT NULL, frame TEXT NOT NULL,"
                         " PRIMARY KEY (user_id, seq));"
                         "INSERT INTO event_log_users VALUES ('dave', 'e-4', 2);"
                         "INSERT INTO event_log_events VALUES ('dave', 2, 20, 'second');"
                         "INSERT INTO event_log_events VALUES ('dave', 1, 10, 'first');",
                         nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);
  }
  auto db = store::open_sqlite_event_log(tmp.path(), false);
  auto users = db->load();
  REQUIRE(users.size() == 1);
  CHECK(users[0].epoch == "e-4");
  REQUIRE(users[0].events.size() == 2);
  CHECK(users[0].events[0].frame == "first");
  CHECK(users[0].events[1].frame == "second");
  CHECK(users[0].events[1].resume.empty());
  db->append({{"dave", "e-4", 3, false}}, {{"dave", 3, 30, "third", "run1:00"}});
  db->set_resume("dave", 3, "run1:01");
  users = db->load();
  REQUIRE(users[0].events.size() == 3);
  CHECK(users[0].events[2].resume == "run1:01");
}

// Checkpoints run on the store's own thread (store/sqlite_event_log.cpp), not
// in the writer's commits: the WAL is still copied into events.db as it grows,
// while commits go on, and every row reads back.
TEST_CASE("durable log store: the WAL is checkpointed into events.db while batches go on") {
  temp_file tmp;
  const std::string frame(30000, 'c');  // a chart-sized frame
  std::uint64_t seq = 0;
  {
    auto db = store::open_sqlite_event_log(tmp.path(), false);
    // About 24 MB in batches of 10: over the checkpointer's 2,000-page (8 MB)
    // step, under the 8,000 pages from which the writer copies the rest itself.
    for (int batch = 0; batch < 80; ++batch) {
      std::vector<store::event_log_row> rows;
      for (int i = 0; i < 10; ++i) rows.push_back({"carol", ++seq, 1, frame});
      db->append({{"carol", "e-1", seq, batch == 0}}, rows);
    }
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    auto size = [&] { return std::filesystem::file_size(tmp.path()); };
    while (size() < (4u << 20) && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));  // a bounded poll of the file
    CHECK(size() >= (4u << 20));                                  // checkpointed while open
    bool checkpointer = false;                                    // ... by the store's own thread
    for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
      std::ifstream comm(task.path() / "comm");
      std::string name;
      std::getline(comm, name);
      checkpointer = checkpointer || name == "aw.log_ckpt";
    }
    CHECK(checkpointer);
    CHECK(db->count() == static_cast<std::int64_t>(seq));
  }
  auto db = store::open_sqlite_event_log(tmp.path(), false);
  auto users = db->load();
  REQUIRE(users.size() == 1);
  CHECK(users[0].last_seq == seq);
  REQUIRE(users[0].events.size() == seq);
  CHECK(users[0].events.back().frame == frame);
}

TEST_CASE("durable log recovery: a run in flight ends once with GATEWAY_LOST, its tools closed") {
  using protocol::event_type;
  store::stored_user u;
  u.user_id = "alice";
  u.epoch = "e-1";
  auto add = [&](event_type t, const std::string& run, const std::string& data) {
    ++u.last_seq;
    u.events.push_back({u.last_seq, 1000, event("alice", u.last_seq, t, run, data)});
  };
  add(event_type::agent_started, "run-a", protocol::started_data("agent", "q1"));
  add(event_type::agent_started, "run-b", protocol::started_data("agent", "q2"));
  add(event_type::agent_thinking, "run-a",
      protocol::thinking_data(protocol::thinking_stage::planning, "t", 0.1));
  add(event_type::tool_executing, "run-a",
      protocol::tool_executing_data("render_chart", "call-1", "{}", 0.5));
  add(event_type::agent_thinking, "run-b",
      protocol::thinking_data(protocol::thinking_stage::planning, "t", 0.1));
  add(event_type::agent_completed, "run-b",
      protocol::completed_failure_data(protocol::run_status::cancelled, 1,
                                       protocol::error_code::cancelled, "x"));
  add(event_type::agent_started, "run-c", protocol::started_data("agent", "q3"));
  u.events.push_back({99, 1000, "not json"});  // skipped, not fatal
  u.events.pop_back();

  auto ended = end_open_runs(u, 5000);
  REQUIRE(ended.size() == 2);
  CHECK(ended[0].id.run_id == "run-a");
  CHECK(ended[0].id.correlation_id == "c-run-a");
  CHECK(ended[1].id.run_id == "run-c");
  // run-a: its open tool, then agent_completed; run-c: a thought first (it had none).
  REQUIRE(u.events.size() == 7 + 4);
  CHECK(u.last_seq == 11);
  std::vector<std::string> types;
  for (std::size_t i = 7; i < u.events.size(); ++i) {
    auto d = parse(u.events[i].frame);
    CHECK(d["seq"].GetUint64() == i + 1);
    CHECK(std::string(d["user_id"].GetString()) == "alice");
    types.push_back(std::string(d["type"].GetString()) + ":" + d["run_id"].GetString());
    if (std::string(d["type"].GetString()) == "agent_completed") {
      CHECK(std::string(d["data"]["status"].GetString()) == "error");
      CHECK(std::string(d["data"]["error"]["code"].GetString()) == "GATEWAY_LOST");
    }
    if (std::string(d["type"].GetString()) == "tool_completed") {
      CHECK(std::string(d["data"]["tool_call_id"].GetString()) == "call-1");
      CHECK(std::string(d["data"]["status"].GetString()) == "error");
    }
  }
  CHECK(types == std::vector<std::string>{"tool_completed:run-a", "agent_completed:run-a",
                                          "agent_thinking:run-c", "agent_completed:run-c"});
  // Ended runs are ended: a second pass finds nothing.
  CHECK(end_open_runs(u, 6000).empty());
}

namespace {

// Records transactions; fails the first `failures` of them.
struct fake_store : store::event_log_store {
  std::mutex m;
  int failures = 0;
  std::vector<std::size_t> batch_rows;
  std::vector<std::string> rows;  // "user:seq"
  std::vector<std::string> forgotten;
  void append(const std::vector<store::event_log_user>&,
              const std::vector<store::event_log_row>& r) override {
    std::lock_guard<std::mutex> lock(m);
    if (failures > 0) {
      --failures;
      throw store::store_error("disk full");
    }
    batch_rows.push_back(r.size());
    for (const auto& row : r)
      rows.push_back(std::string(row.user_id) + ":" + std::to_string(row.seq));
  }
  std::vector<store::stored_user> load() override { return {}; }
  void forget(std::string_view user) override {
    std::lock_guard<std::mutex> lock(m);
    forgotten.emplace_back(user);
  }
  std::int64_t prune(std::int64_t, std::uint64_t) override { return 0; }
  std::int64_t count() override { return 0; }
  void set_resume(std::string_view, std::uint64_t, std::string_view) override {}
};

struct deliveries {
  std::mutex m;
  std::condition_variable cv;
  std::vector<std::uint64_t> upto;
  std::vector<std::string> frames;
  bool wait_frames(std::size_t n) {
    std::unique_lock<std::mutex> lock(m);
    return cv.wait_for(lock, std::chrono::seconds(10), [&] { return frames.size() >= n; });
  }
};

}  // namespace

TEST_CASE("durable log writer: batches in order, bounded, retried after a failure") {
  auto stats = std::make_shared<counters>();
  auto* db = new fake_store;
  db->failures = 2;
  deliveries got;
  durable_log_options opt;
  opt.batch_events = 100;
  opt.max_pending_bytes = 1000;
  opt.first_retry = std::chrono::milliseconds(1);
  durable_log log(std::unique_ptr<store::event_log_store>(db), stats, opt,
                  [&](const caf::actor&, std::uint64_t upto, std::vector<frame_ptr> frames) {
                    std::lock_guard<std::mutex> lock(got.m);
                    got.upto.push_back(upto);
                    for (auto& f : frames) got.frames.push_back(*f);
                    got.cv.notify_all();
                  });
  auto user = std::make_shared<const std::string>("alice");
  auto epoch = std::make_shared<const std::string>("e-1");
  // Queued before the writer runs: 250 events of 9 bytes, over the 1000-byte bound.
  for (std::uint64_t seq = 1; seq <= 250; ++seq)
    log.append(
        caf::actor(), user, epoch, seq == 1, seq, 0,
        std::make_shared<const std::string>("frame-" + std::to_string(seq + 1000).substr(1)));
  CHECK(stats->durable_pending_events.load() == 250);
  CHECK(stats->durable_pending_bytes.load() == 2250);
  CHECK(log.over_bound());
  log.forget("bob");
  log.start();
  REQUIRE(got.wait_frames(250));
  log.stop();
  CHECK(stats->durable_write_failures.load() == 2);
  CHECK(stats->durable_events_written.load() == 250);
  CHECK(stats->durable_pending_events.load() == 0);
  CHECK(stats->durable_pending_bytes.load() == 0);
  CHECK_FALSE(log.over_bound());
  CHECK(db->batch_rows == std::vector<std::size_t>{100, 100, 50});
  CHECK(got.upto == std::vector<std::uint64_t>{100, 200, 250});
  for (std::size_t i = 0; i < 250; ++i) {
    CHECK(got.frames[i] == "frame-" + std::to_string(i + 1001).substr(1));
    CHECK(db->rows[i] == "alice:" + std::to_string(i + 1));
  }
  CHECK(db->forgotten == std::vector<std::string>{"bob"});
}

TEST_CASE("durable log recover: open runs end durably, idle users go, each history is taken once") {
  using protocol::event_type;
  temp_file tmp;
  {
    auto db = store::open_sqlite_event_log(tmp.path(), false);
    std::string started =
        event("alice", 1, event_type::agent_started, "run-a", protocol::started_data("agent", "q"));
    std::string thought =
        event("alice", 2, event_type::agent_thinking, "run-a",
              protocol::thinking_data(protocol::thinking_stage::planning, "t", 0));
    std::string old = event("carol", 7, event_type::agent_thinking, "run-c", "{}");
    // carol's newest event is 400 s older than alice's: past keep_ms (300 s).
    db->append({{"alice", "e-a", 2, true}, {"carol", "e-c", 7, true}},
               {{"alice", 1, 1000000, started},
                {"alice", 2, 1000001, thought},
                {"carol", 7, 600000, old}});
  }
  auto stats = std::make_shared<counters>();
  durable_log log(store::open_sqlite_event_log(tmp.path(), false), stats, durable_log_options{},
                  [](const caf::actor&, std::uint64_t, std::vector<frame_ptr>) {});
  auto ended = log.recover(2000000);
  REQUIRE(ended.size() == 1);
  CHECK(ended[0].first == "alice");
  CHECK(ended[0].second.id.run_id == "run-a");
  CHECK(stats->recovered_users.load() == 1);
  CHECK(stats->recovered_runs.load() == 1);
  auto alice = log.take("alice");
  REQUIRE(alice);
  CHECK(alice->epoch == "e-a");
  CHECK(alice->last_seq == 3);  // started, thinking, then agent_completed GATEWAY_LOST
  REQUIRE(alice->events.size() == 3);
  CHECK(parse(*alice->events[2].frame)["data"]["error"]["code"].GetString() ==
        std::string("GATEWAY_LOST"));
  CHECK_FALSE(log.take("alice"));
  CHECK_FALSE(log.take("carol"));
  // The ending is durable: a second start finds the run ended and carol gone.
  auto db = store::open_sqlite_event_log(tmp.path(), false);
  auto users = db->load();
  REQUIRE(users.size() == 1);
  CHECK(users[0].last_seq == 3);
  CHECK(end_open_runs(users[0], 3000000).empty());
}

TEST_CASE("durable log recover: held within the per-user and total byte limits, newest first") {
  temp_file tmp;
  {
    auto db = store::open_sqlite_event_log(tmp.path(), false);
    std::vector<store::event_log_row> rows;
    std::vector<std::string> frames;
    for (int i = 1; i <= 10; ++i) frames.push_back(std::string(100, static_cast<char>('a' + i)));
    for (std::uint64_t seq = 1; seq <= 10; ++seq)
      rows.push_back({"busy", seq, 1000 + static_cast<std::int64_t>(seq), frames[seq - 1]});
    for (std::uint64_t seq = 1; seq <= 3; ++seq)
      rows.push_back({"quiet", seq, 500 + static_cast<std::int64_t>(seq), frames[seq - 1]});
    db->append({{"busy", "e-b", 10, true}, {"quiet", "e-q", 3, true}}, rows);
  }
  auto stats = std::make_shared<counters>();
  durable_log_options opt;
  opt.max_user_bytes = 350;   // three events and a half
  opt.max_total_bytes = 450;  // busy's three, then one of quiet's (its newest, always kept)
  durable_log log(store::open_sqlite_event_log(tmp.path(), false), stats, opt,
                  [](const caf::actor&, std::uint64_t, std::vector<frame_ptr>) {});
  log.recover(2000);
  auto busy = log.take("busy");
  REQUIRE(busy);
  CHECK(busy->last_seq == 10);
  REQUIRE(busy->events.size() == 3);
  CHECK(busy->events.front().seq == 8);
  auto quiet = log.take("quiet");
  REQUIRE(quiet);
  REQUIRE(quiet->events.size() == 1);
  CHECK(quiet->events.front().seq == 3);
}

namespace {

// A shared store (as PostgreSQL): claim() answers `next`, wanted() lists `asked`.
struct shared_fake_store : fake_store {
  store::claim_result next;
  std::vector<std::string> asked;
  std::vector<std::pair<std::string, std::int64_t>> released;
  std::condition_variable changed;
  bool shared() const override { return true; }
  store::claim_result claim(std::string_view, std::string_view) override {
    std::lock_guard<std::mutex> lock(m);
    return next;
  }
  std::vector<std::string> wanted() override {
    std::lock_guard<std::mutex> lock(m);
    return asked;
  }
  void release(std::string_view user, std::int64_t owner_epoch) override {
    std::lock_guard<std::mutex> lock(m);
    released.emplace_back(std::string(user), owner_epoch);
    asked.clear();
    changed.notify_all();
  }
};

}  // namespace

TEST_CASE(
    "durable log claims: a user taken over comes with its runs ended durably, a live owner "
    "refuses, a wanted user is handed off") {
  using protocol::event_type;
  caf::actor_system_config cfg;
  caf::actor_system system{cfg};
  caf::scoped_actor self{system};
  auto stats = std::make_shared<counters>();
  auto* db = new shared_fake_store;
  db->next.result = store::claim_result::outcome::taken_over;
  db->next.from_node = "gw-a";
  db->next.user = {"alice",
                   "e-a",
                   2,
                   {{1, 1000,
                     event("alice", 1, event_type::agent_started, "run-a",
                           protocol::started_data("agent", "q"))},
                    {2, 1001,
                     event("alice", 2, event_type::agent_thinking, "run-a",
                           protocol::thinking_data(protocol::thinking_stage::planning, "t", 0))}},
                   7};
  durable_log_options opt;
  opt.renew_every = std::chrono::milliseconds(20);
  durable_log log(std::unique_ptr<store::event_log_store>(db), stats, opt,
                  [](const caf::actor&, std::uint64_t, std::vector<frame_ptr>) {});
  REQUIRE(log.shared());
  log.start();
  auto answer = [&] {
    std::shared_ptr<claim_reply> reply;
    self->receive([&](claimed_atom, std::shared_ptr<claim_reply>& r) { reply = r; },
                  caf::after(std::chrono::seconds(10)) >> [] {});
    REQUIRE(reply);
    return reply;
  };

  log.claim(caf::actor_cast<caf::actor>(self), "alice", "e-new");
  auto taken = answer();
  CHECK(taken->result == claim_reply::outcome::ready);
  CHECK(taken->taken_over);
  CHECK(taken->owner_epoch == 7);
  REQUIRE(taken->user);
  CHECK(taken->user->epoch == "e-a");
  CHECK(taken->user->last_seq == 3);  // + agent_completed GATEWAY_LOST
  REQUIRE(taken->ended.size() == 1);
  CHECK(taken->ended[0].id.run_id == "run-a");
  {
    std::lock_guard<std::mutex> lock(db->m);
    CHECK(db->rows == std::vector<std::string>{"alice:3"});  // durable before the session has it
  }
  CHECK(stats->durable_takeovers.load() == 1);
  CHECK(stats->recovered_runs.load() == 1);

  {
    std::lock_guard<std::mutex> lock(db->m);
    db->next = {};
    db->next.result = store::claim_result::outcome::owned_elsewhere;
    db->next.from_node = "gw-b";
  }
  log.claim(caf::actor_cast<caf::actor>(self), "bob", "e-b");
  auto refused = answer();
  CHECK(refused->result == claim_reply::outcome::refused);
  CHECK(refused->from_node == "gw-b");
  CHECK(stats->durable_claims_refused.load() == 1);

  // Another gateway asks for alice: her session hears it, and its release is written.
  log.serving("alice", caf::actor_cast<caf::actor>(self));
  {
    std::lock_guard<std::mutex> lock(db->m);
    db->asked = {"alice"};
  }
  bool told = false;
  self->receive([&](handoff_atom) { told = true; }, caf::after(std::chrono::seconds(10)) >> [] {});
  REQUIRE(told);
  log.leaving("alice", caf::actor_cast<caf::actor>(self), true, 7);
  std::unique_lock<std::mutex> lock(db->m);
  REQUIRE(
      db->changed.wait_for(lock, std::chrono::seconds(10), [&] { return !db->released.empty(); }));
  CHECK(db->released == std::vector<std::pair<std::string, std::int64_t>>{{"alice", 7}});
  lock.unlock();
  log.stop();
}

TEST_CASE("durable log claims: a user whose removal is still queued is not claimed yet") {
  caf::actor_system_config cfg;
  caf::actor_system system{cfg};
  caf::scoped_actor self{system};
  auto stats = std::make_shared<counters>();
  auto* db = new shared_fake_store;
  db->next.result = store::claim_result::outcome::own;
  db->next.user = {"carol", "e-c", 0, {}, 3};
  durable_log log(std::unique_ptr<store::event_log_store>(db), stats, durable_log_options{},
                  [](const caf::actor&, std::uint64_t, std::vector<frame_ptr>) {});
  // carol's idle session retired (its rows go) and she is back at once.
  log.forget("carol");
  log.claim(caf::actor_cast<caf::actor>(self), "carol", "e-new");
  log.start();
  std::shared_ptr<claim_reply> reply;
  self->receive([&](claimed_atom, std::shared_ptr<claim_reply>& r) { reply = r; },
                caf::after(std::chrono::seconds(10)) >> [] {});
  REQUIRE(reply);
  CHECK(reply->result == claim_reply::outcome::failed);  // closed 1013; the next try is served
  log.claim(caf::actor_cast<caf::actor>(self), "carol", "e-new");
  reply.reset();
  self->receive([&](claimed_atom, std::shared_ptr<claim_reply>& r) { reply = r; },
                caf::after(std::chrono::seconds(10)) >> [] {});
  REQUIRE(reply);
  CHECK(reply->result == claim_reply::outcome::ready);
  log.stop();
  CHECK(db->forgotten == std::vector<std::string>{"carol"});
}
