// The emitter turns a run's events into numbered events for one user: it gives
// each typed event (protocol/run_event.hpp) the next `seq`, encodes its
// WebSocket frame once (the PROTOCOL.md section 3 envelope), keeps it for
// resume and fans it out to that user's connections only.
// It lives inside the user's session actor, so numbering needs no lock.
//
// With a durable log (actors/durable_log.hpp) an event is sent only once it
// is durable: emit() numbers it, keeps it and queues it for the log; the
// session calls delivered() with what the log made durable, and that is sent
// then. Until then it is neither sent live nor replayed.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <caf/actor.hpp>

#include "actors/counters.hpp"
#include "actors/event_log.hpp"
#include "actors/outbox.hpp"
#include "protocol/server_messages.hpp"

namespace aw::actors {

struct recovered_user;  // actors/durable_log.hpp

// run_id, correlation_id, conversation_id, message_id.
using run_identity = protocol::run_ids;

class emitter {
 public:
  emitter(std::string user_id, std::string epoch, event_log_limits limits, outbox* out,
          counters* stats);

  // Durable mode: events go through `log` (which outlives the emitter) and
  // come back to `session` as (durable_atom, upto, frames).
  void make_durable(class durable_log* log, caf::actor session);
  // The user's history recovered from the log (its frames are moved out):
  // the same epoch (given to the constructor), seq continues after it.
  void restore(recovered_user& user);
  // The log made events up to `upto` durable; `frames` are those not yet sent, in order.
  void delivered(std::uint64_t upto, const std::vector<frame_ptr>& frames);
  // Events numbered and not yet durable (0 without a durable log).
  std::uint64_t undelivered() const { return last_seq_ - visible_seq(); }

  // Numbers `data` as the next event of `run` (shared by all its events) and
  // sends it. `image`: a successful run's chart bytes, encoded into the frame
  // only (protocol::write_frame). `resume`: kept with the event in the durable
  // log for a re-run (actors/run_record.hpp), else dropped. Returns the
  // record, typed value and frame.
  event_ptr emit(const std::shared_ptr<const run_identity>& run, protocol::event_data data,
                 std::int64_t now_ms, std::string_view image = {},
                 std::shared_ptr<const std::string> resume = nullptr);

  void attach(conn_id conn);
  void detach(conn_id conn);
  const std::vector<conn_id>& connections() const { return conns_; }

  std::uint64_t last_seq() const { return last_seq_; }
  // The newest seq a client may have seen: last_seq(), or with a durable log
  // the newest durable one.
  std::uint64_t visible_seq() const { return durable_ ? durable_seq_ : last_seq_; }
  const std::string& epoch() const { return *epoch_; }
  // The oldest seq still held for resume (last_seq() + 1 when none is).
  std::uint64_t oldest_seq() const { return log_.empty() ? last_seq_ + 1 : log_.oldest_seq(); }

  // Sends one connection every held event with seq > after. When some of them
  // are gone, or the client's epoch (empty: none given) is not ours, a
  // RESUME_GAP error comes first (naming both epochs) and the replay starts at
  // the oldest event held.
  void replay(conn_id conn, std::uint64_t after, const std::string& client_epoch,
              std::int64_t now_ms);

  void prune(std::int64_t now_ms) { log_.prune(now_ms); }

 private:
  // Shared by every event and every durable-log entry of this user.
  std::shared_ptr<const std::string> user_id_;
  std::shared_ptr<const std::string> epoch_;
  outbox* out_;
  counters* stats_;
  event_log log_;
  std::uint64_t last_seq_ = 0;
  std::vector<conn_id> conns_;
  class durable_log* durable_ = nullptr;
  caf::actor session_;
  std::uint64_t durable_seq_ = 0;
  // With a durable log: numbered, not yet durable, from undelivered_head_ on.
  // A vector, not a deque: empty, it allocates nothing (idle users).
  std::vector<event_ptr> undelivered_;
  std::size_t undelivered_head_ = 0;
  // The log holds this epoch (a recovered one, or after the first event).
  bool epoch_written_ = false;
};

}  // namespace aw::actors
