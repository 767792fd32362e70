// A user's recent events, kept for resume (PROTOCOL.md section 6): at least the
// last `max_events` and at least `max_age_ms`, within `max_bytes` (when bytes
// run out the oldest go first).
#pragma once

#include <cstdint>
#include <list>

#include "actors/outbox.hpp"

namespace aw::actors {

struct event_log_limits {
  std::size_t max_events = 1024;
  std::int64_t max_age_ms = 300000;
  std::size_t max_bytes = 16u << 20;
};

class event_log {
 public:
  explicit event_log(event_log_limits limits) : limits_(limits) {}

  void append(std::uint64_t seq, std::int64_t now_ms, frame_ptr frame);
  void prune(std::int64_t now_ms);

  bool empty() const { return events_.empty(); }
  std::uint64_t oldest_seq() const { return events_.empty() ? 0 : events_.front().seq; }
  std::size_t size() const { return events_.size(); }
  std::size_t bytes() const { return bytes_; }

  // Calls f(frame) for every held event with seq > after, oldest first.
  template <class F>
  void for_each_after(std::uint64_t after, F&& f) const {
    for (const auto& e : events_)
      if (e.seq > after) f(e.frame);
  }

 private:
  struct entry {
    std::uint64_t seq;
    std::int64_t time_ms;
    frame_ptr frame;
  };
  event_log_limits limits_;
  std::list<entry> events_;  // a list: empty, it allocates nothing (idle users)
  std::size_t bytes_ = 0;
};

}  // namespace aw::actors
