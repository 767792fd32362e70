// Restart on the same DATA_DIR (issue #18): the runs a user's durable log
// shows as started (agent_started) and not ended (no agent_completed) were in
// flight when the node died. Each is ended once: every tool it left open gets
// its tool_completed (error), an agent_thinking comes first if it had none,
// then agent_completed with status error and code GATEWAY_LOST. The new
// events continue the user's seq in the same epoch. Pure: no store, no actor.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "actors/emitter.hpp"
#include "store/event_log_store.hpp"

namespace aw::actors {

struct ended_run {
  run_identity id;
  std::int64_t started_ms = 0;
  std::string completed_data;  // the agent_completed `data`
};

// Appends the ending events to `user.events` (raising user.last_seq) and
// returns the runs so ended, oldest first. A frame that is not an event
// object of this user is skipped (it cannot name a run).
std::vector<ended_run> end_open_runs(store::stored_user& user, std::int64_t now_ms);

}  // namespace aw::actors
