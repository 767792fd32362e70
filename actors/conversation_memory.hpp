// What a session remembers of each of its user's conversations (issue #16
// item 4): the last chart, which a follow-up edits, and the recent turns,
// which go into a model's prompt. Filled from the session's own finished runs
// and, after a reconnect to a new session or a restart, from the history
// store's rows of the conversation. Bounded per user: max_conversations
// conversations (least recently used go first) and max_bytes in all; a chart
// over max_chart_bytes is not kept (a follow-up then starts fresh). No actor:
// the session owns one.
#pragma once

#include <cstddef>
#include <list>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "analytics/follow_up.hpp"
#include "store/history_store.hpp"

namespace aw::actors {

// The request JSON (history_request_json) and the agent_completed data of a
// successful run, without its chart bytes (protocol::write_stored_data), as a chart a
// follow-up can edit; nullopt for a failed run or anything malformed or
// over the bounds.
std::optional<analytics::prior_chart> prior_chart_from_json(const std::string& run_id,
                                                            std::string_view request_json,
                                                            std::string_view response_json);

struct conversation_turn {
  std::string request;  // what the user wrote, cut to max_turn_request_bytes
  std::string answer;   // "pie_chart \"Sales by Region\"", or "error"
};

class conversation_memory {
 public:
  static constexpr std::size_t max_conversations = 16;
  static constexpr std::size_t max_bytes = 1 << 20;
  static constexpr std::size_t max_chart_bytes = 256 << 10;
  static constexpr std::size_t max_turns = 6;
  static constexpr std::size_t max_turn_request_bytes = 200;
  static constexpr std::size_t max_context_bytes = 2000;

  // Whether the conversation is known here (possibly with no chart yet).
  bool known(const std::string& conversation) const;
  // The conversation's last chart, if it has one that can be edited.
  const analytics::prior_chart* last_chart(const std::string& conversation);
  // A finished run: its request (history_request_json) and completed data
  // (chart bytes stripped). A success replaces the last chart; a run whose
  // chart cannot be kept clears it, so that a follow-up never edits an older one.
  void remember(const std::string& conversation, const std::string& run_id,
                std::string_view request_json, bool success, std::string_view response_json);
  // The conversation's rows from the history store, oldest first.
  void recall(const std::string& conversation, const std::vector<store::message_record>& rows);
  // The recent turns, oldest first, for a model's prompt; "" when none.
  std::string context(const std::string& conversation) const;

 private:
  struct entry {
    std::optional<analytics::prior_chart> chart;
    std::list<conversation_turn> turns;
    std::size_t bytes = 0;
  };
  entry& touch(const std::string& conversation);
  void account(entry& e, std::size_t before);
  void evict();

  std::unordered_map<std::string, entry> entries_;
  std::list<std::string> order_;  // least recently used first
  std::size_t bytes_ = 0;
};

}  // namespace aw::actors
