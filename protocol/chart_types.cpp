#include "protocol/chart_types.hpp"

namespace aw::protocol {
namespace {

constexpr std::array<std::string_view, chart_type_count> kNames = {
    "bar_chart_vertical", "bar_chart_horizontal", "bar_chart_grouped", "bar_chart_stacked",
    "line_chart",         "line_chart_multi",     "area_chart",        "area_chart_stacked",
    "pie_chart",          "donut_chart",          "scatter_plot",      "bubble_chart",
    "histogram",          "box_plot",             "violin_plot",       "heatmap",
    "radar_chart",        "waterfall_chart",      "funnel_chart",      "step_chart",
    "candlestick_chart",  "combo_bar_line",       "pareto_chart",
};

std::array<chart_type, chart_type_count> make_all() {
  std::array<chart_type, chart_type_count> all{};
  for (int i = 0; i < chart_type_count; ++i) all[i] = static_cast<chart_type>(i);
  return all;
}

}  // namespace

const std::array<chart_type, chart_type_count>& all_chart_types() {
  static const auto all = make_all();
  return all;
}

std::string_view to_string(chart_type t) { return kNames[static_cast<int>(t)]; }

std::optional<chart_type> parse_chart_type(std::string_view name) {
  for (int i = 0; i < chart_type_count; ++i)
    if (kNames[i] == name) return static_cast<chart_type>(i);
  return std::nullopt;
}

}  // namespace aw::protocol
