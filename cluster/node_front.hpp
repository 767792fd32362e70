// The one actor a cluster node publishes: gateways greet it, ask it for its
// load, and hand it plan, generate and render steps, which it passes to the
// node's own planner, LLM actor and render pool.
#pragma once

#include <cstdint>

#include <caf/behavior.hpp>
#include <caf/stateful_actor.hpp>

#include "actors/services.hpp"
#include "cluster/cluster.hpp"

namespace aw::cluster {

struct node_front_state {
  actors::services svc;
  std::int64_t active_steps = 0;
  std::int64_t steps_served = 0;
};

// node_front_api (cluster/cluster.hpp): the steps of actors::step_api, plus
// (hello_atom, std::uint32_t version, std::string gateway) -> (std::uint32_t, std::string node)
// (heartbeat_atom) -> std::int64_t active steps
node_front_api::behavior_type node_front(node_front_api::stateful_pointer<node_front_state> self,
                                         actors::services svc);

}  // namespace aw::cluster
