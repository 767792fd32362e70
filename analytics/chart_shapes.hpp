// Which data shape each chart type draws from (see protocol/chart_data.hpp).
#pragma once

#include "protocol/chart_types.hpp"

namespace aw::analytics {

enum class data_shape { values, series, points, groups, matrix, candles };

constexpr data_shape shape_of(protocol::chart_type t) {
  using protocol::chart_type;
  switch (t) {
    case chart_type::bar_chart_grouped:
    case chart_type::bar_chart_stacked:
    case chart_type::line_chart_multi:
    case chart_type::area_chart_stacked:
    case chart_type::combo_bar_line:
      return data_shape::series;
    case chart_type::scatter_plot:
    case chart_type::bubble_chart:
      return data_shape::points;
    case chart_type::histogram:
    case chart_type::box_plot:
    case chart_type::violin_plot:
      return data_shape::groups;
    case chart_type::heatmap:
      return data_shape::matrix;
    case chart_type::candlestick_chart:
      return data_shape::candles;
    default:
      return data_shape::values;  // radar_chart also takes series
  }
}

}  // namespace aw::analytics
