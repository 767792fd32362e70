// Server memory: VmRSS from /proc/PID/status, sampled on a thread.
#pragma once

#include <condition_variable>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace aw::load {

// VmRSS of `pid` in KiB; -1 when it cannot be read.
long read_rss_kb(int pid);

// Samples VmRSS every `period_ms` until stopped (or destroyed). With pid 0
// it does nothing.
class rss_sampler {
 public:
  rss_sampler(int pid, int period_ms = 250);
  ~rss_sampler();
  rss_sampler(const rss_sampler&) = delete;
  rss_sampler& operator=(const rss_sampler&) = delete;
  void stop();
  // (seconds since the sampler started, KiB)
  std::vector<std::pair<double, long>> samples() const;

 private:
  int pid_;
  int period_ms_;
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::vector<std::pair<double, long>> samples_;
  std::thread thread_;
};

}  // namespace aw::load
