// The session actor's state and what its three files share (internal to
// actors/): session_actor.cpp (its behaviours and the connections),
// session_requests.cpp (a request's checks and the run it starts),
// session_runs.cpp (a run's life: its events, its one end, re-runs).
#pragma once

#include <cstdint>
#include <deque>
#include <list>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <caf/stateful_actor.hpp>

#include "actors/conversation_memory.hpp"
#include "actors/durable_log.hpp"
#include "actors/emitter.hpp"
#include "actors/messages.hpp"
#include "actors/run_actor.hpp"
#include "actors/run_replay.hpp"
#include "actors/services.hpp"

namespace aw::actors::session {

struct connection_info {
  conn_id id = 0;
  std::string session_id;
};

struct active_run {
  std::shared_ptr<const run_identity> id;  // shared by every event of the run
  caf::actor actor;
  std::int64_t started_ms = 0;
  std::unordered_map<std::string, std::string> open_tools;  // tool_call_id -> tool
  int thoughts = 0;  // agent_thinking events so far: a run has at least one
  // For the one "run finished" log line, picked from the run's own events.
  std::string chart_type;
  std::string tokens_in;
  std::string tokens_out;
  std::string request_json;  // as recorded in the history, for the conversation memory
  // A re-run (issue #18): its steps the user already holds, in order; the
  // run actor's matching events are dropped (actors/run_replay.hpp).
  std::deque<step_mark> expect;
};

struct session_state {
  std::string user_id;
  services svc;
  std::unique_ptr<emitter> events;
  std::vector<connection_info> conns;                // oldest first
  std::vector<conn_id> watchers;                     // AG-UI run taps: events, no ack
  std::unordered_map<std::string, active_run> runs;  // by run_id
  std::unordered_map<std::string, std::string> run_by_correlation;
  std::list<std::int64_t> recent_requests;  // accepted request times, for the rate limit
  conversation_memory conversations;        // last chart and recent turns per conversation
  // Requests waiting for their conversation to be read back from the history
  // (a follow-up after a reconnect or a restart), by correlation_id: true once
  // the client cancelled it (the run then starts and ends as cancelled).
  std::unordered_map<std::string, bool> recalling;
  std::int64_t idle_since_ms = 0;
  bool draining = false;  // the node is shutting down
  bool drained = false;   // told the gateway once its last run ended and was delivered
  // Shared durable log: this node's claim of the user, and whether another
  // gateway asked for the user and the session is retiring to hand it over.
  std::int64_t owner_epoch = 0;
  bool handing_off = false;
};

using session_self = caf::stateful_actor<session_state>;

inline std::int64_t now_ms() {
  return protocol::now_unix_ms();
}

// session_requests.cpp
void send_error(session_self* self, conn_id conn, protocol::error_code code, std::string message,
                const std::string& correlation_id);
// A client's analytics_request: checked against the limits, then its run starts.
void on_request(session_self* self, conn_id conn, protocol::analytics_request& req);

// session_runs.cpp
void schedule_idle_check(session_self* self);
void maybe_drained(session_self* self);
// History (issue #8): the writer is a detached actor; this only sends.
void record(session_self* self, store::history_write w);
// The run actor starts, watched, and the run's deadline timer with it.
void launch(session_self* self, active_run run, run_input input);
// Ends a run that did not end by itself: closes its open tools, emits its one
// agent_completed and stops its actor.
void end_run(session_self* self, const std::string& run_id, protocol::run_status status,
             protocol::error_code code, const std::string& message);
// An event of one of the user's runs, from its run actor.
void on_run_event(session_self* self, pending_event& ev);
// A run in flight when its gateway stopped (a restart, a takeover) is run
// again under its run_id (issue #18).
void repeat_run(session_self* self, resumable_run& r);

}  // namespace aw::actors::session
