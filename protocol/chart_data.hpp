// Chart data as it travels from the request (or the LLM) to the renderer and
// back into the response. Every type has the "summary" view (labels with
// values or series); some types also carry a shape of their own.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace aw::protocol {

struct named_series {
  std::string name;
  std::vector<double> values;
};

// scatter_plot, bubble_chart. `size` is used by bubble charts only.
struct point {
  double x = 0;
  double y = 0;
  std::optional<double> size;
};

// candlestick_chart.
struct candle {
  std::string label;
  double open = 0;
  double high = 0;
  double low = 0;
  double close = 0;
};

// Which shape each type draws from (the contract between analytics/ and render/):
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
// The summary view (labels + values|series) is always filled as well, so that
// statistics and the response echo work the same way for every type.
struct chart_data {
  // Summary view. Either `values` (one series) or `series` (several), never both.
  std::vector<std::string> labels;
  std::vector<double> values;
  std::vector<named_series> series;

  // Extra shapes; empty when the type does not need them.
  std::vector<point> points;                     // "points":[{"x":..,"y":..,"size":..}]
  std::vector<candle> candles;                   // "ohlc":[{"label":..,"open":..,...}]
  std::vector<std::vector<double>> matrix;       // "matrix":[[..],..] rows x columns
  std::vector<std::string> row_labels;           // "rows":[..]     (matrix row names)
  std::vector<std::string> column_labels;        // "columns":[..]  (matrix column names)
  std::vector<named_series> groups;              // "samples":[..] (one group) or
                                                 // "groups":[{"name":..,"values":[..]}]

  bool has_series() const { return !series.empty(); }
};

struct statistics {
  std::size_t count = 0;
  double sum = 0;
  double mean = 0;
  double median = 0;
  double min = 0;
  double max = 0;
  double std_dev = 0;                 // population standard deviation
  std::optional<double> growth_pct;   // first -> last, when the first is not 0 and count > 1
};

// Limits applied to every data shape (VALIDATION_FAILED beyond them).
constexpr std::size_t max_data_points = 10000;
constexpr std::size_t max_label_chars = 200;
constexpr std::size_t max_series = 50;

}  // namespace aw::protocol
