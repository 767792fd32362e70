// Server-sent events, as the chat-completions stream uses them: "data:" lines,
// events ended by a blank line, ":" comments (keep-alives), "data: [DONE]".
// Bytes arrive in arbitrary pieces; feed() keeps the unfinished line.
// Memory is bounded: a line longer than `max_line_bytes`, or an event whose
// data lines add up to more than `max_event_bytes`, stops the parser
// (overflow()); the caller ends the transfer.
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace aw::llm {

class sse_parser {
 public:
  // Called once per complete event with its data (several data lines joined by '\n').
  using on_event = std::function<void(const std::string& data)>;

  static constexpr std::size_t default_max_line_bytes = 64 << 10;
  static constexpr std::size_t default_max_event_bytes = 256 << 10;

  explicit sse_parser(on_event handler, std::size_t max_line_bytes = default_max_line_bytes,
                      std::size_t max_event_bytes = default_max_event_bytes)
      : handler_(std::move(handler)), max_line_(max_line_bytes), max_event_(max_event_bytes) {}

  void feed(std::string_view bytes);
  // The stream ended: dispatch an event that lacked its final blank line.
  void finish();

  bool done() const { return done_; }          // "[DONE]" seen
  bool overflow() const { return overflow_; }  // a line or an event was over its limit
  std::size_t buffered() const { return line_.size() + data_.size(); }

 private:
  void line(std::string_view l);
  void dispatch();

  on_event handler_;
  std::size_t max_line_;
  std::size_t max_event_;
  std::string line_;  // the unfinished line
  std::string data_;  // data lines of the current event
  bool has_data_ = false;
  bool done_ = false;
  bool last_cr_ = false;
  bool overflow_ = false;
};

}  // namespace aw::llm
