// The summary view (labels + values|series) of the extra shapes.
#include <algorithm>
#include <cmath>

#include "analytics/synthetic_data.hpp"
#include "analytics/text.hpp"

namespace aw::analytics {
namespace {

// A "nice" bin width: 1, 2 or 5 times a power of ten.
double nice_width(double raw) {
  if (raw <= 0) return 1;
  double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (raw <= m * magnitude) return m * magnitude;
  return 10 * magnitude;
}

}  // namespace

double median_of(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  std::size_t mid = v.size() / 2;
  return v.size() % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

void histogram_summary(const std::vector<double>& samples, protocol::chart_data& out) {
  out.labels.clear();
  out.values.clear();
  out.series.clear();
  if (samples.empty()) return;
  auto [lo_it, hi_it] = std::minmax_element(samples.begin(), samples.end());
  // Sturges' rule for the number of bins.
  double bins = std::ceil(std::log2(static_cast<double>(samples.size()))) + 1;
  double width = nice_width((*hi_it - *lo_it) / bins);
  double start = std::floor(*lo_it / width) * width;
  std::size_t count = static_cast<std::size_t>(std::floor((*hi_it - start) / width)) + 1;
  std::vector<double> counts(count, 0.0);
  for (double v : samples) {
    auto i = static_cast<std::size_t>(std::floor((v - start) / width));
    counts[std::min(i, count - 1)] += 1;
  }
  for (std::size_t i = 0; i < count; ++i) {
    double a = start + width * static_cast<double>(i);
    out.labels.push_back(format_number(a) + "-" + format_number(a + width));
  }
  out.values = counts;
}

void groups_summary(protocol::chart_data& out) {
  out.labels.clear();
  out.values.clear();
  out.series.clear();
  for (const auto& g : out.groups) {
    out.labels.push_back(g.name);
    out.values.push_back(median_of(g.values));
  }
}

void points_summary(protocol::chart_data& out) {
  out.labels.clear();
  out.values.clear();
  out.series.clear();
  for (std::size_t i = 0; i < out.points.size(); ++i) {
    out.labels.push_back("P" + std::to_string(i + 1));
    out.values.push_back(out.points[i].y);
  }
}

void candles_summary(protocol::chart_data& out) {
  out.labels.clear();
  out.values.clear();
  out.series.clear();
  for (const auto& c : out.candles) {
    out.labels.push_back(c.label);
    out.values.push_back(c.close);
  }
}

void matrix_summary(protocol::chart_data& out) {
  out.labels.clear();
  out.values.clear();
  out.series.clear();
  std::size_t columns = 0;
  for (const auto& row : out.matrix) columns = std::max(columns, row.size());
  for (std::size_t c = 0; c < columns; ++c)
    out.labels.push_back(c < out.column_labels.size() ? out.column_labels[c]
                                                      : "C" + std::to_string(c + 1));
  for (std::size_t r = 0; r < out.matrix.size(); ++r) {
    std::vector<double> row = out.matrix[r];
    row.resize(columns, 0.0);  // ragged user rows are padded so every series fits the labels
    out.series.push_back(
        {r < out.row_labels.size() ? out.row_labels[r] : "R" + std::to_string(r + 1), row});
  }
}

}  // namespace aw::analytics
