// GET /metrics: the Prometheus text exposition format.
#pragma once

#include <cstdint>
#include <string>

#include "actors/counters.hpp"

namespace aw::gateway {

struct gauges {
  std::int64_t connections = 0;   // WebSocket
  std::int64_t agui_streams = 0;  // POST /agui SSE responses still streaming
  std::int64_t agui_runs_held = 0;   // AG-UI runs held for resume and joins (issue #19)
  std::int64_t agui_held_bytes = 0;  // their events, counted against the budget
  std::int64_t users = 0;
  std::int64_t charts_cached = 0;
  std::int64_t chart_bytes = 0;
  std::int64_t chart_files_written = 0;
  std::int64_t chart_file_failures = 0;
  std::int64_t chart_disk_bytes = 0;      // under DATA_DIR/charts, as the disk thread indexed them
  std::int64_t chart_disk_charts = 0;
  std::int64_t chart_disk_images = 0;     // image files: fewer than charts when identical
  std::int64_t chart_disk_evictions = 0;  // charts removed by CHART_DISK_MB / CHART_DISK_USER_MB
  std::int64_t chart_disk_expired = 0;    // charts removed by RETENTION_DAYS
  bool store_up = false;  // the writer's last write and the gateway's last ping both succeeded
  std::int64_t http_queue = 0;  // HTTP jobs waiting for a query worker
};

std::string metrics_text(const actors::counters& c, const gauges& g);

}  // namespace aw::gateway
