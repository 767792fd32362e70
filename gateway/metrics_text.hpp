// GET /metrics: the Prometheus text exposition format.
#pragma once

#include <cstdint>
#include <string>

#include "actors/counters.hpp"

namespace aw::gateway {

struct gauges {
  std::int64_t connections = 0;
  std::int64_t users = 0;
  std::int64_t charts_cached = 0;
  std::int64_t chart_bytes = 0;
};

std::string metrics_text(const actors::counters& c, const gauges& g);

}  // namespace aw::gateway
