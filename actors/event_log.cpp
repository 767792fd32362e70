#include "actors/event_log.hpp"

namespace aw::actors {

void event_log::append(std::uint64_t seq, std::int64_t now_ms, frame_ptr frame) {
  bytes_ += frame->size();
  events_.push_back(entry{seq, now_ms, std::move(frame)});
  prune(now_ms);
}

void event_log::prune(std::int64_t now_ms) {
  while (!events_.empty()) {
    const entry& oldest = events_.front();
    bool over_bytes = bytes_ > limits_.max_bytes && events_.size() > 1;
    bool expired =
        events_.size() > limits_.max_events && now_ms - oldest.time_ms > limits_.max_age_ms;
    if (!over_bytes && !expired) break;
    bytes_ -= oldest.frame->size();
    events_.pop_front();
  }
}

}  // namespace aw::actors
