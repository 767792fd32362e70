// A user's recent events, kept for resume (PROTOCOL.md section 6): at least the
// last `max_events` and at least `max_age_ms`, within `max_bytes` (when bytes
// run out the oldest go first). With a shared `total`, every user's log counts
// its bytes there too, and a log that appends while the total is over
// `max_total_bytes` drops its own oldest events first (EVENT_BUFFER_TOTAL_MB):
// the users who add most give back first. A log always keeps its newest event.
#pragma once

#include <atomic>
#include <cstdint>
#include <list>

#include "actors/outbox.hpp"

namespace aw::actors {

struct event_log_limits {
  std::size_t max_events = 1024;
  std::int64_t max_age_ms = 300000;
  std::size_t max_bytes = 16u << 20;
  std::atomic<std::int64_t>* total = nullptr;  // every log's bytes together, or none
  std::int64_t max_total_bytes = 0;            // with `total`: the bound on it
};

class event_log {
 public:
  explicit event_log(event_log_limits limits) : limits_(limits) {}
  ~event_log();
  event_log(const event_log&) = delete;
  event_log& operator=(const event_log&) = delete;

  void append(std::uint64_t seq, std::int64_t now_ms, frame_ptr frame);
  // Drops what is past the count, age and per-user byte limits. Only an
  // append gives back to the shared total: a user who adds nothing keeps
  // what it has.
  void prune(std::int64_t now_ms);

  bool empty() const { return events_.empty(); }
  std::uint64_t oldest_seq() const { return events_.empty() ? 0 : events_.front().seq; }
  std::size_t size() const { return events_.size(); }
  std::size_t bytes() const { return bytes_; }

  // Calls f(frame) for every held event with after < seq <= upto, oldest first.
  template <class F>
  void for_each_between(std::uint64_t after, std::uint64_t upto, F&& f) const {
    for (const auto& e : events_)
      if (e.seq > after && e.seq <= upto) f(e.frame);
  }

 private:
  void trim(std::int64_t now_ms, bool adding);
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
