// The durable per-user event log (issue #18), one node: every event a session
// numbers is written through to the event-log store (store/event_log_store.hpp)
// by one writer thread, in batches (group commit: whatever waits goes in the
// next transaction), and only then handed back to the session to send.
//
// Guarantee: an event is sent only after it is durable. So a client never
// holds a seq the log lacks; after a crash (kill -9) and a restart on the same
// DATA_DIR, each user keeps the same epoch, seq continues, and resume from any
// last_seq the client saw works without RESUME_GAP. The price is the commit
// time on each event's delivery (DURABLE_LOG_SYNC=normal: no fsync per commit,
// durable against the process dying, not against power loss).
//
// Bound: the bytes queued and not yet durable (DURABLE_LOG_MAX_PENDING_MB).
// Events are never dropped (that would break the guarantee): over the bound,
// sessions refuse new runs (RATE_LIMITED, counted in
// agentwire_durable_log_refused_runs_total) while the runs in flight finish.
// A store that fails is retried with capped backoff; delivery waits meanwhile
// (visible: /health "degraded", agentwire_durable_log_up 0).
//
// Thread-safe: append/forget/take from any actor, non-blocking (a lock held
// for a queue push). recover() and the constructor run at start-up only.
// Defined in durable_log.cpp, and durable_log_shared.cpp for what only a
// shared store uses (claims, the lease, hand-backs).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include <caf/actor.hpp>
#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/atom.hpp>

#include "actors/counters.hpp"
#include "actors/durable_recovery.hpp"
#include "actors/outbox.hpp"
#include "store/event_log_store.hpp"

namespace aw::actors {
struct claim_reply;
}

// Local only: sessions and the log live on one node.
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::vector<aw::actors::frame_ptr>)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::shared_ptr<aw::actors::claim_reply>)

namespace aw::actors {

// durable log -> session: (durable_atom, uint64 upto, std::vector<frame_ptr> frames)
using durable_atom = caf::atom_constant<caf::atom("durable")>;
// durable log -> session: (claimed_atom, std::shared_ptr<claim_reply>)
using claimed_atom = caf::atom_constant<caf::atom("claimed")>;
// durable log -> session: (handoff_atom) another gateway asked for this user:
// hand it over (release) once the session has no connection and no run.
using handoff_atom = caf::atom_constant<caf::atom("handoff")>;

struct durable_log_options {
  std::size_t max_pending_bytes = 64u << 20;
  std::size_t batch_events = 4096;     // at most per transaction
  std::size_t batch_bytes = 8u << 20;  // at most per transaction (one event may be larger)
  std::chrono::milliseconds prune_every{30000};
  std::int64_t keep_ms = 300000;     // resume keeps at least this long ...
  std::uint64_t keep_events = 1024;  // ... and at least this many per user
  // What start-up holds for the sessions, as the resume buffers would:
  // per user (EVENT_BUFFER_BYTES) and in all (EVENT_BUFFER_TOTAL_MB); over
  // them the oldest events are not loaded (a resume from before them gets
  // RESUME_GAP, as after an eviction in memory).
  std::size_t max_user_bytes = 16u << 20;
  std::size_t max_total_bytes = std::size_t{1} << 30;
  std::chrono::milliseconds first_retry{50};
  std::chrono::milliseconds max_retry{2000};
  // A shared store (PostgreSQL): the node's lease is renewed at least this often.
  std::chrono::milliseconds renew_every{3000};
  // Called (writer thread) when the store says this process is fenced
  // (store::fenced_error); unset: treated as any failure (retried).
  std::function<void(const std::string& why)> on_fenced;
};

// A user's history as the log held it at start-up.
struct recovered_user {
  std::string epoch;
  std::uint64_t last_seq = 0;
  struct event {
    std::uint64_t seq;
    std::int64_t at_ms;
    frame_ptr frame;
  };
  std::vector<event> events;         // oldest first
  std::int64_t owner_epoch = 0;      // shared store: for release()
  std::vector<resumable_run> rerun;  // runs in flight to repeat (durable_recovery.hpp)
};

// The answer to claim(): `ready` with the user's history (none: a fresh one
// with the epoch the session proposed), the runs ended GATEWAY_LOST (durable
// already); or `refused` (the user's node is alive: from_node) or `failed`
// (the store did not answer): no session for that user here, for now.
struct claim_reply {
  enum class outcome { ready, refused, failed } result = outcome::failed;
  std::optional<recovered_user> user;
  std::vector<ended_run> ended;
  bool taken_over = false;
  std::string from_node;
  std::int64_t owner_epoch = 0;  // for release()
};

// Called on the writer thread once a batch is durable: for each session in
// it, the newest durable seq and that session's frames of the batch, in order.
using durable_notify = std::function<void(const caf::actor& session, std::uint64_t upto,
                                          std::vector<frame_ptr> frames)>;

class durable_log {
 public:
  durable_log(std::unique_ptr<store::event_log_store> db, std::shared_ptr<counters> stats,
              durable_log_options options, durable_notify notify);
  ~durable_log();  // stop()
  durable_log(const durable_log&) = delete;
  durable_log& operator=(const durable_log&) = delete;

  // Start-up, before start(): loads every user, ends the runs that were in
  // flight and cannot be repeated (durable_recovery.hpp) and writes those
  // endings; the others wait in the user's recovered history (take()) for
  // its session to repeat them. Throws store_error. Returns the runs so
  // ended, with their user.
  std::vector<std::pair<std::string, ended_run>> recover(std::int64_t now_ms);
  void start();  // the writer thread
  // Writes what is queued (one try while the store answers), then stops the thread.
  void stop();

  // A session starting: its user's history from the last start-up, once.
  std::optional<recovered_user> take(const std::string& user_id);
  // The users recovered at start-up with runs to repeat: their sessions start
  // at once, so those runs finish whether or not the user is back.
  std::vector<std::string> users_with_reruns();

  // Several gateways share the store: a session with nothing from take()
  // must claim its user first (store::event_log_store::claim) and start only
  // on the answer, (claimed_atom, std::shared_ptr<claim_reply>), sent to
  // `session` from the writer thread. A user taken over from a dead node
  // comes with its in-flight runs ended (durable_recovery.hpp), like a restart.
  bool shared() const { return shared_; }
  void claim(const caf::actor& session, std::string user_id, std::string new_epoch);
  // Shared store: `session` serves the user here (told of handoffs) ...
  void serving(const std::string& user_id, const caf::actor& session);
  // ... and no more: it quits. `release`: its history stays in the store for
  // the gateway that asked for the user (store::event_log_store::release).
  void leaving(const std::string& user_id, const caf::actor& session, bool release,
               std::int64_t owner_epoch);

  // Queues one event of `session`'s user. `new_epoch`: the first event of a
  // new history (the user's older rows go). `resume`: what a re-run of the
  // event's run needs from this step on (actors/run_record.hpp), or null.
  void append(const caf::actor& session, std::shared_ptr<const std::string> user_id,
              std::shared_ptr<const std::string> epoch, bool new_epoch, std::uint64_t seq,
              std::int64_t at_ms, frame_ptr frame,
              std::shared_ptr<const std::string> resume = nullptr);
  // The user's history is over (its session retired): its rows go.
  void forget(const std::string& user_id);

  // Shared store: users of a dead gateway that no one reconnects are adopted
  // here all the same, so that their runs finish (issue #18): every third of
  // the lease, while this is the live gateway with the smallest NODE_ID, up to
  // 100 such users are claimed (taken over), their histories held for
  // take(), and `adopt` is called (writer thread) with each user and its
  // runs ended GATEWAY_LOST; it starts the user's session, which re-runs the
  // rest. Set before start(); cleared (nullptr) before its target goes.
  using adopter = std::function<void(const std::string& user, std::vector<ended_run> ended)>;
  void set_adopter(adopter adopt);

  // Over DURABLE_LOG_MAX_PENDING_MB: sessions take no new run.
  bool over_bound() const {
    return stats_->durable_pending_bytes.load(std::memory_order_relaxed) >
           static_cast<std::int64_t>(opt_.max_pending_bytes);
  }

 private:
  struct item {
    caf::actor session;
    bool forget = false;  // forget user_id (no event)
    std::shared_ptr<const std::string> user_id;
    std::shared_ptr<const std::string> epoch;
    bool new_epoch = false;
    std::uint64_t seq = 0;
    std::int64_t at_ms = 0;
    frame_ptr frame;
    std::chrono::steady_clock::time_point queued;
    std::shared_ptr<const std::string> resume;
    std::size_t bytes() const {
      return (frame ? frame->size() : 0) + (resume ? resume->size() : 0);
    }
  };
  struct claim_item {
    caf::actor session;
    std::string user_id;
    std::string new_epoch;
    bool release = false;  // a release(user_id, owner_epoch), not a claim
    std::int64_t owner_epoch = 0;
  };
  void run();
  void serve_claims(std::unique_lock<std::mutex>& lock);  // with the lock held
  bool forget_pending(const std::string& user_id) const;  // with the lock held
  std::shared_ptr<claim_reply> do_claim(const claim_item& c);
  void maybe_renew(std::chrono::steady_clock::time_point now);
  void if_fenced(const std::exception& e);
  void maybe_hand_off(std::chrono::steady_clock::time_point now);
  void adopt_orphans();
  // Ends the user's open runs (written to the store) and keeps its newest
  // events within the byte limits; `total_bytes` counts across users.
  recovered_user to_recovered(store::stored_user& u, std::int64_t now_ms, std::size_t& total_bytes,
                              std::size_t& not_loaded, std::vector<ended_run>& ended);
  bool write(std::vector<item>& batch);  // false when the store failed
  void deliver(std::vector<item>& batch);
  void maybe_prune(std::chrono::steady_clock::time_point now);

  std::unique_ptr<store::event_log_store> db_;
  std::shared_ptr<counters> stats_;
  durable_log_options opt_;
  durable_notify notify_;

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<item> queue_;
  std::deque<claim_item> claims_;
  bool shared_ = false;
  std::chrono::steady_clock::time_point last_renew_{};
  std::chrono::steady_clock::time_point last_wanted_{};
  bool stopping_ = false;
  std::thread writer_;
  std::chrono::steady_clock::time_point last_prune_{};

  std::mutex recovered_mutex_;
  std::unordered_map<std::string, recovered_user> recovered_;
  std::unordered_map<std::string, caf::actor> serving_;  // shared store: user -> its session
  std::mutex adopter_mutex_;
  adopter adopt_;
};

}  // namespace aw::actors
