// A small pool of threads for the blocking work behind HTTP routes (history
// store queries, chart file reads), so that the gateway's Asio thread never
// waits on a disk or a database. The queue is bounded: when it is full,
// submit() refuses and the route answers 503 at once.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace aw::gateway {

class query_threads {
 public:
  query_threads(std::size_t threads, std::size_t max_queued);
  ~query_threads();  // runs what is queued, then joins
  query_threads(const query_threads&) = delete;
  query_threads& operator=(const query_threads&) = delete;

  // False when the queue is full (or the pool is stopping): the job is not run.
  // A job must not throw; one that does is logged and dropped.
  bool submit(std::function<void()> job);

  std::size_t queued() const;

 private:
  void loop();
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> jobs_;
  std::size_t max_queued_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace aw::gateway
