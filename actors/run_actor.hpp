// One run: plan -> generate (LLM) -> render -> finish, as named states (the
// machine is drawn in run_actor.cpp). The run reports every step to its
// session as run_events; the session numbers them and guarantees that the run
// ends exactly once, even if this actor fails, is cancelled or runs out of time.
#pragma once

#include <string>

#include <caf/actor.hpp>
#include <caf/behavior.hpp>
#include <caf/stateful_actor.hpp>

#include "actors/run_record.hpp"
#include "actors/services.hpp"
#include "actors/step_timeouts.hpp"
#include "analytics/builtin_llm.hpp"
#include "analytics/planner.hpp"
#include "protocol/client_messages.hpp"

namespace aw::actors {

struct run_input {
  std::string run_id;
  std::string user_id;
  protocol::analytics_payload payload;
  run_deadline deadline;  // the session's timer ends the run here
  // A follow-up (issue #16 item 4): the run_id of the chart it edits, and
  // whether that chart's data was made up (the payload then carries it as data).
  std::string refined_from;
  bool refined_synthetic = false;
  // A re-run (issue #18): the model's answer the durable log holds, used
  // instead of asking the model again.
  std::shared_ptr<const run_checkpoint> recorded;
};

struct run_state {
  run_input input;
  services svc;
  caf::actor session;
  std::int64_t started_ms = 0;
  int tool_counter = 0;
  analytics::chart_plan plan;     // set when planning ends
  analytics::generation gen;      // set when generating ends
  bool generated = false;  // `gen` came with the plan: the model chose the type
  double partial_progress = 0.3;  // of the streamed-text thoughts while generating
  std::size_t streamed_bytes = 0;  // of the model's text shown (bounded: it may come from a worker)
  static inline const char* name = "run";
};

caf::behavior run_actor(caf::stateful_actor<run_state>* self, caf::actor session, services svc,
                        run_input input);

}  // namespace aw::actors
