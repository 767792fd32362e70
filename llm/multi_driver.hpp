// Drives a libcurl multi handle with curl_multi_socket_action on one thread:
// libcurl says which sockets to watch (kept in an epoll set) and when its
// timer is due, and acts only on the sockets that are ready, so what an event
// costs does not grow with the number of transfers (curl_multi_perform visits
// every transfer each time). wake() interrupts a wait from any thread.
#pragma once

#include <curl/curl.h>

#include <chrono>

namespace aw::llm {

class multi_driver {
 public:
  explicit multi_driver(CURLM* multi);  // installs the socket and timer callbacks
  ~multi_driver();
  multi_driver(const multi_driver&) = delete;
  multi_driver& operator=(const multi_driver&) = delete;

  // Waits up to `max_ms` (less when libcurl's timer is due sooner), then
  // lets libcurl act on every socket that is ready and on its timer.
  void run_once(long max_ms);
  // Thread-safe.
  void wake();

 private:
  using clock = std::chrono::steady_clock;
  static int on_socket(CURL* easy, curl_socket_t s, int what, void* self, void* socketp);
  static int on_timer(CURLM* multi, long timeout_ms, void* self);

  CURLM* multi_;
  int epoll_fd_ = -1;
  int wake_fd_ = -1;
  bool timer_set_ = false;
  clock::time_point timer_at_{};
};

}  // namespace aw::llm
