#include "load/stats.hpp"

#include <algorithm>
#include <cmath>

namespace aw::load {

double percentile_sorted(const std::vector<double>& s, double q) {
  if (s.empty()) return 0;
  double rank = std::ceil(q * static_cast<double>(s.size())) - 1;
  auto i = static_cast<std::size_t>(std::clamp(rank, 0.0, static_cast<double>(s.size() - 1)));
  return s[i];
}

double percentile(std::vector<double> samples, double q) {
  std::sort(samples.begin(), samples.end());
  return percentile_sorted(samples, q);
}

summary summarize(std::vector<double> s) {
  summary r;
  r.n = s.size();
  if (s.empty()) return r;
  std::sort(s.begin(), s.end());
  r.p50 = percentile_sorted(s, 0.50);
  r.p95 = percentile_sorted(s, 0.95);
  r.p99 = percentile_sorted(s, 0.99);
  r.max = s.back();
  double sum = 0;
  for (double v : s) sum += v;
  r.mean = sum / static_cast<double>(s.size());
  return r;
}

std::vector<std::pair<double, double>> cdf(std::vector<double> s, std::size_t points) {
  std::vector<std::pair<double, double>> out;
  if (s.empty() || points < 2) return out;
  std::sort(s.begin(), s.end());
  const std::size_t n = s.size();
  const std::size_t k = std::min(points, n);
  out.reserve(k);
  for (std::size_t j = 0; j < k; ++j) {
    std::size_t i = k == 1 ? n - 1 : j * (n - 1) / (k - 1);
    out.emplace_back(s[i], static_cast<double>(i + 1) / static_cast<double>(n));
  }
  return out;
}

log_histogram::log_histogram(double lo, double hi, int per_decade)
    : lo_(lo), per_decade_(per_decade) {
  auto n = static_cast<std::size_t>(std::ceil(std::log10(hi / lo) * per_decade)) + 2;
  buckets_.assign(n, 0);
}

void log_histogram::add(double v) {
  std::size_t i = 0;
  if (v > lo_) {
    double b = std::ceil(std::log10(v / lo_) * per_decade_);
    i = std::min(static_cast<std::size_t>(std::max(b, 0.0)), buckets_.size() - 1);
  }
  ++buckets_[i];
  ++count_;
}

void log_histogram::merge(const log_histogram& o) {
  for (std::size_t i = 0; i < buckets_.size() && i < o.buckets_.size(); ++i)
    buckets_[i] += o.buckets_[i];
  count_ += o.count_;
}

double log_histogram::bucket_upper(std::size_t i) const {
  return lo_ * std::pow(10.0, static_cast<double>(i) / per_decade_);
}

double log_histogram::quantile(double q) const {
  if (count_ == 0) return 0;
  auto target = static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(count_)));
  if (target == 0) target = 1;
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < buckets_.size(); ++i) {
    seen += buckets_[i];
    if (seen >= target) return bucket_upper(i);
  }
  return bucket_upper(buckets_.size() - 1);
}

std::vector<second_stat> per_second(const std::vector<std::pair<double, double>>& samples,
                                    double duration_s) {
  auto n = static_cast<std::size_t>(std::max(1.0, std::ceil(duration_s)));
  n = std::min<std::size_t>(n, 24 * 3600);
  std::vector<std::vector<double>> by_second(n);
  for (const auto& [t, v] : samples) {
    auto i = static_cast<std::size_t>(std::clamp(std::floor(t), 0.0, static_cast<double>(n - 1)));
    by_second[i].push_back(v);
  }
  std::vector<second_stat> out(n);
  for (std::size_t i = 0; i < n; ++i) {
    out[i].second = static_cast<int>(i);
    out[i].count = by_second[i].size();
    out[i].p99 = percentile(std::move(by_second[i]), 0.99);
  }
  return out;
}

}  // namespace aw::load
