// The one actor a worker node publishes: gateways greet it, ask it for its
// load, and hand it plan, generate and render steps, which it passes to the
// node's own planner, LLM actor and render pool.
#pragma once

#include <cstdint>

#include <caf/behavior.hpp>
#include <caf/stateful_actor.hpp>

#include "actors/interfaces.hpp"
#include "actors/services.hpp"

namespace aw::actors {

struct worker_front_state {
  services svc;
  std::int64_t active_steps = 0;
  std::int64_t steps_served = 0;
};

// node_front_api (actors/interfaces.hpp): the steps of step_api, plus
// (hello_atom, std::uint32_t version, std::string gateway) -> (std::uint32_t, std::string node)
// (heartbeat_atom) -> std::int64_t active steps
node_front_api::behavior_type worker_front(
    node_front_api::stateful_pointer<worker_front_state> self, services svc);

}  // namespace aw::actors
