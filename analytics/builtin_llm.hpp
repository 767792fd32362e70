// The built-in offline "LLM": deterministic title, labels, synthetic data,
// statistics, insights and narrative computed from the request text and data.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "protocol/chart_data.hpp"
#include "protocol/chart_types.hpp"
#include "protocol/client_messages.hpp"
#include "protocol/result.hpp"

namespace aw::analytics {

struct generation {
  std::string title;
  std::string x_label;
  std::string y_label;
  protocol::chart_data data;                    // shaped for the chart type (see chart_data.hpp)
  bool synthetic = true;                        // false when the user's data was used
  protocol::statistics stats;                   // of headline_values(data)
  std::vector<protocol::statistics> series_stats;
  std::vector<std::string> insights;            // quote the numbers in stats
  std::string narrative;
  std::vector<std::string> thoughts;            // short lines for agent_thinking events
  // Who produced the texts, for metadata.llm_provider and the LLM tool call.
  std::string provider = "builtin";             // "builtin", "openai", "builtin (fallback)"
  std::string model = "builtin";
  int tokens_in = 0;
  int tokens_out = 0;
  bool tokens_estimated = false;                // no usage figures came from the provider
  int attempts = 0;                             // HTTP attempts (0 for builtin)
  double llm_ms = 0;                            // time spent waiting for the model
  std::string fallback_reason;                  // why the builtin provider answered instead
  // The type the data was made for, and who chose it: "user" (chart_preference),
  // "model" (a model's valid answer that fits the data) or "builtin" (the planner).
  protocol::chart_type chart_type = protocol::chart_type::bar_chart_vertical;
  std::string decided_by = "builtin";
};

// Checks that user data fits the chart type (shape present, lengths, limits):
// ok, or VALIDATION_FAILED with "<field>: why", e.g. "payload.data.ohlc: ...".
status check_data_fits(protocol::chart_type type, const protocol::chart_data& data);

// Same payload and type -> same result. User data is used as given (echoed exactly),
// missing shapes are derived where that is meaningful.
//
// Conventions of the generated data, for the renderer:
//   waterfall_chart : values[0] is the starting level, values[1..] are changes (+/-)
//   pareto_chart    : values sorted descending (cumulative % is left to the renderer)
//   funnel_chart    : values strictly decreasing (synthetic)
//   combo_bar_line  : series[0] bars (y1), series[1] line (y2, a percentage)
//   histogram       : groups[0] holds the samples; labels/values are bins/counts
//   box/violin      : groups hold the samples; labels/values are names/medians
//   series types given user `values` keep them (no `series`): draw them as one series
//   scatter/bubble from user values: x = 1..n, y = value, size = |value|
generation builtin_generate(const protocol::analytics_payload& payload, protocol::chart_type type);

}  // namespace aw::analytics
