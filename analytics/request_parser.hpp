// The built-in understanding of a request: reads intent, measures,
// dimensions and numbers from the words and decides the chart type, the
// labels and the series from them. Deterministic, no network.
//
//   "Top 7 sales reps by closed revenue"      -> bar_chart_horizontal, 7 labels
//   "Planned vs actual hours for each project" -> bar_chart_grouped, series Planned / Actual hours
//   "Revenue for Paris, London and Berlin by month" -> line_chart_multi, 12 labels, 3 series
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analytics/request_dimensions.hpp"
#include "analytics/request_intent.hpp"
#include "analytics/request_numbers.hpp"
#include "protocol/chart_types.hpp"

namespace aw::analytics {

struct parsed_request {
  std::string text;  // normalized words joined by spaces
  std::vector<word> words;
  request_numbers numbers;
  time_grain grain = time_grain::none;  // the grain of the x axis when it is time
  std::vector<named_list> lists;
  std::string category;  // "region" for "by region"
  intent what = intent::none;
  std::optional<protocol::chart_type> named;  // the words name a type
  protocol::chart_type type = protocol::chart_type::bar_chart_vertical;
  std::string reason;  // completes "The request asks about ..."

  // Decided from the above; empty means "the default for the type".
  std::vector<std::string> labels;
  bool labels_generic = false;  // "Store 1".. : only their count comes from the words
  std::vector<std::string> series;
  int points = 0;                     // points, samples groups or candles fixed by the words
  std::vector<std::string> measures;  // the two sides of a relationship ("ad spend", "sales")
};

parsed_request parse_request(std::string_view content);

}  // namespace aw::analytics
