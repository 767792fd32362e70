// The five run events and their `data` objects (PROTOCOL.md 3).
#include "encoding/json_writer.hpp"
#include "protocol/run_event.hpp"
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

// The string forms of the typed events' data (protocol/run_event.hpp), for
// callers that hold no typed event (the endings a restart writes, tests).
std::string started_data(std::string_view agent, std::string_view content) {
  return write_data(started_event{std::string(agent), std::string(content)});
}

std::string thinking_data(thinking_stage stage, std::string_view thought, double progress,
                          bool partial) {
  return write_data(thinking_event{stage, std::string(thought), progress, partial});
}

std::string tool_executing_data(std::string_view tool, std::string_view tool_call_id,
                                std::string_view args_json, double progress) {
  return write_data(tool_executing_event{std::string(tool), std::string(tool_call_id),
                                         std::string(args_json), progress});
}

std::string tool_completed_data(std::string_view tool, std::string_view tool_call_id, bool success,
                                double duration_ms, std::string_view result_json) {
  return write_data(tool_completed_event{std::string(tool), std::string(tool_call_id), success,
                                         duration_ms, std::string(result_json)});
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
  completed_event failed;
  // A failure data object never says "success".
  failed.status = status == run_status::success ? run_status::error : status;
  failed.duration_ms = duration_ms;
  failed.code = code;
  failed.message = std::string(message);
  return write_data(failed);
}

}  // namespace aw::protocol
