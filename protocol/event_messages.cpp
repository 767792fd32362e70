// The five run events and their `data` objects (PROTOCOL.md 3).
#include "encoding/json_writer.hpp"
#include "protocol/server_messages.hpp"
#include "protocol/writers.hpp"

namespace aw::protocol {

using encoding::take;
using encoding::write_number;
using encoding::write_raw;
using encoding::write_string;

std::string_view to_string(event_type t) {
  switch (t) {
    case event_type::agent_started:
      return "agent_started";
    case event_type::agent_thinking:
      return "agent_thinking";
    case event_type::tool_executing:
      return "tool_executing";
    case event_type::tool_completed:
      return "tool_completed";
    case event_type::agent_completed:
      return "agent_completed";
  }
  return "agent_thinking";
}

std::string_view to_string(thinking_stage s) {
  switch (s) {
    case thinking_stage::planning:
      return "planning";
    case thinking_stage::analyzing:
      return "analyzing";
    case thinking_stage::writing:
      return "writing";
  }
  return "analyzing";
}

std::string_view to_string(run_status s) {
  switch (s) {
    case run_status::success:
      return "success";
    case run_status::error:
      return "error";
    case run_status::cancelled:
      return "cancelled";
    case run_status::timeout:
      return "timeout";
  }
  return "error";
}

void write_envelope_members(encoding::json_writer& w, const event_envelope& env) {
  w.Key("type");
  write_string(w, to_string(env.type));
  w.Key("seq");
  w.Uint64(env.seq);
  w.Key("event_id");
  write_string(w, env.event_id);
  w.Key("run_id");
  write_string(w, env.run_id);
  w.Key("correlation_id");
  write_string(w, env.correlation_id);
  w.Key("conversation_id");
  write_string(w, env.conversation_id);
  w.Key("user_id");
  write_string(w, env.user_id);
  if (!env.message_id.empty()) {
    w.Key("message_id");
    write_string(w, env.message_id);
  }
  w.Key("timestamp");
  write_string(w, rfc3339_ms(env.unix_ms));
}

std::string write_event(const event_envelope& env, std::string_view data_json) {
  rapidjson::StringBuffer buffer(nullptr, 384 + data_json.size());
  encoding::json_writer w(buffer);
  w.StartObject();
  write_envelope_members(w, env);
  w.Key("data");
  write_raw(w, data_json, rapidjson::kObjectType, "{}");
  w.EndObject();
  return take(buffer);
}

std::string started_data(std::string_view agent, std::string_view content) {
  rapidjson::StringBuffer buffer(nullptr, 64 + content.size());
  encoding::json_writer w(buffer);
  w.StartObject();
  w.Key("agent");
  write_string(w, agent);
  w.Key("content");
  write_string(w, content);
  w.Key("progress");
  w.Int(0);
  w.EndObject();
  return take(buffer);
}

std::string thinking_data(thinking_stage stage, std::string_view thought, double progress,
                          bool partial) {
  rapidjson::StringBuffer buffer;
  encoding::json_writer w(buffer);
  w.StartObject();
  w.Key("stage");
  write_string(w, to_string(stage));
  w.Key("thought");
  write_string(w, thought);
  w.Key("progress");
  write_number(w, progress);
  if (partial) {
    w.Key("partial");
    w.Bool(true);
  }
  w.EndObject();
  return take(buffer);
}

std::string tool_executing_data(std::string_view tool, std::string_view tool_call_id,
                                std::string_view args_json, double progress) {
  rapidjson::StringBuffer buffer;
  encoding::json_writer w(buffer);
  w.StartObject();
  w.Key("tool");
  write_string(w, tool);
  w.Key("tool_call_id");
  write_string(w, tool_call_id);
  w.Key("args");
  write_raw(w, args_json, rapidjson::kObjectType);
  w.Key("progress");
  write_number(w, progress);
  w.EndObject();
  return take(buffer);
}

std::string tool_completed_data(std::string_view tool, std::string_view tool_call_id, bool success,
                                double duration_ms, std::string_view result_json) {
  rapidjson::StringBuffer buffer;
  encoding::json_writer w(buffer);
  w.StartObject();
  w.Key("tool");
  write_string(w, tool);
  w.Key("tool_call_id");
  write_string(w, tool_call_id);
  w.Key("status");
  w.String(success ? "success" : "error");
  w.Key("duration_ms");
  write_number(w, duration_ms);
  w.Key("result");
  write_raw(w, result_json, rapidjson::kObjectType);
  w.EndObject();
  return take(buffer);
}

std::string tool_error_result(error_code code) {
  rapidjson::StringBuffer buffer;
  encoding::json_writer w(buffer);
  w.StartObject();
  w.Key("error");
  write_string(w, to_string(code));
  w.EndObject();
  return take(buffer);
}

std::string completed_success_data(double duration_ms, std::string_view response_json) {
  rapidjson::StringBuffer buffer(nullptr, 128 + response_json.size());
  encoding::json_writer w(buffer);
  w.StartObject();
  w.Key("status");
  w.String("success");
  w.Key("duration_ms");
  write_number(w, duration_ms);
  w.Key("response");
  write_raw(w, response_json, rapidjson::kObjectType, "{}");
  w.EndObject();
  return take(buffer);
}

std::string completed_failure_data(run_status status, double duration_ms, error_code code,
                                   std::string_view message) {
  // A failure data object never says "success".
  if (status == run_status::success) status = run_status::error;
  rapidjson::StringBuffer buffer;
  encoding::json_writer w(buffer);
  w.StartObject();
  w.Key("status");
  write_string(w, to_string(status));
  w.Key("duration_ms");
  write_number(w, duration_ms);
  w.Key("error");
  w.StartObject();
  w.Key("code");
  write_string(w, to_string(code));
  w.Key("message");
  write_string(w, message);
  w.EndObject();
  w.EndObject();
  return take(buffer);
}

}  // namespace aw::protocol
