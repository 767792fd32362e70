// Restart on the same DATA_DIR, or a takeover (issue #18): the runs a user's
// durable log shows as started (agent_started) and not ended (no
// agent_completed) were in flight when their node died. Each is run again
// when the log holds what that needs (actors/run_record.hpp: its input on
// agent_started, and every step of it the log holds is whole: the session's
// opening thoughts are there); the session then repeats it under the same
// run_id and sends only the events the log does not hold (run_replay.hpp).
// Any other is ended once: every tool it left open gets its tool_completed
// (error), an agent_thinking comes first if it had none, then agent_completed
// with status error and code GATEWAY_LOST. The new events continue the user's
// seq in the same epoch. Pure: no store, no actor.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "actors/emitter.hpp"
#include "actors/run_record.hpp"
#include "actors/run_replay.hpp"
#include "store/event_log_store.hpp"

namespace aw::actors {

struct ended_run {
  run_identity id;
  std::int64_t started_ms = 0;
  std::string completed_data;  // the agent_completed `data`
};

// A run to repeat, as far as the log holds it.
struct resumable_run {
  run_identity id;
  std::int64_t started_ms = 0;
  int thoughts = 0;
  std::map<std::string, std::string> open_tools;  // tool_call_id -> tool
  run_record record;
  std::shared_ptr<const run_checkpoint> checkpoint;  // the model's answer, if the log holds it
  std::vector<step_mark> expect;  // the run actor's steps the log holds, in order
};

// Appends the ending events to `user.events` (raising user.last_seq) and
// returns the runs so ended, oldest first. With `rerun`, the runs that can be
// repeated go there instead (oldest first), not ended. A frame that is not an
// event object of this user is skipped (it cannot name a run).
std::vector<ended_run> end_open_runs(store::stored_user& user, std::int64_t now_ms,
                                     std::vector<resumable_run>* rerun = nullptr);

}  // namespace aw::actors
