#include "core/resources.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace aw::core {
namespace {

std::string read_all(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

bool all_digits(const std::string& s) {
  return !s.empty() && s.size() <= 19 && s.find_first_not_of("0123456789") == std::string::npos;
}

// The cgroup v2 path of this process: the "0::/path" line.
std::string own_path(const std::string& self_cgroup) {
  std::ifstream in(self_cgroup);
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("0::", 0) == 0) return line.substr(3);
  return "/";
}

}  // namespace

std::optional<double> parse_cpu_max(const std::string& text) {
  std::istringstream in(text);
  std::string quota, period;
  if (!(in >> quota >> period) || quota == "max" || !all_digits(quota) || !all_digits(period))
    return std::nullopt;
  double q = std::strtod(quota.c_str(), nullptr);
  double p = std::strtod(period.c_str(), nullptr);
  if (q <= 0 || p <= 0) return std::nullopt;
  return q / p;
}

std::optional<std::int64_t> parse_memory_max(const std::string& text) {
  std::istringstream in(text);
  std::string value;
  if (!(in >> value) || value == "max" || !all_digits(value)) return std::nullopt;
  auto v = std::strtoll(value.c_str(), nullptr, 10);
  if (v <= 0) return std::nullopt;
  return v;
}

cgroup_limits read_cgroup_limits(const std::string& root, const std::string& self_cgroup) {
  cgroup_limits out;
  std::string path = own_path(self_cgroup);
  // From this cgroup up to the root: the smallest limit on the way applies.
  for (int depth = 0; depth < 64; ++depth) {
    std::string dir = root + (path == "/" ? "" : path);
    if (auto cpus = parse_cpu_max(read_all(dir + "/cpu.max")))
      out.cpus = out.cpus ? std::min(*out.cpus, *cpus) : *cpus;
    if (auto mem = parse_memory_max(read_all(dir + "/memory.max")))
      out.memory_bytes = out.memory_bytes ? std::min(*out.memory_bytes, *mem) : *mem;
    if (path == "/" || path.empty()) break;
    auto slash = path.rfind('/');
    path = slash == 0 || slash == std::string::npos ? "/" : path.substr(0, slash);
  }
  return out;
}

chosen_sizes choose_sizes(const config& cfg, unsigned hardware_threads, const cgroup_limits& limits,
                          bool chart_cache_explicit, bool render_cache_explicit) {
  chosen_sizes s;
  int host = static_cast<int>(std::max(1u, hardware_threads));
  s.cpus = host;
  s.basis = "host";
  if (limits.cpus) {
    int quota = std::max(1, static_cast<int>(std::ceil(*limits.cpus - 1e-9)));
    if (quota < host) {
      s.cpus = quota;
      s.basis = "cgroup cpu.max";
    }
  }
  s.render_pool_size = cfg.render_pool_size > 0 ? cfg.render_pool_size : s.cpus;
  if (cfg.render_pool_size == 0 && limits.memory_bytes) {
    int by_memory = static_cast<int>(std::max<std::int64_t>(1, *limits.memory_bytes >> 26));
    s.render_pool_size = std::min(s.render_pool_size, by_memory);
  }
  s.render_pool_size = std::min(s.render_pool_size, 64);
  s.worker_threads = cfg.worker_threads > 0 ? cfg.worker_threads : std::max(2, s.cpus);
  s.chart_cache_mb = cfg.chart_cache_mb;
  s.render_cache_mb = cfg.render_cache_mb;
  if (limits.memory_bytes) {
    auto mb = *limits.memory_bytes >> 20;
    if (!chart_cache_explicit)
      s.chart_cache_mb = static_cast<int>(std::clamp<std::int64_t>(mb / 4, 1, cfg.chart_cache_mb));
    if (!render_cache_explicit)
      s.render_cache_mb =
          static_cast<int>(std::clamp<std::int64_t>(mb / 16, 0, cfg.render_cache_mb));
  }
  return s;
}

}  // namespace aw::core
