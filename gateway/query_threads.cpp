#include "gateway/query_threads.hpp"

#include <exception>

#include "core/log.hpp"

namespace aw::gateway {

query_threads::query_threads(std::size_t threads, std::size_t max_queued)
    : max_queued_(max_queued) {
  for (std::size_t i = 0; i < threads; ++i) threads_.emplace_back([this] { loop(); });
}

query_threads::~query_threads() {
  {
    std::lock_guard<std::mutex> guard(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& t : threads_) t.join();
}

bool query_threads::submit(std::function<void()> job) {
  {
    std::lock_guard<std::mutex> guard(mutex_);
    if (stopping_ || jobs_.size() >= max_queued_) return false;
    jobs_.push_back(std::move(job));
  }
  wake_.notify_one();
  return true;
}

std::size_t query_threads::queued() const {
  std::lock_guard<std::mutex> guard(mutex_);
  return jobs_.size();
}

void query_threads::loop() {
  for (;;) {
    std::function<void()> job;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
      if (jobs_.empty()) return;  // stopping, and nothing left
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    try {
      job();
    } catch (const std::exception& e) {
      log::error("gateway", "HTTP worker job failed", {{"error", e.what()}});
    } catch (...) {
      log::error("gateway", "HTTP worker job failed", {{"error", "unknown exception"}});
    }
  }
}

}  // namespace aw::gateway
