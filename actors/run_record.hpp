// What a run needs to be run again after its gateway died (issue #18), kept in
// the durable event log on the event that marks the step (store's
// event_log_row::resume):
//   - on agent_started, the run's input: the payload the run actor got (a
//     follow-up already applied, the conversation context included) and its
//     follow-up origin. Plan, built-in generation and render are repeatable
//     from it: the built-in model's data is seeded by the request itself.
//   - on the tool_completed of a real model's answer, that answer (the
//     generation, and whether it chose the chart type), so a re-run does not
//     ask the model again once its answer may have been seen.
// Text-safe (PostgreSQL TEXT): a kind and version prefix, then the CAF binary
// form (actors/wire_types.hpp) in hex. A record of another version, or one that
// does not decode, is not used: that run ends GATEWAY_LOST instead.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "analytics/builtin_llm.hpp"
#include "protocol/client_messages.hpp"

namespace aw::actors {

struct run_record {
  protocol::analytics_payload payload;
  std::string refined_from;
  bool refined_synthetic = false;
  // Re-runs started so far: a run whose re-run kills the node each time (a
  // request that crashes it) is repeated at most max_reruns times.
  std::uint32_t reruns = 0;
};

constexpr std::uint32_t max_reruns = 2;

struct run_checkpoint {
  bool chose = false;  // answered while choosing the type (plan_chart), else generating
  analytics::generation gen;
};

std::string encode_run_record(const protocol::analytics_payload& payload,
                              const std::string& refined_from, bool refined_synthetic,
                              std::uint32_t reruns = 0);
std::optional<run_record> decode_run_record(std::string_view text);

std::string encode_checkpoint(bool chose, const analytics::generation& gen);
std::optional<run_checkpoint> decode_checkpoint(std::string_view text);

}  // namespace aw::actors
