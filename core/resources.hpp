// What this process may use, as its container sees it: the cgroup v2 CPU
// quota (cpu.max) and memory limit (memory.max) of its cgroup and every
// ancestor, so that RENDER_POOL_SIZE=0 and WORKER_THREADS=0 follow a pod's
// 2-CPU limit rather than the node's 64 cores. No cgroup v2 (or no limit):
// the host's figures.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/config.hpp"

namespace aw::core {

struct cgroup_limits {
  std::optional<double> cpus;                // quota / period, the smallest on the path
  std::optional<std::int64_t> memory_bytes;  // the smallest memory.max on the path
};

// "max 100000" -> nullopt; "200000 100000" -> 2.0; garbage -> nullopt.
std::optional<double> parse_cpu_max(const std::string& text);
// "max\n" -> nullopt; "1073741824\n" -> 1073741824; garbage -> nullopt.
std::optional<std::int64_t> parse_memory_max(const std::string& text);

// Reads `root`/<path>/cpu.max and memory.max from this process's cgroup
// (the "0::<path>" line of `self_cgroup`) up to `root`.
cgroup_limits read_cgroup_limits(const std::string& root = "/sys/fs/cgroup",
                                 const std::string& self_cgroup = "/proc/self/cgroup");

struct chosen_sizes {
  int cpus = 1;  // what the sizes below are based on
  int render_pool_size = 1;
  int worker_threads = 2;
  int chart_cache_mb = 0;
  int render_cache_mb = 0;
  std::string basis;  // "cgroup cpu.max" | "host"
};

// RENDER_POOL_SIZE / WORKER_THREADS when 0: the CPUs available (a gnuplot is
// ~23 MB, so the pool is also capped at one per 64 MiB of a memory limit;
// at least 2 scheduler threads). The image caches, when not set explicitly,
// are capped at 1/4 (charts) and 1/16 (renders) of a memory limit.
chosen_sizes choose_sizes(const config& cfg, unsigned hardware_threads, const cgroup_limits& limits,
                          bool chart_cache_explicit, bool render_cache_explicit);

}  // namespace aw::core
