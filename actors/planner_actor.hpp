#pragma once

#include <caf/behavior.hpp>
#include <caf/event_based_actor.hpp>

#include <memory>

#include "core/config.hpp"

namespace aw::actors {

// (plan_atom, analytics_payload) -> chart_plan
// (The config argument is unused today; it also keeps CAF 0.17 from spawning
// an actor with an empty argument tuple, which UBSan reports inside CAF.)
caf::behavior planner_actor(caf::event_based_actor* self, std::shared_ptr<const core::config> cfg);

}  // namespace aw::actors
