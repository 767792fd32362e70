// Process-wide gauges read by GET /health (and later /metrics).
#pragma once

#include <atomic>
#include <cstdint>

namespace aw::actors {

struct counters {
  std::atomic<std::int64_t> active_runs{0};
  std::atomic<std::int64_t> runs_started{0};
  std::atomic<std::int64_t> runs_succeeded{0};
  std::atomic<std::int64_t> runs_failed{0};
  std::atomic<std::int64_t> runs_cancelled{0};
  std::atomic<std::int64_t> runs_timed_out{0};
  std::atomic<std::int64_t> events_sent{0};
};

}  // namespace aw::actors
