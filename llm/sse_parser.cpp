#include "llm/sse_parser.hpp"

namespace aw::llm {

void sse_parser::feed(std::string_view bytes) {
  if (overflow_) return;
  for (char c : bytes) {
    if (c == '\n' && last_cr_) {  // the \n of a \r\n pair: the line already ended
      last_cr_ = false;
      continue;
    }
    last_cr_ = c == '\r';
    if (c == '\n' || c == '\r') {
      line(line_);
      line_.clear();
    } else {
      if (line_.size() >= max_line_) {
        overflow_ = true;
        line_.clear();
        data_.clear();
        return;
      }
      line_.push_back(c);
    }
    if (overflow_) return;
  }
}

void sse_parser::finish() {
  if (overflow_) return;
  if (!line_.empty()) line(line_);
  line_.clear();
  dispatch();
}

void sse_parser::line(std::string_view l) {
  if (l.empty()) return dispatch();
  if (l.front() == ':') return;  // comment / keep-alive
  auto colon = l.find(':');
  std::string_view field = l.substr(0, colon);
  std::string_view value =
      colon == std::string_view::npos ? std::string_view() : l.substr(colon + 1);
  if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  if (field != "data") return;  // event:, id:, retry: are not used by chat completions
  if (data_.size() + value.size() + 1 > max_event_) {
    overflow_ = true;
    data_.clear();
    return;
  }
  if (has_data_) data_.push_back('\n');
  data_.append(value);
  has_data_ = true;
}

void sse_parser::dispatch() {
  if (!has_data_) return;
  std::string data;
  data.swap(data_);
  has_data_ = false;
  if (data == "[DONE]") {
    done_ = true;
    return;
  }
  if (!done_ && handler_) handler_(data);
}

}  // namespace aw::llm
