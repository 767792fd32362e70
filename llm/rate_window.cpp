#include "llm/rate_window.hpp"

namespace aw::llm {

void rate_window::expire(clock::time_point now) {
  while (!entries_.empty() && entries_.front().at + window_ <= now) {
    total_ -= entries_.front().amount;
    entries_.pop_front();
  }
}

std::int64_t rate_window::spent(clock::time_point now) {
  expire(now);
  return total_;
}

rate_window::clock::time_point rate_window::room_at(clock::time_point now, std::int64_t amount) {
  if (!limited()) return now;
  if (amount > limit_) return clock::time_point::max();
  expire(now);
  std::int64_t over = total_ + amount - limit_;
  if (over <= 0) return now;
  // The oldest entries leave first: find the one whose leaving makes room.
  for (const auto& e : entries_) {
    over -= e.amount;
    if (over <= 0) return e.at + window_;
  }
  return now + window_;  // not reached: total_ is the sum of the entries
}

void rate_window::spend(clock::time_point now, std::int64_t amount) {
  if (!limited() || amount <= 0) return;
  expire(now);
  if (!entries_.empty() && entries_.back().at == now) {
    entries_.back().amount += amount;
  } else {
    entries_.push_back({now, amount});
  }
  total_ += amount;
}

}  // namespace aw::llm
