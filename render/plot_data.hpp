// The numbers and names one chart is drawn from, in the renderer's own types.
// Which shape each kind reads:
//   labels + values : bar_chart_vertical, bar_chart_horizontal, line_chart, area_chart,
//                     step_chart, pie_chart, donut_chart, funnel_chart, waterfall_chart,
//                     pareto_chart, radar_chart (one series)
//   labels + series : bar_chart_grouped, bar_chart_stacked, line_chart_multi,
//                     area_chart_stacked, radar_chart (several), combo_bar_line
//                     (series[0] bars on y1, series[1] line on y2)
//   points          : scatter_plot (x, y), bubble_chart (x, y, size)
//   groups          : histogram (all samples of groups[0]), box_plot, violin_plot
//   matrix          : heatmap (matrix[row][column], row_labels, column_labels)
//   candles         : candlestick_chart
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace aw::render {

struct data_series {
  std::string name;
  std::vector<double> values;
};

struct xy_point {
  double x = 0;
  double y = 0;
  std::optional<double> size;  // bubble charts only
};

struct ohlc {
  std::string label;
  double open = 0;
  double high = 0;
  double low = 0;
  double close = 0;
};

struct plot_data {
  std::vector<std::string> labels;
  std::vector<double> values;  // one series; or `series` for several, never both
  std::vector<data_series> series;
  std::vector<xy_point> points;
  std::vector<ohlc> candles;
  std::vector<std::vector<double>> matrix;  // rows x columns
  std::vector<std::string> row_labels;
  std::vector<std::string> column_labels;
  std::vector<data_series> groups;  // samples, one group per box or violin
};

// At most this many series (or groups) are drawn; the rest are dropped.
constexpr std::size_t max_drawn_series = 50;

}  // namespace aw::render
