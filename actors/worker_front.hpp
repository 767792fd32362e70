// The one actor a worker node publishes: gateways greet it, ask it for its
// load, and hand it plan, generate and render steps, which it passes to the
// node's own planner, LLM actor and render pool.
#pragma once

#include <cstdint>

#include <caf/behavior.hpp>
#include <caf/stateful_actor.hpp>

#include "actors/services.hpp"

namespace aw::actors {

struct worker_front_state {
  services svc;
  std::int64_t active_steps = 0;
  std::int64_t steps_served = 0;
};

// (hello_atom, std::uint32_t version, std::string gateway) -> (std::uint32_t, std::string node)
// (heartbeat_atom) -> std::int64_t active steps
// (plan_atom, analytics_payload) -> chart_plan
// (generate_atom, analytics_payload, chart_type, caf::actor stream_to) -> generation
// (render_atom, std::string user, chart_spec) -> render_output
caf::behavior worker_front(caf::stateful_actor<worker_front_state>* self, services svc);

}  // namespace aw::actors
