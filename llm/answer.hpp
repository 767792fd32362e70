// The model's structured answer, validated like user input: parsed with
// RapidJSON, repaired where that is safe (clamped counts, dropped non-finite
// numbers, truncated strings, fixed lengths), rejected otherwise.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analytics/builtin_llm.hpp"
#include "protocol/chart_data.hpp"
#include "protocol/client_messages.hpp"
#include "protocol/result.hpp"

namespace aw::llm {

// Limits on what a model may contribute.
constexpr std::size_t max_answer_labels = 100;
constexpr std::size_t max_answer_series = 10;
constexpr std::size_t max_answer_insights = 6;
constexpr std::size_t max_title_chars = 200;
constexpr std::size_t max_insight_chars = 300;
constexpr std::size_t max_narrative_chars = 2000;
constexpr double max_abs_value = 1e12;

struct model_answer {
  std::string title;
  std::string x_label;
  std::string y_label;
  std::string chart_type;  // the model's decision (kept when valid and it fits the data)
  std::vector<std::string> labels;
  std::vector<double> values;
  std::vector<protocol::named_series> series;
  std::vector<std::string> insights;
  std::string narrative;
  std::vector<std::string> repairs;  // what was fixed, for the logs
};

// The first JSON object in `text` (code fences and chatter around it are ignored).
// LLM_UNAVAILABLE, with why, when there is none or it holds nothing usable.
result<model_answer> parse_answer(std::string_view text);

// The generation for the run: the user's data kept exactly when given (the model
// only writes title, axis labels, insights, narrative); otherwise the model's data
// when it fits the chart type, else the builtin synthetic data. Statistics are
// always recomputed here. The type: chart_preference when given (decided_by "user"),
// else the model's chart_type when valid and it fits the data ("model"), else
// `planned`, the built-in plan ("builtin", with a thought saying why).
analytics::generation build_generation(const protocol::analytics_payload& payload,
                                       protocol::chart_type type, const model_answer& answer);

}  // namespace aw::llm
