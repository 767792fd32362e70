#include "analytics/user_data.hpp"

#include <cmath>

#include "analytics/chart_shapes.hpp"
#include "analytics/synthetic_data.hpp"

namespace aw::analytics {
namespace {

using protocol::chart_type;

// Fills labels + values|series from the extra shapes when the user sent none.
// Labels the user gave are kept when they match the derived count.
void fill_summary(chart_type type, protocol::chart_data& d) {
  if (!d.values.empty() || !d.series.empty()) return;
  const auto user_labels = d.labels;
  if (!d.points.empty()) {
    points_summary(d);
  } else if (!d.candles.empty()) {
    candles_summary(d);
  } else if (!d.groups.empty()) {
    if (type == chart_type::histogram)
      histogram_summary(d.groups.front().values, d);
    else
      groups_summary(d);
  } else if (!d.matrix.empty()) {
    matrix_summary(d);
  }
  if (!user_labels.empty() && user_labels.size() == d.labels.size()) d.labels = user_labels;
}

void derive_points(chart_type type, protocol::chart_data& d) {
  const bool bubble = type == chart_type::bubble_chart;
  if (d.series.size() >= 2) {
    // Two or more series: the first is x, the second y, a third the bubble size.
    const auto& xs = d.series[0].values;
    const auto& ys = d.series[1].values;
    for (std::size_t i = 0; i < xs.size() && i < ys.size(); ++i) {
      protocol::point p{xs[i], ys[i], std::nullopt};
      if (bubble)
        p.size = d.series.size() >= 3 ? std::fabs(d.series[2].values[i]) : std::fabs(ys[i]);
      d.points.push_back(p);
    }
    return;
  }
  const auto& ys = !d.values.empty() ? d.values : d.series.front().values;
  for (std::size_t i = 0; i < ys.size(); ++i) {
    protocol::point p{static_cast<double>(i + 1), ys[i], std::nullopt};
    if (bubble) p.size = std::fabs(ys[i]);
    d.points.push_back(p);
  }
}

void derive_groups(protocol::chart_data& d, const std::string& value_name) {
  if (!d.values.empty()) {
    d.groups.push_back({value_name, d.values});
    return;
  }
  for (const auto& s : d.series) d.groups.push_back(s);
}

void derive_matrix(protocol::chart_data& d, const std::string& value_name) {
  d.column_labels = d.labels;
  if (!d.values.empty()) {
    d.row_labels = {value_name};
    d.matrix = {d.values};
    return;
  }
  for (const auto& s : d.series) {
    d.row_labels.push_back(s.name);
    d.matrix.push_back(s.values);
  }
}

}  // namespace

void complete_user_data(chart_type type, protocol::chart_data& d, const std::string& value_name) {
  fill_summary(type, d);
  const bool summary = !d.values.empty() || !d.series.empty();
  if (!summary) return;
  switch (shape_of(type)) {
    case data_shape::points:
      if (d.points.empty()) derive_points(type, d);
      break;
    case data_shape::groups:
      if (d.groups.empty()) derive_groups(d, value_name);
      break;
    case data_shape::matrix:
      if (d.matrix.empty()) derive_matrix(d, value_name);
      break;
    default:
      // Series types given one set of values keep `values`: the renderer draws it as
      // one series (turning it into `series` would change what the user sent).
      break;
  }
}

}  // namespace aw::analytics
