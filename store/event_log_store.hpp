// The durable per-user event log (issue #18): what resume needs after a
// restart on the same DATA_DIR (PROTOCOL.md section 6): per user the epoch,
// the last seq, and the event frames as they were sent (already encoded JSON).
// SQLite in its own file (DATA_DIR/events.db), apart from the history store,
// so that event writes never wait on history writes; or, with
// STORE_URL=postgresql://..., the node's rows in the shared database (fenced
// by the node's lease epoch, see postgres_event_log.cpp). Calls block: only the
// durable log's writer thread (actors/durable_log.hpp) and start-up call them.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace aw::store {

// A user whose events a batch carries. `new_epoch`: a new history begins with
// this batch, so that user's older events are removed first.
struct event_log_user {
  std::string_view user_id;
  std::string_view epoch;
  std::uint64_t last_seq = 0;
  bool new_epoch = false;
};

struct event_log_row {
  std::string_view user_id;
  std::uint64_t seq = 0;
  std::int64_t at_ms = 0;
  std::string_view frame;
};

struct stored_event {
  std::uint64_t seq = 0;
  std::int64_t at_ms = 0;
  std::string frame;
};

struct stored_user {
  std::string user_id;
  std::string epoch;
  std::uint64_t last_seq = 0;
  std::vector<stored_event> events;  // oldest first
};

class event_log_store {
 public:
  virtual ~event_log_store() = default;
  // One transaction: the users' marks (epoch, last_seq), then the rows.
  // Throws store_error (store/history_store.hpp) on failure; nothing is kept then.
  virtual void append(const std::vector<event_log_user>& users,
                      const std::vector<event_log_row>& rows) = 0;
  // Every user with its events, oldest first.
  virtual std::vector<stored_user> load() = 0;
  // Removes a user and its events (its history is over: the session retired).
  virtual void forget(std::string_view user_id) = 0;
  // Removes events older than `cutoff_ms` that are also more than `keep_events`
  // behind their user's last seq (resume keeps at least that many and at least
  // that long). Returns how many.
  virtual std::int64_t prune(std::int64_t cutoff_ms, std::uint64_t keep_events) = 0;
  // Rows held (for /metrics).
  virtual std::int64_t count() = 0;
};

// Opens (creating, in WAL mode) the SQLite file at `path`. Throws store_error.
// full_sync: synchronous=FULL (a commit also survives power loss), else NORMAL.
std::unique_ptr<event_log_store> open_sqlite_event_log(const std::string& path, bool full_sync);

// The log of node `node_id` in PostgreSQL. Opening takes the node's next lease
// epoch: from then on an older process that opened the same node's log gets
// store_error ("fenced") on every write. full_sync: synchronous_commit=on
// (a commit is on the server's disk), else off (in its memory, flushed
// within a fraction of a second). Throws store_error.
std::unique_ptr<event_log_store> open_postgres_event_log(const std::string& url,
                                                         const std::string& node_id,
                                                         bool full_sync);

}  // namespace aw::store
