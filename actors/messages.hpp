// Messages between the actors. Atoms name the verbs; structs carry the data.
#pragma once

#include <memory>
#include <string>

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/atom.hpp>
#include <caf/meta/type_name.hpp>

#include "actors/wire_types.hpp"
#include "analytics/builtin_llm.hpp"
#include "analytics/planner.hpp"
#include "protocol/client_messages.hpp"
#include "protocol/run_event.hpp"
#include "protocol/server_messages.hpp"
#include "render/chart_spec.hpp"
#include "render/renderer.hpp"

namespace aw::actors {

// gateway -> session
using connect_atom = caf::atom_constant<caf::atom("connect")>;
using disconnect_atom = caf::atom_constant<caf::atom("disconnect")>;
using request_atom = caf::atom_constant<caf::atom("request")>;
using cancel_atom = caf::atom_constant<caf::atom("cancel")>;
using resume_atom = caf::atom_constant<caf::atom("resume")>;
using retire_atom = caf::atom_constant<caf::atom("retire")>;
using drain_atom = caf::atom_constant<caf::atom("drain")>;  // refuse new runs
// (watch_atom, conn_id) / (unwatch_atom, conn_id): an AG-UI run's tap gets the
// user's events and may send requests, without being one of the user's
// connections (no ack, never superseded, not counted).
using watch_atom = caf::atom_constant<caf::atom("watch")>;
using unwatch_atom = caf::atom_constant<caf::atom("unwatch")>;
using shutdown_atom = caf::atom_constant<caf::atom("shutdown")>;  // end the remaining runs
// admin API (gateway -> session): (admin_info_atom) -> std::string, a JSON
// object of the user's event-log position and runs; (admin_cancel_atom,
// correlation_id) -> bool, whether a run was cancelled.
using admin_info_atom = caf::atom_constant<caf::atom("admininfo")>;
using admin_cancel_atom = caf::atom_constant<caf::atom("admincancl")>;
// run -> session
using emit_atom = caf::atom_constant<caf::atom("emit")>;
// session -> itself
using run_timeout_atom = caf::atom_constant<caf::atom("runtimeout")>;
using idle_check_atom = caf::atom_constant<caf::atom("idlecheck")>;
// run -> the actors of its steps (actors/interfaces.hpp)
using plan_atom = caf::atom_constant<caf::atom("plan")>;
using generate_atom = caf::atom_constant<caf::atom("generate")>;  // + stream_to actor
using render_atom = caf::atom_constant<caf::atom("render")>;
// LLM -> run: a batch of streamed model text, (llm_partial_atom, std::string)
using llm_partial_atom = caf::atom_constant<caf::atom("llmpartial")>;
// (The cluster's own messages are in cluster/cluster.hpp.)
// LLM client thread -> LLM actor: a model call ended
using llm_done_atom = caf::atom_constant<caf::atom("llmdone")>;
// start-up -> render process actor: (ready_atom) -> bool, answered once its gnuplot start was tried
using ready_atom = caf::atom_constant<caf::atom("ready")>;

// One event of a run, before the emitter numbers it: the typed data and, for
// a successful agent_completed, the chart's bytes (which go into the
// WebSocket frame only). Local: a run and its session share a node.
struct pending_event {
  std::string run_id;
  protocol::event_data data;
  std::shared_ptr<const std::string> image;
  std::shared_ptr<const std::string> resume;  // for the durable log (actors/run_record.hpp)
};

}  // namespace aw::actors

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(aw::actors::pending_event)
