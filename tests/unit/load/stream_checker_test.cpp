// The load harness's stream checker fed with hand-made streams: one correct,
// and one broken in each way PROTOCOL.md section 4 forbids.
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "load/stream_checker.hpp"

using aw::load::conn_stream;
using aw::load::user_stream;
using aw::load::violation;
using aw::load::violation_log;

namespace {

const std::string ts = "\"timestamp\":\"2026-11-21T10:30:00.123Z\"";

std::string ack(const std::string& user, int last_seq = 0) {
  return "{\"type\":\"connection_ack\",\"user_id\":\"" + user +
         "\",\"session_id\":\"s0\",\"node\":\"gw-1\",\"version\":\"1\",\"heartbeat_s\":30,"
         "\"last_seq\":" +
         std::to_string(last_seq) + ",\"epoch\":\"e-1\"}";
}

// One event frame. `extra` goes into data.
std::string ev(const std::string& type, int seq, const std::string& run, const std::string& cid,
               const std::string& user, const std::string& extra = "") {
  std::string data = "{\"progress\":0" + (extra.empty() ? "" : "," + extra) + "}";
  return "{\"type\":\"" + type + "\",\"seq\":" + std::to_string(seq) + ",\"event_id\":\"evt-" +
         std::to_string(seq) + "-" + user + "\",\"run_id\":\"" + run + "\",\"correlation_id\":\"" +
         cid + "\",\"conversation_id\":\"conv\",\"user_id\":\"" + user + "\"," + ts +
         ",\"data\":" + data + "}";
}

// A full correct run of 6 events starting at seq `s`.
std::vector<std::string> good_run(int s, const std::string& run, const std::string& cid,
                                  const std::string& user) {
  return {
      ev("agent_started", s, run, cid, user, "\"agent\":\"a\",\"content\":\"x\""),
      ev("agent_thinking", s + 1, run, cid, user, "\"stage\":\"planning\",\"thought\":\"t\""),
      ev("tool_executing", s + 2, run, cid, user,
         "\"tool\":\"plan_chart\",\"tool_call_id\":\"t1\""),
      ev("tool_completed", s + 3, run, cid, user,
         "\"tool\":\"plan_chart\",\"tool_call_id\":\"t1\",\"status\":\"success\""),
      ev("agent_thinking", s + 4, run, cid, user, "\"stage\":\"writing\",\"thought\":\"t\""),
      ev("agent_completed", s + 5, run, cid, user, "\"status\":\"success\",\"response\":{}"),
  };
}

struct fixture {
  violation_log log;
  user_stream user{"alice", &log};
  conn_stream* conn = nullptr;
  fixture() {
    user.expect_request("c1");
    user.expect_request("c2");
    conn = &user.add_connection();
  }
  void feed(const std::vector<std::string>& frames) {
    for (const auto& f : frames) conn->on_text(f);
  }
};

}  // namespace

TEST_CASE("a correct stream of two interleaved runs passes with zero violations") {
  fixture f;
  f.conn->on_text(ack("alice"));
  auto a = good_run(1, "r1", "c1", "alice");
  auto b = good_run(1, "r2", "c2", "alice");
  // Interleave event by event; renumber seq so it stays contiguous.
  int seq = 1;
  for (std::size_t i = 0; i < a.size(); ++i) {
    for (auto* run : {&a, &b}) {
      std::string frame = (*run)[i];
      auto at = frame.find("\"seq\":") + 6;
      frame.replace(at, frame.find(',', at) - at, std::to_string(seq));
      auto id = frame.find("evt-") + 4;
      frame.replace(id, frame.find('-', id) - id, std::to_string(seq) + (run == &a ? "a" : "b"));
      ++seq;
      f.conn->on_text(frame);
    }
  }
  f.conn->on_text("{\"type\":\"pong\"," + ts + "}");
  auto s = f.user.finish(true);
  for (const auto& m : f.log.samples()) MESSAGE(m);
  CHECK(f.log.total() == 0);
  CHECK(s.sent == 2);
  CHECK(s.completed == 2);
  CHECK(s.lost == 0);
  CHECK(f.user.all_done());
  CHECK(f.conn->event_ids().size() == 12);
}

TEST_CASE("frame info reports first occurrences and completion") {
  fixture f;
  f.conn->on_text(ack("alice"));
  auto run = good_run(1, "r1", "c1", "alice");
  auto i0 = f.conn->on_text(run[0]);
  CHECK(i0.event == 0);
  CHECK(i0.first_for_user);
  CHECK(i0.correlation_id == "c1");
  REQUIRE(i0.timestamp_ms.has_value());
  f.conn->on_text(run[1]);
  f.conn->on_text(run[2]);
  f.conn->on_text(run[3]);
  auto again = f.conn->on_text(run[4]);  // second agent_thinking
  CHECK_FALSE(again.first_for_user);
  auto done = f.conn->on_text(run[5]);
  CHECK(done.run_done);
  CHECK(done.status == "success");
}

TEST_CASE("a seq gap is caught") {
  fixture f;
  f.conn->on_text(ack("alice", 10));
  auto run = good_run(11, "r1", "c1", "alice");
  run.erase(run.begin() + 1);  // 11, 13, ...: gap; the run still has a later thinking
  f.feed(run);
  CHECK(f.log.count(violation::seq_gap) == 1);
}

TEST_CASE("a first seq that does not follow ack.last_seq is a gap") {
  fixture f;
  f.conn->on_text(ack("alice", 10));
  f.feed(good_run(12, "r1", "c1", "alice"));
  CHECK(f.log.count(violation::seq_gap) == 1);
}

TEST_CASE("a duplicate seq is caught") {
  fixture f;
  f.conn->on_text(ack("alice"));
  auto run = good_run(1, "r1", "c1", "alice");
  f.feed({run[0], run[1]});
  f.conn->on_text(ev("agent_thinking", 2, "r1", "c1", "alice",
                     "\"stage\":\"analyzing\",\"thought\":\"again\""));
  CHECK(f.log.count(violation::seq_duplicate) == 1);
}

TEST_CASE("a frame of another user (leak) is caught") {
  fixture f;
  f.conn->on_text(ack("alice"));
  auto run = good_run(1, "r1", "c1", "alice");
  f.feed({run[0], run[1]});
  f.conn->on_text(ev("agent_thinking", 3, "rb", "cb", "bob", "\"stage\":\"planning\""));
  CHECK(f.log.count(violation::foreign_user) == 1);
  CHECK(f.log.count(violation::foreign_correlation) == 1);
}

TEST_CASE("a run without agent_completed is a lost run") {
  fixture f;
  f.conn->on_text(ack("alice"));
  auto run = good_run(1, "r1", "c1", "alice");
  run.pop_back();
  f.feed(run);
  f.feed(good_run(6, "r2", "c2", "alice"));
  CHECK_FALSE(f.user.all_done());
  auto s = f.user.finish(false);
  CHECK(s.lost == 1);
  CHECK(s.completed == 1);
}

TEST_CASE("a request that never started is lost, a rejected one is not") {
  fixture f;
  f.conn->on_text(ack("alice"));
  f.conn->on_text(
      "{\"type\":\"error\",\"correlation_id\":\"c2\",\"code\":\"RATE_LIMITED\","
      "\"message\":\"slow down\"," +
      ts + "}");
  auto s = f.user.finish(true);
  CHECK(s.rejected == 1);
  CHECK(s.lost == 1);
  CHECK(f.log.total() == 0);
}

TEST_CASE("tool_executing without tool_completed is caught") {
  fixture f;
  f.conn->on_text(ack("alice"));
  auto run = good_run(1, "r1", "c1", "alice");
  run.erase(run.begin() + 3);  // drop tool_completed, renumber the rest
  run[3] = ev("agent_thinking", 4, "r1", "c1", "alice", "\"stage\":\"writing\"");
  run[4] = ev("agent_completed", 5, "r1", "c1", "alice", "\"status\":\"success\"");
  f.feed(run);
  CHECK(f.log.count(violation::tool_not_completed) == 1);
  CHECK(f.log.total() == 1);
}

TEST_CASE("an event after agent_completed is caught") {
  fixture f;
  f.conn->on_text(ack("alice"));
  f.feed(good_run(1, "r1", "c1", "alice"));
  f.conn->on_text(ev("agent_thinking", 7, "r1", "c1", "alice", "\"stage\":\"writing\""));
  CHECK(f.log.count(violation::event_after_completed) == 1);
  CHECK(f.log.total() == 1);
}

TEST_CASE("a second agent_started is caught") {
  fixture f;
  f.conn->on_text(ack("alice"));
  auto run = good_run(1, "r1", "c1", "alice");
  f.feed({run[0], run[1]});
  f.conn->on_text(ev("agent_started", 3, "r1", "c1", "alice", "\"agent\":\"a\""));
  CHECK(f.log.count(violation::second_started) == 1);
}

TEST_CASE("two connections of a user with different streams are caught") {
  violation_log log;
  user_stream user("alice", &log);
  user.expect_request("c1");
  auto& a = user.add_connection();
  auto& b = user.add_connection();
  a.on_text(ack("alice"));
  b.on_text(ack("alice"));
  auto run = good_run(1, "r1", "c1", "alice");
  for (const auto& f : run) a.on_text(f);
  // b gets the same seqs but one event with a different event_id.
  for (std::size_t i = 0; i < run.size(); ++i) {
    std::string f = run[i];
    if (i == 2) f.replace(f.find("evt-3"), 5, "evt-X");
    b.on_text(f);
  }
  CHECK(log.total() == 0);
  user.finish(true);
  CHECK(log.count(violation::fanout_mismatch) == 1);
}

TEST_CASE("two connections with the same stream pass, a shorter one fails only when complete") {
  violation_log log;
  user_stream user("alice", &log);
  user.expect_request("c1");
  auto& a = user.add_connection();
  auto& b = user.add_connection();
  a.on_text(ack("alice"));
  b.on_text(ack("alice"));
  auto run = good_run(1, "r1", "c1", "alice");
  for (const auto& f : run) a.on_text(f);
  for (std::size_t i = 0; i + 1 < run.size(); ++i) b.on_text(run[i]);
  CHECK_FALSE(user.all_done());
  user.finish(false);  // b may still be receiving: prefix equal
  CHECK(log.total() == 0);
  user.finish(true);
  CHECK(log.count(violation::fanout_mismatch) == 1);
}

TEST_CASE("the first frame must be connection_ack, and frames must be JSON") {
  fixture f;
  auto run = good_run(1, "r1", "c1", "alice");
  f.conn->on_text(run[0]);
  CHECK(f.log.count(violation::first_not_ack) == 1);
  f.conn->on_text("not json");
  f.conn->on_text("[1,2]");
  CHECK(f.log.count(violation::invalid_frame) == 2);
}

TEST_CASE("a bad timestamp, a missing seq and a failed run without error code are caught") {
  fixture f;
  f.conn->on_text(ack("alice"));
  std::string bad = ev("agent_started", 1, "r1", "c1", "alice");
  bad.replace(bad.find("10:30:00.123Z"), 13, "10:30:00Z");
  f.conn->on_text(bad);
  CHECK(f.log.count(violation::bad_timestamp) == 1);
  f.conn->on_text(
      "{\"type\":\"agent_thinking\",\"event_id\":\"e9\",\"run_id\":\"r1\","
      "\"correlation_id\":\"c1\",\"user_id\":\"alice\"," +
      ts + ",\"data\":{}}");
  CHECK(f.log.count(violation::seq_missing) == 1);
  f.conn->on_text(ev("agent_completed", 2, "r1", "c1", "alice", "\"status\":\"error\""));
  CHECK(f.log.count(violation::bad_status) == 1);
}
