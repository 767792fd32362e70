// Frames outside runs and the five events serialise as PROTOCOL.md says.
#include <cmath>
#include <limits>
#include <string>

#include "protocol/server_messages.hpp"
#include "test_util.hpp"

namespace aw::protocol {
namespace {

using test::parse_json;
using test::str;

// YYYY-MM-DDTHH:MM:SS.mmmZ
bool is_timestamp(const std::string& s) {
  const std::string pattern = "dddd-dd-ddTdd:dd:dd.dddZ";
  if (s.size() != pattern.size()) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    bool ok = pattern[i] == 'd' ? (s[i] >= '0' && s[i] <= '9') : s[i] == pattern[i];
    if (!ok) return false;
  }
  return true;
}

TEST_CASE("rfc3339_ms formats UTC with milliseconds") {
  CHECK(rfc3339_ms(0) == "1970-01-01T00:00:00.000Z");
  CHECK(rfc3339_ms(1795257000123) == "2026-11-21T10:30:00.123Z");
  CHECK(rfc3339_ms(1709251199999) == "2024-02-29T23:59:59.999Z");
  CHECK(rfc3339_ms(-1) == "1969-12-31T23:59:59.999Z");
  CHECK(rfc3339_ms(5) == "1970-01-01T00:00:00.005Z");
  std::string now = rfc3339_ms(now_unix_ms());
  CHECK(is_timestamp(now));
  CHECK_FALSE(is_timestamp("2026-11-21T10:30:00Z"));
  CHECK(now.substr(0, 2) == "20");
}

TEST_CASE("connection_ack") {
  connection_ack ack;
  ack.user_id = "U";
  ack.session_id = "S";
  ack.node = "gw-1";
  ack.last_seq = 41;
  ack.epoch = "e-7f3a";
  std::string text = write_connection_ack(ack);
  auto doc = parse_json(text);
  CHECK(str(doc["type"]) == "connection_ack");
  CHECK(str(doc["user_id"]) == "U");
  CHECK(str(doc["session_id"]) == "S");
  CHECK(str(doc["node"]) == "gw-1");
  CHECK(str(doc["version"]) == "1");
  CHECK(doc["heartbeat_s"].GetInt() == 30);
  CHECK(doc["last_seq"].GetUint64() == 41);
  CHECK(str(doc["epoch"]) == "e-7f3a");
  const auto& caps = doc["capabilities"];
  REQUIRE(caps.Size() == 4);
  CHECK(str(caps[0]) == "analytics");
  CHECK(str(caps[1]) == "resume");
  CHECK(str(caps[2]) == "cancel");
  CHECK(str(caps[3]) == "llm_stream");
  const auto& types = doc["chart_types"];
  REQUIRE(types.Size() == 23);
  for (int i = 0; i < 23; ++i) CHECK(str(types[i]) == to_string(all_chart_types()[i]));
  CHECK(str(types[0]) == "bar_chart_vertical");
  CHECK(str(types[22]) == "pareto_chart");
}

TEST_CASE("pong") {
  auto doc = parse_json(write_pong(1795257000123));
  CHECK(str(doc["type"]) == "pong");
  CHECK(str(doc["timestamp"]) == "2026-11-21T10:30:00.123Z");
  CHECK(doc.MemberCount() == 2);
}

TEST_CASE("error frames, with and without correlation_id") {
  protocol_error e;
  e.code = error_code::validation_failed;
  e.message = "payload.width must be an integer 200..4000";
  e.correlation_id = "c-1";
  auto doc = parse_json(write_error(e, 0));
  CHECK(str(doc["type"]) == "error");
  CHECK(str(doc["correlation_id"]) == "c-1");
  CHECK(str(doc["code"]) == "VALIDATION_FAILED");
  CHECK(str(doc["message"]) == e.message);
  CHECK(is_timestamp(str(doc["timestamp"])));
  e.correlation_id.clear();
  e.code = error_code::invalid_json;
  doc = parse_json(write_error(e, 0));
  CHECK_FALSE(doc.HasMember("correlation_id"));
  CHECK(str(doc["code"]) == "INVALID_JSON");
}

TEST_CASE("RESUME_GAP carries oldest_seq and epoch") {
  auto doc = parse_json(write_resume_gap(17, "e-2", "events before 17 are gone", 0));
  CHECK(str(doc["type"]) == "error");
  CHECK(str(doc["code"]) == "RESUME_GAP");
  CHECK(doc["oldest_seq"].GetUint64() == 17);
  CHECK(str(doc["epoch"]) == "e-2");
  CHECK(str(doc["message"]) == "events before 17 are gone");
  CHECK(is_timestamp(str(doc["timestamp"])));
}

event_envelope sample_envelope() {
  event_envelope env;
  env.type = event_type::agent_thinking;
  env.seq = 42;
  env.event_id = "evt-1";
  env.run_id = "run-1";
  env.correlation_id = "c-1";
  env.conversation_id = "conv-1";
  env.user_id = "U";
  env.unix_ms = 1795257000123;
  return env;
}

TEST_CASE("event envelope embeds data verbatim") {
  event_envelope env = sample_envelope();
  std::string data = thinking_data(thinking_stage::analyzing, "Looking at the numbers", 0.25);
  std::string text = write_event(env, data);
  auto doc = parse_json(text);
  CHECK(str(doc["type"]) == "agent_thinking");
  CHECK(doc["seq"].GetUint64() == 42);
  CHECK(str(doc["event_id"]) == "evt-1");
  CHECK(str(doc["run_id"]) == "run-1");
  CHECK(str(doc["correlation_id"]) == "c-1");
  CHECK(str(doc["conversation_id"]) == "conv-1");
  CHECK(str(doc["user_id"]) == "U");
  CHECK_FALSE(doc.HasMember("message_id"));
  CHECK(str(doc["timestamp"]) == "2026-11-21T10:30:00.123Z");
  CHECK(text.find("\"data\":" + data) != std::string::npos);
  CHECK(str(doc["data"]["stage"]) == "analyzing");
  CHECK(doc["data"]["progress"].GetDouble() == 0.25);
  CHECK_FALSE(doc["data"].HasMember("partial"));

  env.message_id = "m-1";
  doc = parse_json(write_event(env, data));
  CHECK(str(doc["message_id"]) == "m-1");
}

TEST_CASE("event type names") {
  CHECK(to_string(event_type::agent_started) == "agent_started");
  CHECK(to_string(event_type::agent_thinking) == "agent_thinking");
  CHECK(to_string(event_type::tool_executing) == "tool_executing");
  CHECK(to_string(event_type::tool_completed) == "tool_completed");
  CHECK(to_string(event_type::agent_completed) == "agent_completed");
  CHECK(to_string(thinking_stage::planning) == "planning");
  CHECK(to_string(thinking_stage::writing) == "writing");
  CHECK(to_string(run_status::success) == "success");
  CHECK(to_string(run_status::error) == "error");
  CHECK(to_string(run_status::cancelled) == "cancelled");
  CHECK(to_string(run_status::timeout) == "timeout");
}

TEST_CASE("agent_started data has progress 0 as an integer") {
  std::string text = started_data("analytics", "Show \"quarterly\" revenue");
  CHECK(text.find("\"progress\":0}") != std::string::npos);
  auto doc = parse_json(text);
  CHECK(str(doc["agent"]) == "analytics");
  CHECK(str(doc["content"]) == "Show \"quarterly\" revenue");
  CHECK(doc["progress"].IsInt());
  CHECK(doc["progress"].GetInt() == 0);
}

TEST_CASE("agent_thinking partial flag only when partial") {
  auto doc = parse_json(thinking_data(thinking_stage::writing, "Rev", 0.5, true));
  CHECK(str(doc["stage"]) == "writing");
  CHECK(str(doc["thought"]) == "Rev");
  CHECK(doc["partial"].GetBool());
  std::string text = thinking_data(thinking_stage::planning, "", 1.0);
  CHECK(text.find("\"progress\":1}") != std::string::npos);
}

TEST_CASE("tool_executing and tool_completed") {
  auto doc = parse_json(
      tool_executing_data("render_chart", "tc-1", R"({"type":"bar_chart_vertical"})", 0.7));
  CHECK(str(doc["tool"]) == "render_chart");
  CHECK(str(doc["tool_call_id"]) == "tc-1");
  CHECK(str(doc["args"]["type"]) == "bar_chart_vertical");
  CHECK(doc["progress"].GetDouble() == 0.7);
  doc = parse_json(tool_executing_data("plan_chart", "tc-2", "", 0));
  CHECK(doc["args"].IsNull());

  doc = parse_json(tool_completed_data("render_chart", "tc-1", true, 12.5, R"({"bytes":1024})"));
  CHECK(str(doc["status"]) == "success");
  CHECK(doc["duration_ms"].GetDouble() == 12.5);
  CHECK(doc["result"]["bytes"].GetInt() == 1024);
  std::string text = tool_completed_data("llm_enhance", "tc-3", false, 37, "\"timeout\"");
  CHECK(text.find("\"duration_ms\":37,") != std::string::npos);
  doc = parse_json(text);
  CHECK(str(doc["status"]) == "error");
  CHECK(str(doc["result"]) == "timeout");
}

TEST_CASE("agent_completed data for success and failure") {
  auto doc = parse_json(completed_success_data(1500, R"({"success":true})"));
  CHECK(str(doc["status"]) == "success");
  CHECK(doc["duration_ms"].GetInt() == 1500);
  CHECK(doc["response"]["success"].GetBool());
  CHECK_FALSE(doc.HasMember("error"));

  doc = parse_json(
      completed_failure_data(run_status::cancelled, 20.25, error_code::cancelled, "cancelled"));
  CHECK(str(doc["status"]) == "cancelled");
  CHECK(doc["duration_ms"].GetDouble() == 20.25);
  CHECK(str(doc["error"]["code"]) == "CANCELLED");
  CHECK(str(doc["error"]["message"]) == "cancelled");
  CHECK_FALSE(doc.HasMember("response"));

  doc = parse_json(completed_failure_data(run_status::timeout, 30000, error_code::timeout, "t"));
  CHECK(str(doc["status"]) == "timeout");
  CHECK(str(doc["error"]["code"]) == "TIMEOUT");
  doc = parse_json(
      completed_failure_data(run_status::error, 1, error_code::render_failed, "gnuplot died"));
  CHECK(str(doc["status"]) == "error");
  CHECK(str(doc["error"]["code"]) == "RENDER_FAILED");
}

TEST_CASE("any input string gives valid JSON") {
  std::string nasty = std::string("quote\" backslash\\ nl\n nul") + '\0' + " ctl\x01 \xFF\xFE" +
                      " cut\xE6\x97" + " \xED\xA0\x80 ok\xF0\x9F\x98\x80";
  std::string text = started_data(nasty, nasty);
  auto doc = parse_json(text);  // strict: rejects invalid UTF-8
  std::string content = str(doc["content"]);
  CHECK(content.find("quote\" backslash\\ nl\n nul") == 0);
  CHECK(content.size() > 20);
  CHECK(content.find("\xEF\xBF\xBD") != std::string::npos);
  CHECK(content.find("ok\xF0\x9F\x98\x80") != std::string::npos);

  protocol_error e;
  e.message = nasty;
  e.correlation_id = nasty;
  parse_json(write_error(e, 0));
}

TEST_CASE("non-finite numbers are written as null") {
  auto doc = parse_json(
      thinking_data(thinking_stage::planning, "x", std::numeric_limits<double>::quiet_NaN()));
  CHECK(doc["progress"].IsNull());
  doc = parse_json(completed_success_data(std::numeric_limits<double>::infinity(), "{}"));
  CHECK(doc["duration_ms"].IsNull());
}

}  // namespace
}  // namespace aw::protocol

TEST_CASE("a failed tool's result names the error code") {
  using namespace aw::protocol;
  CHECK(tool_error_result(error_code::render_failed) == R"({"error":"RENDER_FAILED"})");
  CHECK(tool_error_result(error_code::cancelled) == R"({"error":"CANCELLED"})");
}
