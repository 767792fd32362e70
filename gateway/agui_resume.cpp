#include "gateway/agui_resume.hpp"

#include <limits>

namespace aw::gateway {
namespace {

std::optional<std::uint64_t> parse_number(std::string_view s, std::uint64_t max) {
  if (s.empty() || s.size() > 20) return std::nullopt;
  std::uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    auto d = static_cast<std::uint64_t>(c - '0');
    if (v > (max - d) / 10) return std::nullopt;
    v = v * 10 + d;
  }
  return v;
}

std::size_t entry_bytes(const agui_event_log::entry& e) {
  return e.json.size() + 24;  // the cursor and the entry itself, roughly
}

}  // namespace

std::string to_string(const agui_cursor& c) {
  return std::to_string(c.seq) + "." + std::to_string(c.index);
}

std::optional<agui_cursor> parse_agui_cursor(std::string_view text) {
  if (text.size() > 32) return std::nullopt;
  auto dot = text.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  auto seq = parse_number(text.substr(0, dot), std::numeric_limits<std::uint64_t>::max());
  auto index = parse_number(text.substr(dot + 1), std::numeric_limits<std::uint32_t>::max());
  if (!seq || !index) return std::nullopt;
  return agui_cursor{*seq, static_cast<std::uint32_t>(*index)};
}

agui_cursor agui_cursor_counter::next(std::uint64_t seq) {
  agui_cursor c;
  if (!last_)
    c = agui_cursor{seq, 0};
  else if (seq > last_->seq)
    c = agui_cursor{seq, 0};
  else
    c = agui_cursor{last_->seq, last_->index + 1};
  last_ = c;
  return c;
}

void agui_event_log::append(agui_cursor cursor, std::string json) {
  events_.push_back(entry{cursor, std::move(json)});
  bytes_ += entry_bytes(events_.back());
  while (bytes_ > max_bytes_ && events_.size() > 1) drop_oldest();
}

std::size_t agui_event_log::drop_oldest() {
  if (events_.empty()) return 0;
  std::size_t b = entry_bytes(events_.front());
  bytes_ -= b;
  dropped_ = true;
  last_dropped_ = events_.front().cursor;
  events_.pop_front();
  return b;
}

bool agui_event_log::holds_after(const std::optional<agui_cursor>& after) const {
  if (!dropped_) return true;
  return after && !(*after < last_dropped_);
}

std::string sse_event(const agui_cursor& cursor, std::string_view json) {
  std::string id = to_string(cursor);
  std::string s;
  s.reserve(json.size() + id.size() + 16);
  s += "id: ";
  s += id;
  s += "\ndata: ";
  s += json;
  s += "\n\n";
  return s;
}

}  // namespace aw::gateway
