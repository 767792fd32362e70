#include "load/rss.hpp"

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>

namespace aw::load {

long read_rss_kb(int pid) {
  if (pid <= 0) return -1;
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  for (int i = 0; i < 200 && std::getline(in, line); ++i) {
    if (line.rfind("VmRSS:", 0) == 0) {
      std::istringstream ls(line.substr(6));
      long kb = -1;
      ls >> kb;
      return kb;
    }
  }
  return -1;
}

rss_sampler::rss_sampler(int pid, int period_ms) : pid_(pid), period_ms_(period_ms) {
  if (pid_ <= 0) return;
  thread_ = std::thread([this] {
    const auto t0 = std::chrono::steady_clock::now();
    std::unique_lock<std::mutex> lock(mutex_);
    // Bounded: at most one sample per period for up to a day.
    for (long i = 0; i < 24L * 3600 * 1000 / period_ms_ && !stopping_; ++i) {
      lock.unlock();
      long kb = read_rss_kb(pid_);
      double t = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      lock.lock();
      if (kb >= 0) samples_.emplace_back(t, kb);
      cv_.wait_for(lock, std::chrono::milliseconds(period_ms_), [this] { return stopping_; });
    }
  });
}

rss_sampler::~rss_sampler() {
  stop();
}

void rss_sampler::stop() {
  {
    std::lock_guard<std::mutex> g(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::vector<std::pair<double, long>> rss_sampler::samples() const {
  std::lock_guard<std::mutex> g(mutex_);
  return samples_;
}

}  // namespace aw::load
