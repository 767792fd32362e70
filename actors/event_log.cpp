#include "actors/event_log.hpp"

namespace aw::actors {

event_log::~event_log() {
  if (limits_.total != nullptr)
    limits_.total->fetch_sub(static_cast<std::int64_t>(bytes_), std::memory_order_relaxed);
}

void event_log::append(std::uint64_t seq, std::int64_t now_ms, frame_ptr frame) {
  bytes_ += frame->size();
  if (limits_.total != nullptr)
    limits_.total->fetch_add(static_cast<std::int64_t>(frame->size()), std::memory_order_relaxed);
  events_.push_back(entry{seq, now_ms, std::move(frame)});
  trim(now_ms, true);
}

void event_log::prune(std::int64_t now_ms) {
  trim(now_ms, false);
}

void event_log::trim(std::int64_t now_ms, bool adding) {
  while (!events_.empty()) {
    const entry& oldest = events_.front();
    bool over_bytes = bytes_ > limits_.max_bytes && events_.size() > 1;
    bool over_total = adding && limits_.total != nullptr && events_.size() > 1 &&
                      limits_.total->load(std::memory_order_relaxed) > limits_.max_total_bytes;
    bool expired =
        events_.size() > limits_.max_events && now_ms - oldest.time_ms > limits_.max_age_ms;
    if (!over_bytes && !over_total && !expired) break;
    const auto size = oldest.frame->size();
    bytes_ -= size;
    if (limits_.total != nullptr)
      limits_.total->fetch_sub(static_cast<std::int64_t>(size), std::memory_order_relaxed);
    events_.pop_front();
  }
}

}  // namespace aw::actors
