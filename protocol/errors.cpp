#include "protocol/errors.hpp"

namespace aw::protocol {

std::string_view to_string(error_code c) {
  switch (c) {
    case error_code::invalid_json:
      return "INVALID_JSON";
    case error_code::unknown_type:
      return "UNKNOWN_TYPE";
    case error_code::validation_failed:
      return "VALIDATION_FAILED";
    case error_code::unsupported_chart_type:
      return "UNSUPPORTED_CHART_TYPE";
    case error_code::duplicate_correlation_id:
      return "DUPLICATE_CORRELATION_ID";
    case error_code::rate_limited:
      return "RATE_LIMITED";
    case error_code::too_many_runs:
      return "TOO_MANY_RUNS";
    case error_code::not_found:
      return "NOT_FOUND";
    case error_code::resume_gap:
      return "RESUME_GAP";
    case error_code::generation_failed:
      return "GENERATION_FAILED";
    case error_code::llm_unavailable:
      return "LLM_UNAVAILABLE";
    case error_code::render_failed:
      return "RENDER_FAILED";
    case error_code::worker_lost:
      return "WORKER_LOST";
    case error_code::timeout:
      return "TIMEOUT";
    case error_code::cancelled:
      return "CANCELLED";
    case error_code::shutting_down:
      return "SHUTTING_DOWN";
    case error_code::gateway_lost:
      return "GATEWAY_LOST";
  }
  return "GENERATION_FAILED";
}

}  // namespace aw::protocol
