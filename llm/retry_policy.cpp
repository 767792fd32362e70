#include "llm/retry_policy.hpp"

#include <algorithm>
#include <random>

namespace aw::llm {

bool retryable(const attempt_outcome& o) {
  if (o.transport_error || o.http_status == 0) return true;
  return o.http_status == 429 || o.http_status >= 500;
}

namespace {
double default_jitter() {
  thread_local std::mt19937 engine{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
}
}  // namespace

std::chrono::milliseconds retry_policy::delay(int retry, const attempt_outcome& last) const {
  if (last.retry_after_s && *last.retry_after_s >= 0)
    return std::min<std::chrono::milliseconds>(std::chrono::seconds(*last.retry_after_s),
                                               retry_after_cap);
  double full = static_cast<double>(base.count());
  for (int i = 1; i < retry && full < static_cast<double>(cap.count()); ++i) full *= 2;
  full = std::min(full, static_cast<double>(cap.count()));
  double j = jitter ? jitter() : default_jitter();
  j = std::clamp(j, 0.0, 1.0);
  return std::chrono::milliseconds(static_cast<long long>(full / 2 + j * full / 2));
}

}  // namespace aw::llm
