// What a resumable AG-UI stream needs besides the mapping (issue #19): the
// cursor every SSE event carries as its `id:`, and the bounded log of one
// run's mapped events that a cut stream resumes from and a second client
// joins. Pure: no sockets, unit-tested (tests/unit/gateway/agui_resume_test.cpp).
//
// Cursor: "<seq>.<index>". `seq` is the user's event seq (PROTOCOL.md section
// 3) of the agentwire event an AG-UI event was mapped from, `index` its place
// among the AG-UI events that one event became (agent_completed becomes
// several). Events with no agentwire event of their own (a MESSAGES_SNAPSHOT
// after RUN_STARTED, a RUN_ERROR for a refused request or a shutdown) take the
// next index after the last cursor. Within one run cursors only grow, so
// "every event after cursor C" is well defined; they mean nothing across runs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>

namespace aw::gateway {

struct agui_cursor {
  std::uint64_t seq = 0;
  std::uint32_t index = 0;

  friend bool operator<(const agui_cursor& a, const agui_cursor& b) {
    return a.seq != b.seq ? a.seq < b.seq : a.index < b.index;
  }
  friend bool operator==(const agui_cursor& a, const agui_cursor& b) {
    return a.seq == b.seq && a.index == b.index;
  }
};

std::string to_string(const agui_cursor& c);
// "12.3" -> {12, 3}; nullopt for anything else (signs, spaces, overflow,
// more than 32 bytes).
std::optional<agui_cursor> parse_agui_cursor(std::string_view text);

// Hands out the cursors of one run's events in order.
class agui_cursor_counter {
 public:
  // The cursor of the next event; `seq` is the agentwire event's seq, 0 when
  // the event has none. A new (larger) seq starts at index 0.
  agui_cursor next(std::uint64_t seq);
  std::optional<agui_cursor> last() const { return last_; }

 private:
  std::optional<agui_cursor> last_;
};

// One run's AG-UI events for resume, oldest first, within `max_bytes` (the
// oldest go first beyond it; one event alone is always kept).
class agui_event_log {
 public:
  struct entry {
    agui_cursor cursor;
    std::string json;
  };
  explicit agui_event_log(std::size_t max_bytes) : max_bytes_(max_bytes) {}

  void append(agui_cursor cursor, std::string json);
  // Whether every event after `after` (nullopt: from the start) is still held.
  bool holds_after(const std::optional<agui_cursor>& after) const;
  // f(entry) for every held event after `after` (nullopt: all), oldest first.
  template <class F>
  void for_each_after(const std::optional<agui_cursor>& after, F&& f) const {
    for (const auto& e : events_)
      if (!after || *after < e.cursor) f(e);
  }
  // Drops the oldest event; returns its bytes (0 when empty). For a global budget.
  std::size_t drop_oldest();
  std::size_t bytes() const { return bytes_; }
  std::size_t size() const { return events_.size(); }

 private:
  std::size_t max_bytes_;
  std::deque<entry> events_;
  std::size_t bytes_ = 0;
  bool dropped_ = false;  // some event is gone
  agui_cursor last_dropped_{};
};

// One SSE message: "id: <cursor>\ndata: <json>\n\n".
std::string sse_event(const agui_cursor& cursor, std::string_view json);

}  // namespace aw::gateway
