// Checks every frame a connection receives against PROTOCOL.md section 4
// (ordering and isolation) plus the event envelope of section 3.
//
// One user_stream per user; it owns one conn_stream per connection of that
// user. Not thread-safe: the load harness keeps all connections of a user on
// one client thread. Violations are counted by kind, never thrown.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <rapidjson/document.h>

namespace aw::load {

enum class violation : int {
  invalid_frame,          // not JSON, not an object, no string type
  first_not_ack,          // first frame of a connection is not connection_ack
  second_ack,             // another connection_ack on the same connection
  ack_mismatch,           // ack user_id differs or last_seq missing
  seq_gap,                // seq skips numbers
  seq_duplicate,          // seq repeats or goes back
  seq_missing,            // an event without integer seq
  foreign_user,           // frame of another user_id (isolation)
  foreign_correlation,    // correlation_id this user never sent
  missing_field,          // event_id/run_id/correlation_id/user_id/data missing
  bad_timestamp,          // timestamp not RFC 3339 UTC with milliseconds
  duplicate_event_id,     // the same event_id twice on a connection
  event_before_started,   // a run's event before its agent_started
  second_started,         // agent_started twice for one run
  event_after_completed,  // anything of a run after its agent_completed
  no_thinking,            // agent_completed without any agent_thinking
  tool_unmatched,         // tool_completed without an open tool_executing
  tool_duplicate,         // tool_call_id executed twice
  tool_not_completed,     // agent_completed while a tool_executing is open
  bad_status,             // agent_completed status/error not as in section 3
  fanout_mismatch,        // connections of one user saw different event_ids
  count_
};
constexpr int violation_kinds = static_cast<int>(violation::count_);
std::string_view to_string(violation v);

// The five critical events, in protocol order.
constexpr int event_type_count = 5;
extern const std::array<std::string_view, event_type_count> event_type_names;
int event_type_index(std::string_view type);  // -1 when not one of the five

class violation_log {
 public:
  explicit violation_log(std::size_t max_samples = 20) : max_samples_(max_samples) {}
  void add(violation kind, std::string message);
  void merge(const violation_log& other);
  std::uint64_t count(violation kind) const { return counts_[static_cast<int>(kind)]; }
  std::uint64_t total() const;
  std::map<std::string, std::uint64_t> by_kind() const;  // only kinds seen
  const std::vector<std::string>& samples() const { return samples_; }

 private:
  std::size_t max_samples_;
  std::array<std::uint64_t, violation_kinds> counts_{};
  std::vector<std::string> samples_;
};

// What one frame was, for the caller's metrics.
struct frame_info {
  std::string type;                    // "" when the frame was not a JSON object with a type
  int event = -1;                      // event_type_index(type)
  std::string correlation_id;          // when present
  bool first_for_user = false;         // first time this user sees this event type for this cid
  bool run_done = false;               // first agent_completed of this cid on any connection
  std::string status;                  // agent_completed data.status
  std::string error_code;              // agent_completed data.error.code, or the error frame's code
  std::optional<double> timestamp_ms;  // the frame's timestamp, when it parses
};

class user_stream;

class conn_stream {
 public:
  explicit conn_stream(user_stream& user) : user_(&user) {}
  frame_info on_text(std::string_view text);
  frame_info on_frame(const rapidjson::Value& frame);

  bool acked() const { return acked_; }
  const std::vector<std::string>& event_ids() const { return event_ids_; }
  std::size_t completed_runs() const { return completed_; }
  std::size_t frames() const { return frames_; }
  // Marks the connection as gone before the end (excluded from fan-out).
  void set_closed() { closed_ = true; }
  bool closed() const { return closed_; }

 private:
  struct run_state {
    std::string cid;
    bool completed = false;
    int thinking = 0;
    std::map<std::string, std::string> open_tools;  // tool_call_id -> tool
    std::set<std::string> tool_ids;
  };
  void check_seq(const rapidjson::Value& f, const std::string& type);
  void on_event(const rapidjson::Value& f, frame_info& info);
  void on_run_event(const rapidjson::Value& f, run_state& run, const std::string& run_id,
                    frame_info& info);

  user_stream* user_;
  bool acked_ = false;
  bool closed_ = false;
  std::optional<std::int64_t> last_seq_;
  std::size_t frames_ = 0;
  std::size_t completed_ = 0;
  std::unordered_map<std::string, run_state> runs_;
  std::set<std::string> seen_event_ids_;
  std::vector<std::string> event_ids_;
};

class user_stream {
 public:
  user_stream(std::string user_id, violation_log* log) : user_id_(std::move(user_id)), log_(log) {}
  user_stream(const user_stream&) = delete;
  user_stream& operator=(const user_stream&) = delete;

  const std::string& user_id() const { return user_id_; }
  // A correlation id this user sent (must precede any frame that carries it).
  void expect_request(const std::string& cid);
  conn_stream& add_connection();
  std::size_t connections() const { return conns_.size(); }
  conn_stream& connection(std::size_t i) { return *conns_[i]; }

  std::size_t sent() const { return cids_.size(); }
  std::size_t rejected() const { return rejected_; }
  std::size_t completed() const { return completed_; }
  // Accepted requests whose run every open connection has seen complete.
  bool all_done() const;

  struct summary {
    std::size_t sent = 0, completed = 0, rejected = 0, lost = 0;
  };
  // The end: compares the event_id sequences of the user's open connections
  // (in full when `complete`, else on their common prefix, since events may
  // still be in flight) and counts lost runs: accepted requests that no
  // connection saw complete.
  summary finish(bool complete);

  void violate(violation kind, const std::string& message);

 private:
  friend class conn_stream;
  struct cid_state {
    bool rejected = false;
    bool done = false;
    std::array<bool, event_type_count> seen{};
  };
  std::string user_id_;
  violation_log* log_;
  std::unordered_map<std::string, cid_state> cids_;
  std::size_t rejected_ = 0;
  std::size_t completed_ = 0;
  std::vector<std::unique_ptr<conn_stream>> conns_;
};

}  // namespace aw::load
