// Re-runs (issue #18): what the durable log keeps of a run to repeat it
// (actors/run_record.hpp), which runs in flight a restart repeats and which it
// ends (actors/durable_recovery.hpp), and how the session matches a re-run's
// events to the steps the user already holds (actors/run_replay.hpp).
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>

#include <caf/actor.hpp>

#include "actors/durable_log.hpp"
#include "actors/durable_recovery.hpp"
#include "actors/run_record.hpp"
#include "actors/run_replay.hpp"
#include "unit/actors/event_frames.hpp"

using namespace aw;
using namespace aw::actors;
using aw::actors::test::event;
using aw::actors::test::parse;
using protocol::event_type;
using protocol::thinking_stage;

TEST_CASE("run record: a run's input and a model's answer round-trip, damaged text is refused") {
  protocol::analytics_payload p;
  p.content = "Show quarterly revenue growth for 2024 \xe2\x82\xac";
  p.title = "Growth";
  p.chart_preference = protocol::chart_type::bar_chart_horizontal;
  p.width = 640;
  p.conversation_context = "earlier: revenue by month";
  auto text = encode_run_record(p, "run-1", true);
  CHECK(text.rfind("run1:", 0) == 0);
  CHECK(text.find_first_not_of("0123456789abcdef", 5) == std::string::npos);  // TEXT-safe
  auto back = decode_run_record(text);
  REQUIRE(back.has_value());
  CHECK(back->payload.content == p.content);
  CHECK(back->payload.title == p.title);
  CHECK(back->payload.chart_preference == p.chart_preference);
  CHECK(back->payload.width == 640);
  CHECK(back->payload.conversation_context == p.conversation_context);
  CHECK(back->refined_from == "run-1");
  CHECK(back->refined_synthetic);
  CHECK(back->reruns == 0);
  CHECK(decode_run_record(encode_run_record(p, "", false, 2))->reruns == 2);

  run_checkpoint c;
  c.chose = true;
  c.gen.title = "Revenue";
  c.gen.provider = "openai";
  c.gen.chart_type = protocol::chart_type::bar_chart_stacked;
  c.gen.thoughts = {"a", "b"};
  c.gen.tokens_in = 1234;
  auto answer = decode_checkpoint(encode_checkpoint(c.chose, c.gen));
  REQUIRE(answer.has_value());
  CHECK(answer->chose);
  CHECK(answer->gen.title == "Revenue");
  CHECK(answer->gen.provider == "openai");
  CHECK(answer->gen.chart_type == protocol::chart_type::bar_chart_stacked);
  CHECK(answer->gen.thoughts.size() == 2);
  CHECK(answer->gen.tokens_in == 1234);

  CHECK_FALSE(decode_run_record(encode_checkpoint(c.chose, c.gen)).has_value());  // another kind
  CHECK_FALSE(decode_checkpoint(text).has_value());
  CHECK_FALSE(decode_run_record("run2:" + text.substr(5)).has_value());         // another version
  CHECK_FALSE(decode_run_record(text.substr(0, text.size() - 2)).has_value());  // cut short
  CHECK_FALSE(decode_run_record(text + "00").has_value());                      // trailing bytes
  CHECK_FALSE(decode_run_record(text.substr(0, text.size() - 1) + "g").has_value());
  CHECK_FALSE(decode_run_record("").has_value());
}

namespace {

struct log_builder {
  store::stored_user u;
  log_builder() {
    u.user_id = "alice";
    u.epoch = "e-1";
  }
  void add(event_type t, const std::string& run, const std::string& data, std::string resume = {}) {
    ++u.last_seq;
    u.events.push_back({u.last_seq, 1000, event("alice", u.last_seq, t, run, data), resume});
  }
  void start(const std::string& run, bool with_record, const std::string& refined_from = {}) {
    protocol::analytics_payload p;
    p.content = "q " + run;
    add(event_type::agent_started, run, protocol::started_data("agent", p.content),
        with_record ? encode_run_record(p, refined_from, false) : std::string());
  }
  void think(const std::string& run, thinking_stage stage, bool partial = false) {
    add(event_type::agent_thinking, run, protocol::thinking_data(stage, "t", 0.1, partial));
  }
  void tool(const std::string& run, const std::string& name, const std::string& id) {
    add(event_type::tool_executing, run, protocol::tool_executing_data(name, id, "{}", 0.2));
  }
  void tool_done(const std::string& run, const std::string& name, const std::string& id,
                 std::string resume = {}) {
    add(event_type::tool_completed, run, protocol::tool_completed_data(name, id, true, 3, "{}"),
        std::move(resume));
  }
};

}  // namespace

TEST_CASE("durable log recovery: runs with their input are kept to run again, the others end") {
  log_builder log;
  // run-a: its input kept, the opening thought, a finished tool, an open one.
  log.start("run-a", true);
  log.think("run-a", thinking_stage::planning);
  log.tool("run-a", "plan_chart", "run-a-call-1");
  log.think("run-a", thinking_stage::writing, true);  // streamed model text: not a step
  run_checkpoint answer;
  answer.chose = true;
  answer.gen.provider = "openai";
  log.tool_done("run-a", "plan_chart", "run-a-call-1", encode_checkpoint(answer.chose, answer.gen));
  log.tool("run-a", "render_chart", "run-a-call-2");
  // run-b: no input kept (a log from before re-runs): ended.
  log.start("run-b", false);
  log.think("run-b", thinking_stage::planning);
  // run-c: a follow-up whose second opening thought is not in the log: ended.
  log.start("run-c", true, "run-0");
  log.think("run-c", thinking_stage::planning);
  // run-d: its input kept but damaged: ended.
  log.add(event_type::agent_started, "run-d", protocol::started_data("agent", "q"), "run1:zz");
  log.think("run-d", thinking_stage::planning);

  auto held = log.u.events.size();
  std::vector<resumable_run> rerun;
  auto ended = end_open_runs(log.u, 5000, &rerun);
  REQUIRE(rerun.size() == 1);
  const auto& r = rerun[0];
  CHECK(r.id.run_id == "run-a");
  CHECK(r.id.correlation_id == "c-run-a");
  CHECK(r.record.payload.content == "q run-a");
  REQUIRE(r.checkpoint);
  CHECK(r.checkpoint->chose);
  CHECK(r.checkpoint->gen.provider == "openai");
  CHECK(r.open_tools.size() == 1);
  CHECK(r.open_tools.count("run-a-call-2") == 1);
  CHECK(r.thoughts == 2);
  // The run actor's steps, the session's opening thought and the streamed text left out.
  REQUIRE(r.expect.size() == 3);
  CHECK(r.expect[0] == step_mark{event_type::tool_executing, "plan_chart/run-a-call-1", true});
  CHECK(r.expect[1] == step_mark{event_type::tool_completed, "plan_chart/run-a-call-1", true});
  CHECK(r.expect[2] == step_mark{event_type::tool_executing, "render_chart/run-a-call-2", true});

  REQUIRE(ended.size() == 3);
  CHECK(ended[0].id.run_id == "run-b");
  CHECK(ended[1].id.run_id == "run-c");
  CHECK(ended[2].id.run_id == "run-d");
  // Only the ended runs got endings: one agent_completed each.
  REQUIRE(log.u.events.size() == held + 3);
  for (auto i = held; i < log.u.events.size(); ++i)
    CHECK(std::string(parse(log.u.events[i].frame)["type"].GetString()) == "agent_completed");
  // Without `rerun`, every open run ends, as before re-runs.
  log_builder again;
  again.start("run-x", true);
  again.think("run-x", thinking_stage::planning);
  CHECK(end_open_runs(again.u, 5000).size() == 1);
}

TEST_CASE("run replay: held steps are dropped in order, streamed text too, another step diverges") {
  std::deque<step_mark> held{
      {event_type::tool_executing, "plan_chart/r-call-1", true},
      {event_type::tool_completed, "plan_chart/r-call-1", true},
      {event_type::agent_thinking, "planning", true},
  };
  auto exec = protocol::tool_executing_event{"plan_chart", "r-call-1", "{}", 0.1};
  auto done = protocol::tool_completed_event{"plan_chart", "r-call-1", true, 7, "{}"};
  auto failed = protocol::tool_completed_event{"plan_chart", "r-call-1", false, 7, "{}"};
  auto thought = protocol::thinking_event{thinking_stage::planning, "x", 0.2, false};
  auto streamed = protocol::thinking_event{thinking_stage::writing, "tok", 0.3, true};

  auto copy = held;
  CHECK(replay(copy, exec) == replayed::drop);
  CHECK(replay(copy, streamed) == replayed::drop);
  CHECK(replay(copy, done) == replayed::drop);  // its duration differs: the same step
  CHECK(replay(copy, thought) == replayed::drop);
  CHECK(copy.empty());
  CHECK(replay(copy, streamed) == replayed::send);  // past what was held: sent
  CHECK(replay(copy, exec) == replayed::send);

  copy = held;
  CHECK(replay(copy, exec) == replayed::drop);
  CHECK(replay(copy, failed) == replayed::diverged);  // the held step succeeded
  CHECK(copy.empty());

  copy = held;
  auto other = protocol::tool_executing_event{"plan_chart", "r-call-9", "{}", 0.1};
  CHECK(replay(copy, other) == replayed::diverged);
  copy = held;
  CHECK(replay(copy, protocol::completed_event{}) == replayed::diverged);
}

TEST_CASE("durable log: each re-run is counted in the log first, a run is re-run at most twice") {
  auto dir = std::filesystem::temp_directory_path() / ("aw-rerun-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto path = (dir / "events.db").string();
  {
    log_builder log;
    log.start("run-a", true);
    log.think("run-a", thinking_stage::planning);
    log.tool("run-a", "plan_chart", "run-a-call-1");
    auto db = store::open_sqlite_event_log(path, false);
    std::vector<store::event_log_row> rows;
    for (const auto& e : log.u.events) rows.push_back({"alice", e.seq, e.at_ms, e.frame, e.resume});
    db->append({{"alice", "e-1", log.u.last_seq, true}}, rows);
  }
  // A node that dies during each re-run: started three times on the same log.
  auto start = [&] {
    durable_log log(store::open_sqlite_event_log(path, false), std::make_shared<counters>(), {},
                    [](const caf::actor&, std::uint64_t, std::vector<frame_ptr>) {});
    auto ended = log.recover(1'000'000);
    auto user = log.take("alice");
    REQUIRE(user.has_value());
    return std::make_pair(ended.size(), user->rerun.size());
  };
  CHECK(start() == std::make_pair<std::size_t, std::size_t>(0, 1));
  auto db = store::open_sqlite_event_log(path, false);
  auto users = db->load();
  REQUIRE(users.size() == 1);
  auto record = decode_run_record(users[0].events[0].resume);
  REQUIRE(record.has_value());
  CHECK(record->reruns == 1);
  CHECK(record->payload.content == "q run-a");
  CHECK(start() == std::make_pair<std::size_t, std::size_t>(0, 1));
  CHECK(start() == std::make_pair<std::size_t, std::size_t>(1, 0));  // ended GATEWAY_LOST
  CHECK(start() == std::make_pair<std::size_t, std::size_t>(0, 0));  // ended once
  std::filesystem::remove_all(dir);
}
