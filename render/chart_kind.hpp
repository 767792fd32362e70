// The kinds of chart the renderer draws. render/ keeps its own list so that it
// depends on nothing of the wire protocol; actors/chart_spec_for.cpp maps the
// protocol's chart types onto these.
#pragma once

#include <array>
#include <string_view>

namespace aw::render {

enum class chart_kind : int {
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

constexpr int chart_kind_count = 23;

// Every kind, in the order above.
const std::array<chart_kind, chart_kind_count>& all_chart_kinds();

// The kind's name, for error messages and cache keys.
std::string_view name_of(chart_kind kind);

}  // namespace aw::render
