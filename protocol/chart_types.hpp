// The 23 chart types of PROTOCOL.md section 9.
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace aw::protocol {

enum class chart_type : int {
  bar_chart_vertical,
  bar_chart_horizontal,
  bar_chart_grouped,
  bar_chart_stacked,
  line_chart,
  line_chart_multi,
  area_chart,
  area_chart_stacked,
  pie_chart,
  donut_chart,
  scatter_plot,
  bubble_chart,
  histogram,
  box_plot,
  violin_plot,
  heatmap,
  radar_chart,
  waterfall_chart,
  funnel_chart,
  step_chart,
  candlestick_chart,
  combo_bar_line,
  pareto_chart,
};

constexpr int chart_type_count = 23;

// All types in the order of PROTOCOL.md section 9.
const std::array<chart_type, chart_type_count>& all_chart_types();

std::string_view to_string(chart_type t);

// Exact, case-sensitive match of one of the 23 names.
std::optional<chart_type> parse_chart_type(std::string_view name);

// For "did you mean ...?" after parse_chart_type failed: the type `name` was
// probably meant to be (any case, '-' or ' ' for '_', a missing "_chart", a
// typo or two, the words of a name in another order), or nullopt.
std::optional<chart_type> nearest_chart_type(std::string_view name);

}  // namespace aw::protocol
