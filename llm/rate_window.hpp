// A quota over a sliding window (LLM_RPM, LLM_TPM): the amounts spent in the
// last `window` never add up to more than `limit`. Exact, not a token bucket,
// so a burst cannot take two windows' worth at the edge. Memory: one entry per
// spend still inside the window (at most `limit` entries when each spends 1).
// Not thread-safe: the client's loop thread owns it.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>

namespace aw::llm {

class rate_window {
 public:
  using clock = std::chrono::steady_clock;

  // limit 0: no limit.
  explicit rate_window(std::int64_t limit, clock::duration window = std::chrono::minutes(1))
      : limit_(limit), window_(window) {}

  bool limited() const { return limit_ > 0; }
  std::int64_t limit() const { return limit_; }

  // When `amount` more fits: `now` if it fits now, clock::time_point::max()
  // if it never can (over the limit on its own).
  clock::time_point room_at(clock::time_point now, std::int64_t amount);

  void spend(clock::time_point now, std::int64_t amount);
  std::int64_t spent(clock::time_point now);

 private:
  void expire(clock::time_point now);

  struct entry {
    clock::time_point at;
    std::int64_t amount;
  };
  std::int64_t limit_;
  clock::duration window_;
  std::deque<entry> entries_;
  std::int64_t total_ = 0;
};

}  // namespace aw::llm
