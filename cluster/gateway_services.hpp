// A gateway's services (role=gateway): the common ones, and one node
// dispatcher that keeps the planner, LLM and renderer contracts
// (actors::step_api) by sending each step to a cluster node.
#pragma once

#include <memory>

#include <caf/actor_system.hpp>

#include "actors/services.hpp"

namespace aw::cluster {

actors::services start_gateway_services(caf::actor_system& system,
                                        std::shared_ptr<const core::config> cfg,
                                        actors::outbox* out, actors::supervisor& sup);

}  // namespace aw::cluster
