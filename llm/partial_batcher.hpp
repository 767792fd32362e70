// Groups streamed text into pieces worth an event: a piece is released when
// it holds `max_chars` or `max_age` has passed since the last release.
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace aw::llm {

class partial_batcher {
 public:
  using clock = std::chrono::steady_clock;

  explicit partial_batcher(std::size_t max_chars = 200,
                           std::chrono::milliseconds max_age = std::chrono::milliseconds(100),
                           clock::time_point now = clock::now())
      : max_chars_(max_chars), max_age_(max_age), last_(now) {}

  std::optional<std::string> add(const std::string& text, clock::time_point now = clock::now()) {
    pending_ += text;
    if (pending_.empty()) return std::nullopt;
    if (pending_.size() < max_chars_ && now - last_ < max_age_) return std::nullopt;
    return take(now);
  }

  // Whatever is left, at the end of the stream.
  std::optional<std::string> flush(clock::time_point now = clock::now()) {
    if (pending_.empty()) return std::nullopt;
    return take(now);
  }

 private:
  std::string take(clock::time_point now) {
    last_ = now;
    std::string out;
    out.swap(pending_);
    return out;
  }

  std::size_t max_chars_;
  std::chrono::milliseconds max_age_;
  clock::time_point last_;
  std::string pending_;
};

}  // namespace aw::llm
