// check_data_fits: does the user's data give the shape the chart type needs?
#include <cmath>
#include <string>

#include "analytics/builtin_llm.hpp"
#include "analytics/chart_shapes.hpp"

namespace aw::analytics {
namespace {

using protocol::chart_type;

status fail(const std::string& field, const std::string& message) {
  return {protocol::error_code::validation_failed, field + ": " + message};
}

std::string name_of(chart_type t) {
  return std::string(protocol::to_string(t));
}

bool all_finite(const std::vector<double>& v) {
  for (double x : v)
    if (!std::isfinite(x)) return false;
  return true;
}

// Lengths, limits and finiteness, whatever the chart type.
status check_general(const protocol::chart_data& d) {
  if (!d.values.empty() && !d.series.empty())
    return fail("payload.data", "give either values or series, not both");
  if (d.labels.size() > protocol::max_data_points)
    return fail("payload.data.labels",
                "more than " + std::to_string(protocol::max_data_points) + " labels");
  for (std::size_t i = 0; i < d.labels.size(); ++i)
    if (d.labels[i].size() > protocol::max_label_chars)
      return fail("payload.data.labels[" + std::to_string(i) + "]", "longer than 200 characters");
  if (!d.values.empty()) {
    if (d.values.size() != d.labels.size())
      return fail("payload.data.values", std::to_string(d.values.size()) + " values for " +
                                             std::to_string(d.labels.size()) + " labels");
    if (!all_finite(d.values)) return fail("payload.data.values", "must be finite numbers");
  }
  if (d.series.size() > protocol::max_series)
    return fail("payload.data.series",
                "more than " + std::to_string(protocol::max_series) + " series");
  for (std::size_t i = 0; i < d.series.size(); ++i) {
    std::string field = "payload.data.series[" + std::to_string(i) + "].values";
    if (d.series[i].values.size() != d.labels.size())
      return fail(field, std::to_string(d.series[i].values.size()) + " values for " +
                             std::to_string(d.labels.size()) + " labels");
    if (!all_finite(d.series[i].values)) return fail(field, "must be finite numbers");
  }
  std::size_t total = d.values.size() + d.points.size() + d.candles.size();
  for (const auto& s : d.series) total += s.values.size();
  for (const auto& g : d.groups) total += g.values.size();
  for (const auto& row : d.matrix) total += row.size();
  if (total > protocol::max_data_points)
    return fail("payload.data",
                "more than " + std::to_string(protocol::max_data_points) + " numbers");
  for (std::size_t i = 0; i < d.points.size(); ++i) {
    const auto& p = d.points[i];
    if (!std::isfinite(p.x) || !std::isfinite(p.y) || (p.size && !std::isfinite(*p.size)))
      return fail("payload.data.points[" + std::to_string(i) + "]", "must be finite numbers");
  }
  for (std::size_t i = 0; i < d.groups.size(); ++i)
    if (!all_finite(d.groups[i].values))
      return fail("payload.data.groups[" + std::to_string(i) + "].values",
                  "must be finite numbers");
  for (std::size_t r = 0; r < d.matrix.size(); ++r) {
    std::string field = "payload.data.matrix[" + std::to_string(r) + "]";
    if (d.matrix[r].size() != d.matrix.front().size())
      return fail(field, "every row needs the same number of columns");
    if (!all_finite(d.matrix[r])) return fail(field, "must be finite numbers");
  }
  for (std::size_t i = 0; i < d.candles.size(); ++i) {
    const auto& c = d.candles[i];
    std::string field = "payload.data.ohlc[" + std::to_string(i) + "]";
    if (!std::isfinite(c.open) || !std::isfinite(c.high) || !std::isfinite(c.low) ||
        !std::isfinite(c.close))
      return fail(field, "must be finite numbers");
    if (c.high < std::max(c.open, c.close) || c.low > std::min(c.open, c.close))
      return fail(field, "high must be >= open and close, low <= open and close");
  }
  bool empty = d.values.empty() && d.series.empty() && d.points.empty() && d.candles.empty() &&
               d.groups.empty() && d.matrix.empty();
  if (empty) return fail("payload.data", "holds no values");
  return {};
}

bool has_values_summary(const protocol::chart_data& d) {
  // Points, candles and groups summarise into labels + values.
  return !d.values.empty() || (d.series.empty() && d.matrix.empty());
}

status check_values_type(chart_type type, const protocol::chart_data& d) {
  if (!has_values_summary(d))
    return fail("payload.data.values", name_of(type) + " needs labels and values (one series)");
  bool non_negative_total = type == chart_type::pie_chart || type == chart_type::donut_chart ||
                            type == chart_type::funnel_chart;
  if (non_negative_total && !d.values.empty()) {
    double sum = 0;
    for (double v : d.values) {
      if (v < 0) return fail("payload.data.values", name_of(type) + " needs values >= 0");
      sum += v;
    }
    if (sum <= 0) return fail("payload.data.values", name_of(type) + " needs a positive total");
  }
  return {};
}

}  // namespace

status check_data_fits(chart_type type, const protocol::chart_data& d) {
  if (auto misfit = check_general(d); !misfit.ok()) return misfit;

  const bool summary = !d.values.empty() || !d.series.empty();
  switch (shape_of(type)) {
    case data_shape::values:
      if (type == chart_type::radar_chart) {
        if (!summary)
          return fail("payload.data.values", "radar_chart needs labels and values or series");
        if (d.labels.size() < 3)
          return fail("payload.data.labels", "radar_chart needs at least 3 labels");
        return {};
      }
      return check_values_type(type, d);
    case data_shape::series:
      if (type == chart_type::combo_bar_line && d.series.size() < 2)
        return fail("payload.data.series",
                    "combo_bar_line needs at least 2 series (bars and line)");
      if (!summary && d.matrix.empty())
        return fail("payload.data.series", name_of(type) + " needs labels and series");
      return {};
    case data_shape::points:
      if (d.points.empty() && !summary)
        return fail("payload.data.points", name_of(type) + " needs points or labels and values");
      if (type == chart_type::bubble_chart)
        for (std::size_t i = 0; i < d.points.size(); ++i)
          if (!d.points[i].size)
            return fail("payload.data.points[" + std::to_string(i) + "].size",
                        "bubble_chart needs a size for every point");
      return {};
    case data_shape::groups:
      if (d.groups.empty() && !summary)
        return fail("payload.data.samples",
                    name_of(type) + " needs samples, groups, values or series");
      for (std::size_t i = 0; i < d.groups.size(); ++i)
        if (d.groups[i].values.empty())
          return fail("payload.data.groups[" + std::to_string(i) + "].values",
                      "a group needs at least one value");
      return {};
    case data_shape::matrix:
      if (d.matrix.empty() && !summary)
        return fail("payload.data.matrix", "heatmap needs a matrix, series or values");
      return {};
    case data_shape::candles:
      if (d.candles.empty())
        return fail("payload.data.ohlc", "candlestick_chart needs open/high/low/close data");
      return {};
  }
  return {};
}

}  // namespace aw::analytics
