// Server-sent events, as the chat-completions stream uses them: "data:" lines,
// events ended by a blank line, ":" comments (keep-alives), "data: [DONE]".
// Bytes arrive in arbitrary pieces; feed() keeps the unfinished line.
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace aw::llm {

class sse_parser {
 public:
  // Called once per complete event with its data (several data lines joined by '\n').
  using on_event = std::function<void(const std::string& data)>;

  explicit sse_parser(on_event handler) : handler_(std::move(handler)) {}

  void feed(std::string_view bytes);
  // The stream ended: dispatch an event that lacked its final blank line.
  void finish();

  bool done() const { return done_; }  // "[DONE]" seen
  std::size_t buffered() const { return line_.size() + data_.size(); }

 private:
  void line(std::string_view l);
  void dispatch();

  on_event handler_;
  std::string line_;  // the unfinished line
  std::string data_;  // data lines of the current event
  bool has_data_ = false;
  bool done_ = false;
  bool last_cr_ = false;
};

}  // namespace aw::llm
