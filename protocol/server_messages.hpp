// Serialisation of every server-to-client message (PROTOCOL.md sections 1, 3, 5).
// Event `data` objects are serialised once by whoever makes the event and
// embedded verbatim in the envelope by the emitter (write_event).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/chart_data.hpp"
#include "protocol/chart_types.hpp"
#include "protocol/client_messages.hpp"
#include "protocol/errors.hpp"

namespace aw::protocol {

// Milliseconds since the Unix epoch -> "2026-11-21T10:30:00.123Z".
std::string rfc3339_ms(std::int64_t unix_ms);
std::int64_t now_unix_ms();

// ---- section 1
struct connection_ack {
  std::string user_id;
  std::string session_id;
  std::string node;
  int heartbeat_s = 30;
  std::uint64_t last_seq = 0;
  std::string epoch;
};
std::string write_connection_ack(const connection_ack& ack);

// ---- section 2 replies and section 5 errors
std::string write_pong(std::int64_t unix_ms);
std::string write_error(const protocol_error& e, std::int64_t unix_ms);
// RESUME_GAP carries oldest_seq and epoch as well.
std::string write_resume_gap(std::uint64_t oldest_seq, std::string_view epoch,
                             std::string_view message, std::int64_t unix_ms);

// ---- section 3: the five events
enum class event_type { agent_started, agent_thinking, tool_executing, tool_completed, agent_completed };
std::string_view to_string(event_type t);

struct event_envelope {
  event_type type = event_type::agent_started;
  std::uint64_t seq = 0;
  std::string_view event_id;
  std::string_view run_id;
  std::string_view correlation_id;
  std::string_view conversation_id;
  std::string_view user_id;
  std::string_view message_id;  // omitted when empty
  std::int64_t unix_ms = 0;
};
// `data_json` must be a serialised JSON object; it is embedded as is.
std::string write_event(const event_envelope& env, std::string_view data_json);

enum class thinking_stage { planning, analyzing, writing };
enum class run_status { success, error, cancelled, timeout };
std::string_view to_string(thinking_stage s);
std::string_view to_string(run_status s);

std::string started_data(std::string_view agent, std::string_view content);
std::string thinking_data(thinking_stage stage, std::string_view thought, double progress,
                          bool partial = false);
// `args_json` / `result_json` must be serialised JSON values.
std::string tool_executing_data(std::string_view tool, std::string_view tool_call_id,
                                std::string_view args_json, double progress);
std::string tool_completed_data(std::string_view tool, std::string_view tool_call_id, bool success,
                                double duration_ms, std::string_view result_json);
// The `result` of a tool call that failed: {"error":"RENDER_FAILED"}.
std::string tool_error_result(error_code code);
std::string completed_success_data(double duration_ms, std::string_view response_json);
std::string completed_failure_data(run_status status, double duration_ms, error_code code,
                                   std::string_view message);

// ---- section 3.1: the response of a successful run
struct response_metadata {
  chart_type type = chart_type::bar_chart_vertical;
  std::string title;
  std::string data_source;   // "synthetic" | "user"
  std::string llm_provider;  // "builtin" | "openai" | "builtin (fallback)"
  image_format format = image_format::png;
  int width = 800;
  int height = 500;
  double generation_time_ms = 0;
  std::string refined_from;  // a follow-up: the run_id of the chart it edited (written when set)
};

struct run_response {
  const std::string* image = nullptr;  // raw image bytes (not owned), base64-encoded on write
  std::string chart_url;
  const chart_data* data = nullptr;    // not owned
  statistics stats;
  std::vector<statistics> series_stats;  // per series, same order as data->series
  std::vector<std::string> insights;
  std::string narrative;
  response_metadata metadata;
};
std::string write_response(const run_response& r);

// Echo of chart data as JSON (labels, values|series and any extra shape).
std::string write_chart_data(const chart_data& d);

std::string base64_encode(std::string_view bytes);

}  // namespace aw::protocol
