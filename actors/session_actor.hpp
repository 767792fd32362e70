// One actor per user: owns that user's runs and event history, and delivers
// events to the connections the gateway attached (the gateway owns the user's
// connection registry and its cap, and detaches a connection it supersedes).
// It is the single authority on what the user sees: it numbers every event
// (through its emitter), enforces the per-user limits, and makes sure each
// accepted run ends with exactly one agent_completed and every tool_executing
// gets its tool_completed, whether the run succeeds, fails, is cancelled,
// times out or its actor dies.
//
// Messages (from the gateway):
//   (connect_atom, conn_id, session_id, int64 last_seq or -1, epoch or "")
//   (disconnect_atom, conn_id)
//   (watch_atom, conn_id) / (unwatch_atom, conn_id)   an AG-UI run's tap
//   (request_atom, conn_id, analytics_request)
//   (cancel_atom, conn_id, correlation_id)
//   (resume_atom, conn_id, uint64 last_seq)
//   (retire_atom)                       the gateway agrees that the user is gone
// From its runs: (emit_atom, pending_event), typed (actors/messages.hpp).
#pragma once

#include <string>

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>

#include "actors/services.hpp"

namespace aw::actors {

caf::actor spawn_session(caf::actor_system& system, const services& svc, std::string user_id);

}  // namespace aw::actors
