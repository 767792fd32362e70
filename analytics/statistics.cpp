#include "analytics/statistics.hpp"

#include <algorithm>
#include <cmath>

namespace aw::analytics {

protocol::statistics compute_statistics(const std::vector<double>& values) {
  protocol::statistics st;
  st.count = values.size();
  if (values.empty()) return st;

  for (double v : values) st.sum += v;
  const double n = static_cast<double>(values.size());
  st.mean = st.sum / n;

  std::vector<double> sorted = values;
  std::sort(sorted.begin(), sorted.end());
  const std::size_t mid = sorted.size() / 2;
  st.median = sorted.size() % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  st.min = sorted.front();
  st.max = sorted.back();

  double squares = 0;
  for (double v : values) squares += (v - st.mean) * (v - st.mean);
  st.std_dev = std::sqrt(squares / n);

  if (values.size() > 1 && values.front() != 0)
    st.growth_pct = (values.back() - values.front()) / std::fabs(values.front()) * 100;
  return st;
}

std::vector<double> headline_values(const protocol::chart_data& data) {
  if (!data.values.empty()) return data.values;

  if (!data.series.empty()) {
    std::size_t n = 0;
    for (const auto& s : data.series) n = std::max(n, s.values.size());
    std::vector<double> totals(n, 0.0);
    for (const auto& s : data.series)
      for (std::size_t i = 0; i < s.values.size(); ++i) totals[i] += s.values[i];
    return totals;
  }

  std::vector<double> out;
  if (!data.points.empty()) {
    for (const auto& p : data.points) out.push_back(p.y);
  } else if (!data.candles.empty()) {
    for (const auto& c : data.candles) out.push_back(c.close);
  } else if (!data.groups.empty()) {
    for (const auto& g : data.groups) out.insert(out.end(), g.values.begin(), g.values.end());
  } else {
    for (const auto& row : data.matrix) out.insert(out.end(), row.begin(), row.end());
  }
  return out;
}

}  // namespace aw::analytics
