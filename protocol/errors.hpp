// Error codes of PROTOCOL.md section 5 (frames) and of failed runs.
#pragma once

#include <string>
#include <string_view>

namespace aw::protocol {

enum class error_code {
  invalid_json,
  unknown_type,
  validation_failed,
  unsupported_chart_type,
  duplicate_correlation_id,
  rate_limited,
  too_many_runs,
  not_found,
  resume_gap,
  // run failures (agent_completed.error.code)
  generation_failed,
  llm_unavailable,
  render_failed,
  worker_lost,
  timeout,
  cancelled,
  shutting_down,  // an addition to PROTOCOL.md: the node is draining
  gateway_lost,   // issue #18: the node running the run died; ended at its restart
};
constexpr error_code last_error_code = error_code::gateway_lost;  // keep it the last one

std::string_view to_string(error_code c);

// An error found in a client frame; `correlation_id` is echoed when the frame had one.
struct protocol_error {
  error_code code = error_code::invalid_json;
  std::string message;
  std::string correlation_id;
};

}  // namespace aw::protocol
