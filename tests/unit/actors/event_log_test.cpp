#include <doctest/doctest.h>

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>

#include "actors/chart_store.hpp"
#include "actors/durable_log.hpp"
#include "actors/emitter.hpp"
#include "actors/event_log.hpp"

using namespace aw::actors;

namespace {

frame_ptr frame_of(std::size_t bytes) {
  return std::make_shared<const std::string>(bytes, 'x');
}

// Records what the emitter would have put on each connection.
struct recording_outbox : outbox {
  std::map<conn_id, std::vector<std::string>> sent;
  std::map<conn_id, std::vector<std::uint64_t>> typed;  // seqs that came as typed events
  std::vector<std::pair<conn_id, close_reason>> closed;
  void send_event(const std::vector<conn_id>& cs, event_ptr e) override {
    for (auto c : cs) {
      typed[c].push_back(e->event.seq);
      sent[c].push_back(e->frame);
    }
  }
  void send(conn_id c, frame_ptr f) override { sent[c].push_back(*f); }
  void send_all(const std::vector<conn_id>& cs, frame_ptr f) override {
    for (auto c : cs) sent[c].push_back(*f);
  }
  void send_replay(conn_id c, std::vector<frame_ptr> fs) override {
    for (auto& f : fs) sent[c].push_back(*f);
  }
  void close(conn_id c, close_reason why) override { closed.emplace_back(c, why); }
  void retire(const std::string&, caf::actor) override {}
  void drained(const std::string&) override {}
};

}  // namespace

TEST_CASE("the event log keeps the last N events and the recent ones") {
  event_log log({3, 1000, 1 << 20});
  for (std::uint64_t s = 1; s <= 5; ++s) log.append(s, 0, frame_of(10));
  CHECK(log.size() == 5);  // all younger than max_age
  log.prune(2000);
  CHECK(log.size() == 3);  // old ones beyond the last 3 go
  CHECK(log.oldest_seq() == 3);
}

TEST_CASE("the event log drops the oldest when bytes run out") {
  event_log log({1000, 1000000, 100});
  for (std::uint64_t s = 1; s <= 5; ++s) log.append(s, 0, frame_of(40));
  CHECK(log.bytes() <= 100);
  CHECK(log.oldest_seq() == 4);
}

TEST_CASE("the emitter numbers events per user and replays without gaps") {
  recording_outbox out;
  counters stats;
  emitter em("u1", "e-1", {1024, 300000, 1 << 20}, &out, &stats);
  em.attach(1);
  em.attach(2);
  auto run = std::make_shared<const run_identity>(run_identity{"run-1", "c-1", "conv", ""});
  for (int i = 0; i < 3; ++i) {
    auto ev =
        em.emit(run, aw::protocol::thinking_event{aw::protocol::thinking_stage::planning, "t"}, 0);
    // One record: the typed value and the frame sent, encoded from it.
    CHECK(ev->event.seq == static_cast<std::uint64_t>(i + 1));
    CHECK(ev->frame == aw::protocol::write_frame(ev->event));
  }
  CHECK(em.last_seq() == 3);
  CHECK(out.sent[1].size() == 3);
  CHECK(out.sent[1] == out.sent[2]);
  CHECK(out.sent[1][0].find("\"seq\":1") != std::string::npos);
  CHECK(out.sent[1][2].find("\"user_id\":\"u1\"") != std::string::npos);

  em.replay(3, 1, "", 0);  // a reconnect that has seq 1 gets 2 and 3
  REQUIRE(out.sent[3].size() == 2);
  CHECK(out.sent[3][0] == out.sent[1][1]);

  em.replay(4, 1, "ep-old", 0);  // wrong epoch: RESUME_GAP then everything held
  REQUIRE(out.sent[4].size() == 4);
  CHECK(out.sent[4][0].find("RESUME_GAP") != std::string::npos);
  // The message says which epoch the client sent and which the server holds.
  CHECK(out.sent[4][0].find("you sent epoch ep-old, this server holds epoch " + em.epoch()) !=
        std::string::npos);
  CHECK(out.sent[4][0].find("\"oldest_seq\":1") != std::string::npos);
}

TEST_CASE("the chart store is bounded in bytes, least recently used go first") {
  // What one 40-byte image costs with its id and bookkeeping: room for two, not three.
  chart_store probe(1 << 20);
  probe.put("u", "image/png", frame_of(40));
  const std::size_t one = probe.bytes();
  REQUIRE(one >= 40);
  chart_store store(2 * one + one / 2);
  auto a = store.put("u", "image/png", frame_of(40));
  auto b = store.put("u", "image/png", frame_of(40));
  CHECK(store.get(a));  // a is now most recent
  auto c = store.put("u", "image/png", frame_of(40));
  CHECK(store.get(a));
  CHECK(!store.get(b));
  CHECK(store.get(c));
  CHECK(store.bytes() <= 2 * one + one / 2);
  CHECK(a != c);
}

TEST_CASE("event logs share EVENT_BUFFER_TOTAL_MB: the log that adds over it gives back its oldest") {
  std::atomic<std::int64_t> total{0};
  event_log_limits limits{1000, 1000000, 1 << 20, &total, 1000};
  {
    event_log quiet(limits);
    event_log busy(limits);
    for (std::uint64_t s = 1; s <= 4; ++s) quiet.append(s, 0, frame_of(100));  // 400 bytes
    CHECK(total.load() == 400);
    for (std::uint64_t s = 1; s <= 20; ++s) busy.append(s, 0, frame_of(100));
    // The busy log paid for going over; the quiet one kept everything, also
    // through its own periodic prune.
    quiet.prune(0);
    CHECK(quiet.size() == 4);
    CHECK(total.load() <= 1000);
    CHECK(busy.bytes() == static_cast<std::size_t>(total.load() - 400));
    CHECK(busy.oldest_seq() > 1);
    // A log always keeps its newest event, even alone over the total.
    event_log big(limits);
    big.append(1, 0, frame_of(5000));
    big.append(2, 0, frame_of(5000));
    CHECK(big.size() == 1);
    CHECK(big.oldest_seq() == 2);
  }
  CHECK(total.load() == 0);  // every log gave its bytes back when it went
}

TEST_CASE("with a durable log the emitter sends each event once durable, as its typed record") {
  auto dir =
      std::filesystem::temp_directory_path() / ("aw-emitter-durable-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::mutex m;
  std::condition_variable cv;
  std::uint64_t upto = 0;
  std::vector<frame_ptr> frames;
  {
    durable_log log(aw::store::open_sqlite_event_log((dir / "events.db").string(), false),
                    std::make_shared<counters>(), {},
                    [&](const caf::actor&, std::uint64_t u, std::vector<frame_ptr> f) {
                      std::lock_guard<std::mutex> lock(m);
                      upto = u;
                      frames.insert(frames.end(), f.begin(), f.end());
                      cv.notify_all();
                    });
    log.start();
    recording_outbox out;
    counters stats;
    emitter em("u1", "e-1", {1024, 300000, 1 << 20}, &out, &stats);
    em.make_durable(&log, caf::actor());
    em.attach(1);
    auto run = std::make_shared<const run_identity>(run_identity{"run-1", "c-1", "conv", ""});
    std::vector<event_ptr> made;
    for (int i = 0; i < 3; ++i)
      made.push_back(em.emit(
          run, aw::protocol::thinking_event{aw::protocol::thinking_stage::planning, "t"}, 0));
    CHECK(out.sent[1].empty());  // nothing goes out before it is durable
    {
      std::unique_lock<std::mutex> lock(m);
      REQUIRE(cv.wait_for(lock, std::chrono::seconds(10), [&] { return frames.size() == 3; }));
    }
    // The log hands back the records' own frames, shared, not copies.
    for (std::size_t i = 0; i < 3; ++i) CHECK(frames[i].get() == &made[i]->frame);
    em.delivered(upto, frames);
    CHECK(out.typed[1] == std::vector<std::uint64_t>{1, 2, 3});
    REQUIRE(out.sent[1].size() == 3);
    CHECK(out.sent[1][2] == made[2]->frame);
    CHECK(em.undelivered() == 0);
    // A frame that is no record of ours still goes out, as it is.
    em.delivered(upto, {std::make_shared<const std::string>("{}")});
    CHECK(out.sent[1].back() == "{}");
    CHECK(out.typed[1].size() == 3);
    log.stop();
  }
  std::filesystem::remove_all(dir);
}
