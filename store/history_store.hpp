// The conversation history behind one small interface (issue #8): every
// request and its final response, per user and conversation. Two backends:
// SQLite (embedded default, a file under DATA_DIR) and PostgreSQL (libpq,
// STORE_URL=postgresql://...). Calls block: only the history writer actor's
// own thread and the gateway's HTTP query threads call them, never an actor
// handler on the shared scheduler nor the Asio thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace aw::store {

// One write: a run was accepted (kind started) or ended (kind completed).
struct history_write {
  enum class kind { started, completed } what = kind::started;
  std::string user_id;
  std::string conversation_id;
  std::string run_id;
  std::string correlation_id;
  std::string message_id;
  std::int64_t at_ms = 0;     // started: created time; completed: completed time
  std::string request_json;   // started: {"content":...,"chart_preference":...,...}
  std::string status;         // completed: success | error | cancelled | timeout
  std::string response_json;  // completed: agent_completed `data`, without image bytes
};

struct conversation_summary {
  std::string conversation_id;
  std::string title;  // the first request's content, cut to 200 bytes
  std::int64_t created_ms = 0;
  std::int64_t updated_ms = 0;
  std::int64_t message_count = 0;
};

struct message_record {
  std::string run_id;
  std::string correlation_id;
  std::string message_id;
  std::int64_t created_ms = 0;
  std::string request_json;
  std::string status;         // "" while the run is still going
  std::string response_json;  // "" while the run is still going
  std::int64_t completed_ms = 0;
};

// Pages go newest-first for conversations (by updated_ms, then
// conversation_id) and oldest-first for messages (by created_ms, then
// run_id). The cursor (before_ms, before_id) pages back in time in both: a
// page holds the rows strictly before it in that order. A page of messages is
// the newest `limit` before the cursor, listed oldest-first (the tail of a
// chat; the next page back starts before its first row). With before_id
// empty, the cursor means "before that millisecond".
struct page {
  int limit = 50;  // 1..200
  std::optional<std::int64_t> before_ms;
  std::string before_id;  // the last row's conversation_id / first row's run_id
};

class store_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Every call is safe from several threads (one connection per store, calls
// take turns); text fields are stored as valid UTF-8 without NUL bytes.
class history_store {
 public:
  virtual ~history_store() = default;

  // Applies all writes in one transaction. Throws store_error on failure. A
  // `completed` may come before its `started`: the row is made, and filled in.
  virtual void write(const std::vector<history_write>& batch) = 0;
  virtual std::vector<conversation_summary> conversations(const std::string& user_id,
                                                          const page& p) = 0;
  // nullopt when the user has no such conversation.
  virtual std::optional<std::vector<message_record>> messages(const std::string& user_id,
                                                              const std::string& conversation_id,
                                                              const page& p) = 0;
  // Removes rows whose run started before `cutoff_ms`; returns how many.
  virtual std::int64_t remove_older_than(std::int64_t cutoff_ms) = 0;
  // Cheap round trip; false when the database does not answer.
  virtual bool ping() = 0;
  virtual const char* backend() const = 0;  // "sqlite" | "postgresql"

  // Chart images every gateway can read (issue #22 item 2): a store shared by
  // the gateways (PostgreSQL) keeps them; one that is not (SQLite under one
  // gateway's DATA_DIR) keeps none, and charts stay files. Removed with the
  // history by remove_older_than.
  virtual bool keeps_charts() const { return false; }
  // Throws store_error on failure; an id written twice keeps the first.
  virtual void put_chart(const std::string& id, const std::string& owner,
                         const std::string& content_type, const std::string& bytes,
                         std::int64_t at_ms) {
    (void)id, (void)owner, (void)content_type, (void)bytes, (void)at_ms;
    throw store_error("this store keeps no charts");
  }
  struct chart_row {
    std::string owner;
    std::string content_type;
    std::string bytes;
  };
  // nullopt when absent or larger than max_bytes. Throws store_error on failure.
  virtual std::optional<chart_row> get_chart(const std::string& id, std::size_t max_bytes) {
    (void)id, (void)max_bytes;
    return std::nullopt;
  }
};

// Opens (and migrates) the store named by STORE_URL: empty or "sqlite:PATH"
// gives SQLite (default file DATA_DIR/history.db), "postgresql://..." gives
// PostgreSQL. Throws store_error with a clear message when it cannot.
std::unique_ptr<history_store> open_history_store(const std::string& store_url,
                                                  const std::string& data_dir);

}  // namespace aw::store
