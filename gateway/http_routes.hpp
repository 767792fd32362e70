// Bodies of the plain HTTP endpoints (PROTOCOL.md section 8). Pure functions.
#pragma once

#include <cstdint>
#include <string>

namespace aw::gateway {

struct health_figures {
  std::string node;
  std::int64_t active_connections = 0;
  std::int64_t active_users = 0;
  std::int64_t active_runs = 0;
  double uptime_s = 0;
};

std::string health_json(const health_figures& h);
std::string error_json(const std::string& message);

// "/charts/{id}" -> id, or "" when the path is not a chart path or the id is malformed.
std::string chart_id_from_path(const std::string& path);

}  // namespace aw::gateway
