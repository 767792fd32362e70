// Percentiles, a log-bucket histogram and per-second time series.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace aw::load {

// Nearest-rank percentile (q in [0,1]) of unsorted samples; 0 when empty.
// Same definition as the conformance client: sorted[ceil(q*n)-1].
double percentile(std::vector<double> samples, double q);
double percentile_sorted(const std::vector<double>& sorted, double q);

struct summary {
  std::size_t n = 0;
  double p50 = 0, p95 = 0, p99 = 0, max = 0, mean = 0;
};
summary summarize(std::vector<double> samples);

// Empirical CDF as at most `points` (value, fraction <= value) pairs.
std::vector<std::pair<double, double>> cdf(std::vector<double> samples, std::size_t points = 400);

// Histogram with logarithmic buckets: `per_decade` buckets per factor of 10,
// from `lo` up; values below lo go to bucket 0, above the top to the last.
class log_histogram {
 public:
  explicit log_histogram(double lo = 0.1, double hi = 1e6, int per_decade = 20);
  void add(double v);
  void merge(const log_histogram& other);
  std::uint64_t count() const { return count_; }
  // Upper edge of the bucket holding the q-quantile (0 when empty).
  double quantile(double q) const;
  double bucket_upper(std::size_t i) const;
  const std::vector<std::uint64_t>& buckets() const { return buckets_; }

 private:
  double lo_;
  int per_decade_;
  std::vector<std::uint64_t> buckets_;
  std::uint64_t count_ = 0;
};

// Samples (time in seconds since the start, value) folded per whole second.
struct second_stat {
  int second = 0;
  std::uint64_t count = 0;
  double p99 = 0;  // of the values in that second (0 when none)
};
std::vector<second_stat> per_second(const std::vector<std::pair<double, double>>& samples,
                                    double duration_s);

}  // namespace aw::load
