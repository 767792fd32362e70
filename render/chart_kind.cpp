#include "render/chart_kind.hpp"

namespace aw::render {

const std::array<chart_kind, chart_kind_count>& all_chart_kinds() {
  static const std::array<chart_kind, chart_kind_count> kinds = [] {
    std::array<chart_kind, chart_kind_count> out{};
    for (int i = 0; i < chart_kind_count; ++i) out[i] = static_cast<chart_kind>(i);
    return out;
  }();
  return kinds;
}

std::string_view name_of(chart_kind kind) {
  switch (kind) {
    case chart_kind::bar_chart_vertical:
      return "bar_chart_vertical";
    case chart_kind::bar_chart_horizontal:
      return "bar_chart_horizontal";
    case chart_kind::bar_chart_grouped:
      return "bar_chart_grouped";
    case chart_kind::bar_chart_stacked:
      return "bar_chart_stacked";
    case chart_kind::line_chart:
      return "line_chart";
    case chart_kind::line_chart_multi:
      return "line_chart_multi";
    case chart_kind::area_chart:
      return "area_chart";
    case chart_kind::area_chart_stacked:
      return "area_chart_stacked";
    case chart_kind::pie_chart:
      return "pie_chart";
    case chart_kind::donut_chart:
      return "donut_chart";
    case chart_kind::scatter_plot:
      return "scatter_plot";
    case chart_kind::bubble_chart:
      return "bubble_chart";
    case chart_kind::histogram:
      return "histogram";
    case chart_kind::box_plot:
      return "box_plot";
    case chart_kind::violin_plot:
      return "violin_plot";
    case chart_kind::heatmap:
      return "heatmap";
    case chart_kind::radar_chart:
      return "radar_chart";
    case chart_kind::waterfall_chart:
      return "waterfall_chart";
    case chart_kind::funnel_chart:
      return "funnel_chart";
    case chart_kind::step_chart:
      return "step_chart";
    case chart_kind::candlestick_chart:
      return "candlestick_chart";
    case chart_kind::combo_bar_line:
      return "combo_bar_line";
    case chart_kind::pareto_chart:
      return "pareto_chart";
  }
  return "unknown";
}

}  // namespace aw::render
