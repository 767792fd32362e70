#pragma once

#include <vector>

#include "protocol/chart_data.hpp"

namespace aw::analytics {

// count, sum, mean, median, min, max, population std_dev, growth_pct (first -> last).
protocol::statistics compute_statistics(const std::vector<double>& values);

// The values the headline statistics describe: `values`, or for series data the
// per-label totals.
std::vector<double> headline_values(const protocol::chart_data& data);

}  // namespace aw::analytics
