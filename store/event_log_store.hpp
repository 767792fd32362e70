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

#include "store/history_store.hpp"  // store_error

namespace aw::store {

// This process no longer holds its node's lease epoch (the node's log was
// opened again, or a survivor took its users over): it must write nothing more.
class fenced_error : public store_error {
 public:
  using store_error::store_error;
};

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
  // What a re-run of the event's run needs from this step on (text, opaque
  // here: actors/run_record.hpp); empty for most events.
  std::string_view resume = {};
};

struct stored_event {
  std::uint64_t seq = 0;
  std::int64_t at_ms = 0;
  std::string frame;
  std::string resume = {};  // event_log_row::resume
};

struct stored_user {
  std::string user_id;
  std::string epoch;
  std::uint64_t last_seq = 0;
  std::vector<stored_event> events;  // oldest first
  std::int64_t owner_epoch = 0;      // shared store: this node's claim of the user (release())
};

// What claim() found for a user about to get a session on this node.
struct claim_result {
  enum class outcome {
    fresh,            // no history anywhere: the user's row (new epoch) is now this node's
    own,              // this node already held the history (`user`)
    taken_over,       // `from_node`'s lease had expired: its history (`user`) is now ours
    handed_over,      // `from_node` (alive) had released the user: its history is now ours
    owned_elsewhere,  // `from_node`'s lease is live: the user is not ours to serve (it is
                      // marked wanted there, see wanted())
  };
  outcome result = outcome::fresh;
  std::string from_node;
  stored_user user;  // its owner_epoch also for `fresh`
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
  // Replaces the `resume` text of the user's event `seq` (a re-run counted
  // in its run's record, actors/run_record.hpp). Throws store_error.
  virtual void set_resume(std::string_view user_id, std::uint64_t seq, std::string_view resume) = 0;

  // Several nodes on one store (PostgreSQL): renews this node's lease; throws
  // store_error ("fenced") once a survivor has taken this node's users.
  virtual void renew() {}
  // Makes this node the owner of `user_id`'s history, in one transaction,
  // before a session for that user starts here. A history held by a node
  // whose lease has expired is taken over: that node is fenced (its lease
  // epoch bumped: every later write of it fails), and the user's rows become
  // ours. One node (SQLite) owns every user: always fresh or own, from load().
  virtual claim_result claim(std::string_view user_id, std::string_view new_epoch) {
    (void)user_id;
    (void)new_epoch;
    return {};
  }
  // True when several nodes share the store and claim() must run first.
  virtual bool shared() const { return false; }
  // Users of this node that another node asked for (claim() refused there).
  virtual std::vector<std::string> wanted() { return {}; }
  // Users held by nodes whose lease has expired, at most `limit`, for this
  // node to claim (and so finish their runs) though no one connects: only
  // while this is the live node with the smallest id, so that survivors do not
  // race for them. None with one node.
  virtual std::vector<std::string> orphans(std::size_t limit) {
    (void)limit;
    return {};
  }
  // This node's session of the user is gone, its history kept: the next
  // claim() elsewhere moves it there without fencing this node. Only while
  // `owner_epoch` is still the user's (a newer claim here voids it).
  virtual void release(std::string_view user_id, std::int64_t owner_epoch) {
    (void)user_id;
    (void)owner_epoch;
  }
};

// Opens (creating, in WAL mode) the SQLite file at `path`. Throws store_error.
// full_sync: synchronous=FULL (a commit also survives power loss), else NORMAL.
std::unique_ptr<event_log_store> open_sqlite_event_log(const std::string& path, bool full_sync);

// The log of node `node_id` in PostgreSQL. Opening takes the node's next lease
// epoch: from then on an older process that opened the same node's log gets
// store_error ("fenced") on every write. full_sync: synchronous_commit=on
// (a commit is on the server's disk), else off (in its memory, flushed
// within a fraction of a second). lease_ms: how long the node's lease lasts
// after each write or renew() (the database server's clock, so nodes' clocks
// need not agree). Throws store_error.
std::unique_ptr<event_log_store> open_postgres_event_log(const std::string& url,
                                                         const std::string& node_id, bool full_sync,
                                                         std::int64_t lease_ms = 10000);

}  // namespace aw::store
