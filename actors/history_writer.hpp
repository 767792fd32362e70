// The history writer (issue #8): a detached actor (its own thread) that owns
// the history store and writes what sessions send it in batches, one
// transaction each. Sessions only send: a slow or down database delays
// history, never events.
//
// Batches: up to batch_rows rows, flushed when that many wait or
// flush_every after the first. A failed batch stays queued and is retried
// with capped exponential backoff while store_up is false; pings bring
// store_up back. The queue is bounded: when full, the oldest rows go
// (store_dropped, a warning at most once a minute). A batch the database
// refuses while it answers pings (a bad row) is, after three tries, written
// row by row and the rows it refuses are dropped. Retention runs at start and
// every retention_every. If the store cannot be opened, events go on and the
// writer keeps trying to open it.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <vector>

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/atom.hpp>

#include "actors/counters.hpp"
#include "core/config.hpp"
#include "store/history_store.hpp"

// Local only: sessions and the writer live on one node.
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(aw::store::history_write)
namespace aw::actors {
// The answer to history_recall_atom.
struct history_rows {
  std::vector<store::message_record> rows;
};
}  // namespace aw::actors
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(aw::actors::history_rows)

namespace aw::actors {

// The writer's own timers.
using history_flush_atom = caf::atom_constant<caf::atom("hflush")>;
using history_retry_atom = caf::atom_constant<caf::atom("hretry")>;
using history_ping_atom = caf::atom_constant<caf::atom("hping")>;
using history_retain_atom = caf::atom_constant<caf::atom("hretain")>;
// (history_recall_atom, user_id, conversation_id) -> history_rows:
// the conversation's newest recall_rows rows, oldest first, after writing what
// is queued (issue #16 item 4: a follow-up after a reconnect or a restart).
// Empty when the store is down or has none.
using history_recall_atom = caf::atom_constant<caf::atom("hrecall")>;
constexpr int history_recall_rows = 8;

struct history_writer_options {
  std::size_t batch_rows = 200;
  std::chrono::milliseconds flush_every{50};
  std::size_t max_queued_rows = 100000;
  std::chrono::milliseconds first_retry{100};
  std::chrono::milliseconds max_retry{5000};
  std::chrono::milliseconds ping_every{5000};
  std::chrono::milliseconds retention_every{std::chrono::hours(1)};
  int retention_days = 30;
};

// Opens the store; throws store_error when it cannot. Called on the writer's
// thread, again after a failure.
using history_store_opener = std::function<std::unique_ptr<store::history_store>()>;

// `stop_with`, when set: the writer flushes what it holds and stops when that
// actor stops (a safety net so that shutdown never waits on it). An exit
// message does the same.
caf::actor spawn_history_writer(caf::actor_system& system, history_store_opener open,
                                std::shared_ptr<counters> stats, history_writer_options options,
                                caf::actor stop_with = {});

// The store named by STORE_URL / DATA_DIR, RETENTION_DAYS.
caf::actor spawn_history_writer(caf::actor_system& system, const core::config& cfg,
                                std::shared_ptr<counters> stats, caf::actor stop_with = {});

}  // namespace aw::actors
