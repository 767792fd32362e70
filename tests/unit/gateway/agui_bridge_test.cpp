#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include <rapidjson/document.h>

#include "gateway/agui_bridge.hpp"
#include "protocol/run_event.hpp"

using aw::gateway::agui_bridge;
using aw::protocol::event_type;
using aw::protocol::thinking_stage;

namespace {

// Typed events exactly as the server makes them (protocol/run_event.hpp), for one run.
struct run_frames {
  std::string correlation = "r-1";
  std::string token = "tok";
  std::uint64_t seq = 0;

  aw::protocol::run_event event(aw::protocol::event_data data) {
    aw::protocol::run_event e;
    e.seq = ++seq;
    e.event_id = "evt-1";
    e.run = std::make_shared<const aw::protocol::run_ids>(
        aw::protocol::run_ids{"run-internal", correlation, "t-1", token});
    e.user_id = std::make_shared<const std::string>("u");
    e.unix_ms = 1;
    e.data = std::move(data);
    return e;
  }
  aw::protocol::run_event started() { return event(aw::protocol::started_event{"agent", "q"}); }
  aw::protocol::run_event thought(thinking_stage stage, const std::string& text,
                                  bool partial = false) {
    return event(aw::protocol::thinking_event{stage, text, 0.5, partial});
  }
  aw::protocol::run_event tool(const std::string& name, const std::string& id) {
    return event(aw::protocol::tool_executing_event{name, id, R"({"a":1})", 0.5});
  }
  aw::protocol::run_event tool_done(const std::string& name, const std::string& id) {
    return event(aw::protocol::tool_completed_event{name, id, true, 3, R"({"ok":true})"});
  }
  aw::protocol::run_event success() {
    auto r = std::make_shared<aw::protocol::run_result>();
    r->chart_url = "/charts/ch-1";
    r->data.labels = {"a"};
    r->data.values = {1};
    r->stats.count = 1;
    r->insights = {"up 5%", "peak in Q4"};
    r->narrative = "Revenue rose.";
    r->metadata.type = aw::protocol::chart_type::bar_chart_vertical;
    r->metadata.title = "Revenue";
    aw::protocol::completed_event done;
    done.duration_ms = 12;
    done.result = std::move(r);
    return event(std::move(done));
  }
  aw::protocol::run_event failed(aw::protocol::run_status status, aw::protocol::error_code code) {
    aw::protocol::completed_event done;
    done.status = status;
    done.duration_ms = 12;
    done.code = code;
    done.message = "it went wrong";
    return event(std::move(done));
  }
};

struct collected {
  std::vector<rapidjson::Document> events;
  std::vector<std::string> types;
  void add(const std::vector<std::string>& out) {
    for (const auto& json : out) {
      rapidjson::Document d;
      d.Parse(json.c_str());
      REQUIRE_MESSAGE(!d.HasParseError(), json);
      types.emplace_back(d["type"].GetString());
      events.push_back(std::move(d));
    }
  }
  const rapidjson::Document& first(const std::string& type) const {
    for (std::size_t i = 0; i < types.size(); ++i)
      if (types[i] == type) return events[i];
    FAIL("no " << type);
    return events.front();
  }
};

std::string str(const rapidjson::Value& v, const char* key) {
  return v[key].GetString();
}

}  // namespace

TEST_CASE("a successful run maps to the AG-UI sequence") {
  run_frames f;
  agui_bridge b("t-1", "r-1", "tok");
  collected c;
  c.add(b.on_event(f.started()));
  c.add(b.on_event(f.thought(thinking_stage::planning, "reading")));
  c.add(b.on_event(f.tool("plan_chart", "call-1")));
  c.add(b.on_event(f.tool_done("plan_chart", "call-1")));
  c.add(b.on_event(f.thought(thinking_stage::writing, "summing up")));
  CHECK(!b.ended());
  c.add(b.on_event(f.success()));
  CHECK(b.ended());
  CHECK(b.run_over());
  std::vector<std::string> want = {"RUN_STARTED",
                                   "STEP_STARTED",
                                   "REASONING_START",
                                   "REASONING_MESSAGE_START",
                                   "REASONING_MESSAGE_CONTENT",
                                   "REASONING_MESSAGE_END",
                                   "REASONING_END",
                                   "TOOL_CALL_START",
                                   "TOOL_CALL_ARGS",
                                   "TOOL_CALL_END",
                                   "TOOL_CALL_RESULT",
                                   "STEP_FINISHED",
                                   "STEP_STARTED",
                                   "REASONING_START",
                                   "REASONING_MESSAGE_START",
                                   "REASONING_MESSAGE_CONTENT",
                                   "REASONING_MESSAGE_END",
                                   "REASONING_END",
                                   "STEP_FINISHED",
                                   "TEXT_MESSAGE_START",
                                   "TEXT_MESSAGE_CONTENT",
                                   "TEXT_MESSAGE_CONTENT",
                                   "TEXT_MESSAGE_END",
                                   "CUSTOM",
                                   "RUN_FINISHED"};
  CHECK(c.types == want);

  const auto& started = c.first("RUN_STARTED");
  CHECK(str(started, "threadId") == "t-1");
  CHECK(str(started, "runId") == "r-1");
  CHECK(str(started["metadata"], "agentwire_run_id") == "run-internal");
  CHECK(str(c.first("STEP_STARTED"), "stepName") == "planning");
  CHECK(str(c.first("REASONING_MESSAGE_CONTENT"), "delta") == "reading");
  CHECK(str(c.first("TOOL_CALL_START"), "toolCallName") == "plan_chart");
  CHECK(str(c.first("TOOL_CALL_START"), "toolCallId") == "call-1");
  CHECK(str(c.first("TOOL_CALL_ARGS"), "delta") == R"({"a":1})");
  const auto& result = c.first("TOOL_CALL_RESULT");
  CHECK(str(result, "toolCallId") == "call-1");
  CHECK(str(result, "role") == "tool");
  CHECK(str(result, "content") ==
        R"({"tool":"plan_chart","status":"success","duration_ms":3,"result":{"ok":true}})");
  std::string text;
  for (std::size_t i = 0; i < c.types.size(); ++i)
    if (c.types[i] == "TEXT_MESSAGE_CONTENT") text += str(c.events[i], "delta");
  CHECK(text == "Revenue rose.\n\n- up 5%\n- peak in Q4");
  CHECK(str(c.first("TEXT_MESSAGE_START"), "role") == "assistant");
  const auto& chart = c.first("CUSTOM");
  CHECK(str(chart, "name") == "agentwire.chart");
  CHECK(str(chart["value"], "chart_url") == "/charts/ch-1");
  CHECK(chart["value"]["data"]["statistics"]["count"].GetInt() == 1);
  CHECK(!chart["value"].HasMember("chart"));  // never the image bytes
  const auto& finished = c.first("RUN_FINISHED");
  CHECK(str(finished["result"], "chart_url") == "/charts/ch-1");
  CHECK(str(finished["result"], "chart_type") == "bar_chart_vertical");
  CHECK(str(finished["outcome"], "type") == "success");
  // Every id is unique.
  CHECK(str(c.first("TEXT_MESSAGE_START"), "messageId") !=
        str(c.first("REASONING_START"), "messageId"));

  CHECK(b.on_event(f.thought(thinking_stage::writing, "late")).empty());  // nothing after the end
  CHECK(b.abort("X", "y").empty());
}

TEST_CASE("streamed thoughts are one reasoning message, closed by the next event") {
  run_frames f;
  agui_bridge b("t-1", "r-1", "tok");
  collected c;
  c.add(b.on_event(f.started()));
  c.add(b.on_event(f.thought(thinking_stage::writing, "{\"ti", true)));
  c.add(b.on_event(f.thought(thinking_stage::writing, "tle\":", true)));
  c.add(b.on_event(f.thought(thinking_stage::writing, "\"x\"}", true)));
  c.add(b.on_event(f.tool("render_chart", "call-9")));
  std::vector<std::string> want = {"RUN_STARTED",
                                   "STEP_STARTED",
                                   "REASONING_START",
                                   "REASONING_MESSAGE_START",
                                   "REASONING_MESSAGE_CONTENT",
                                   "REASONING_MESSAGE_CONTENT",
                                   "REASONING_MESSAGE_CONTENT",
                                   "REASONING_MESSAGE_END",
                                   "REASONING_END",
                                   "TOOL_CALL_START",
                                   "TOOL_CALL_ARGS",
                                   "TOOL_CALL_END"};
  CHECK(c.types == want);
  std::string id = str(c.first("REASONING_START"), "messageId");
  for (std::size_t i = 4; i <= 8; ++i) CHECK(str(c.events[i], "messageId") == id);
}

TEST_CASE("only this stream's run counts") {
  run_frames mine;
  run_frames other_token;
  other_token.token = "someone-else";
  run_frames other_run;
  other_run.correlation = "r-2";
  agui_bridge b("t-1", "r-1", "tok");
  CHECK(b.on_event(mine.thought(thinking_stage::planning, "before the start")).empty());
  CHECK(b.on_event(other_token.started()).empty());
  CHECK(b.on_event(other_run.started()).empty());
  run_frames no_run;  // an event without its run's ids is nobody's
  auto orphan = no_run.started();
  orphan.run.reset();
  CHECK(b.on_event(orphan).empty());
  // An error answers another stream's request.
  CHECK(b.on_error({aw::protocol::error_code::not_found, "no such run", "r-2"}).empty());
  CHECK(!b.started());
  CHECK(b.on_event(mine.started()).size() == 1);
  CHECK(b.on_event(mine.started()).empty());  // once
  CHECK(b.on_event(other_token.success()).empty());
  CHECK(b.on_event(mine.tool_done("plan_chart", "never-started")).empty());
  CHECK(!b.ended());
}

TEST_CASE("a refused request, a failed run and a timeout end with RUN_ERROR") {
  {
    agui_bridge b("t-1", "r-1", "tok");
    aw::protocol::protocol_error e{aw::protocol::error_code::too_many_runs, "at most 4", "r-1"};
    collected c;
    c.add(b.on_error(e));
    CHECK(c.types == std::vector<std::string>{"RUN_ERROR"});
    CHECK(str(c.events[0], "code") == "TOO_MANY_RUNS");
    CHECK(str(c.events[0], "message") == "at most 4");
    CHECK(b.ended());
    CHECK(b.run_over());
  }
  for (auto [status, code] :
       {std::pair{aw::protocol::run_status::error, aw::protocol::error_code::render_failed},
        std::pair{aw::protocol::run_status::timeout, aw::protocol::error_code::timeout}}) {
    run_frames f;
    agui_bridge b("t-1", "r-1", "tok");
    collected c;
    c.add(b.on_event(f.started()));
    c.add(b.on_event(f.thought(thinking_stage::planning, "x")));
    c.add(b.on_event(f.failed(status, code)));
    CHECK(c.types.back() == "RUN_ERROR");
    CHECK(str(c.events.back(), "code") == std::string(aw::protocol::to_string(code)));
    CHECK(str(c.events.back(), "message") == "it went wrong");
  }
}

TEST_CASE("a cancelled run finishes with outcome cancelled, its step closed first") {
  run_frames f;
  agui_bridge b("t-1", "r-1", "tok");
  collected c;
  c.add(b.on_event(f.started()));
  c.add(b.on_event(f.thought(thinking_stage::analyzing, "x", true)));
  c.add(b.on_event(
      f.failed(aw::protocol::run_status::cancelled, aw::protocol::error_code::cancelled)));
  std::vector<std::string> tail(c.types.end() - 4, c.types.end());
  CHECK(tail == std::vector<std::string>{"REASONING_MESSAGE_END", "REASONING_END", "STEP_FINISHED",
                                         "RUN_FINISHED"});
  CHECK(str(c.events.back()["outcome"], "type") == "cancelled");
}

TEST_CASE("abort ends a stream the server gives up on, once") {
  run_frames f;
  agui_bridge b("t-1", "r-1", "tok");
  b.on_event(f.started());
  collected c;
  c.add(b.abort("SUPERSEDED", "superseded by a newer connection"));
  CHECK(c.types == std::vector<std::string>{"RUN_ERROR"});
  CHECK(b.ended());
  CHECK(!b.run_over());  // the run itself goes on: the gateway cancels it
  CHECK(b.abort("SUPERSEDED", "again").empty());
  CHECK(b.on_event(f.success()).empty());
}

TEST_CASE("SSE framing") {
  CHECK(aw::gateway::sse_data(R"({"type":"RUN_STARTED"})") ==
        "data: {\"type\":\"RUN_STARTED\"}\n\n");
}

TEST_CASE(
    "for a 0.0.x client a cancelled run ends with RUN_ERROR CANCELLED, nothing else changes") {
  run_frames f;
  agui_bridge b("t-1", "r-1", "tok");
  b.on_event(f.started());
  auto out = b.on_event(
      f.failed(aw::protocol::run_status::cancelled, aw::protocol::error_code::cancelled));
  REQUIRE(!out.empty());
  collected c;
  c.add({aw::gateway::legacy_event(out.back())});
  CHECK(c.types == std::vector<std::string>{"RUN_ERROR"});
  CHECK(str(c.events[0], "code") == "CANCELLED");
  // Every other event, a successful RUN_FINISHED included, is taken as it is.
  for (std::size_t i = 0; i + 1 < out.size(); ++i) CHECK(aw::gateway::legacy_event(out[i]).empty());
  agui_bridge ok("t-1", "r-2", "tok2");
  run_frames g;
  g.correlation = "r-2";
  g.token = "tok2";
  ok.on_event(g.started());
  auto done = ok.on_event(g.success());
  CHECK(aw::gateway::legacy_event(done.back()).empty());
}

TEST_CASE("event_seq is the seq of the agentwire event just mapped") {
  run_frames f;
  agui_bridge b("t-1", "r-1", "tok");
  b.on_event(f.started());
  CHECK(b.event_seq() == 1);
  b.on_event(f.thought(thinking_stage::planning, "x"));
  CHECK(b.event_seq() == 2);
  b.on_error({aw::protocol::error_code::too_many_runs, "m", "r-1"});
  CHECK(b.event_seq() == 0);
}

TEST_CASE("a snapshot follows RUN_STARTED: past turns, then the request being answered") {
  aw::store::message_record done;
  done.run_id = "run-a";
  done.request_json = R"({"content":"revenue by month"})";
  done.status = "success";
  done.response_json =
      R"({"status":"success","response":{"narrative":"It rose.","insights":["peak in May"]}})";
  aw::store::message_record failed;
  failed.run_id = "run-b";
  failed.request_json = R"({"content":"costs"})";
  failed.status = "error";
  std::string messages = aw::gateway::agui_snapshot_messages({done, failed}, "m-9", "and now?");
  run_frames f;
  agui_bridge b("t-1", "r-1", "tok");
  b.set_snapshot(messages);
  collected c;
  c.add(b.on_event(f.started()));
  REQUIRE(c.types == std::vector<std::string>{"RUN_STARTED", "MESSAGES_SNAPSHOT"});
  const auto& m = c.events[1]["messages"];
  REQUIRE(m.Size() == 4);
  CHECK(str(m[0], "id") == "run-a-user");
  CHECK(str(m[0], "content") == "revenue by month");
  CHECK(str(m[1], "role") == "assistant");
  CHECK(str(m[1], "content") == "It rose.\n\n- peak in May");  // as the live answer reads
  CHECK(str(m[2], "content") == "costs");                      // no answer: the run failed
  CHECK(str(m[3], "id") == "m-9");
  CHECK(str(m[3], "role") == "user");
  c.add(b.on_event(f.thought(thinking_stage::planning, "x")));
  CHECK(std::count(c.types.begin(), c.types.end(), "MESSAGES_SNAPSHOT") == 1);
}

TEST_CASE("AG-UI carries the run's numbers exactly as the WebSocket frame does") {
  // 13586.167188299545 came back as ...543 when the bridge re-read the frame
  // at normal precision; mapped from the typed value it is the frame's text.
  run_frames f;
  agui_bridge b("t-1", "r-1", "tok");
  b.on_event(f.started());
  auto ev = f.success();
  auto& done = std::get<aw::protocol::completed_event>(ev.data);
  auto result = std::make_shared<aw::protocol::run_result>(*done.result);
  result->data.values = {13586.167188299545};
  done.result = result;
  b.on_event(f.tool("render_chart", "call-2"));
  b.on_event(f.event(aw::protocol::tool_completed_event{"render_chart", "call-2", true, 7,
                                                        R"({"render_ms":2334.054179219913})"}));
  std::string frame = aw::protocol::write_frame(ev);
  REQUIRE(frame.find("13586.167188299545") != std::string::npos);
  auto out = b.on_event(ev);
  std::string custom;
  for (const auto& e : out)
    if (e.rfind(R"({"type":"CUSTOM")", 0) == 0) custom = e;
  CHECK(custom.find(R"("values":[13586.167188299545])") != std::string::npos);
  // The tool result's content is its result object as written, unparsed.
  run_frames g;
  agui_bridge c("t-1", "r-1", "tok");
  c.on_event(g.started());
  c.on_event(g.tool("render_chart", "call-2"));
  auto done_tool = c.on_event(g.event(aw::protocol::tool_completed_event{
      "render_chart", "call-2", true, 7, R"({"render_ms":2334.054179219913})"}));
  REQUIRE(done_tool.size() == 1);
  collected col;
  col.add(done_tool);
  CHECK(str(col.events[0], "content") ==
        R"({"tool":"render_chart","status":"success","duration_ms":7,)"
        R"("result":{"render_ms":2334.054179219913}})");
}
