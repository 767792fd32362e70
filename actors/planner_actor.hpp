#pragma once

#include <memory>

#include "actors/interfaces.hpp"
#include "core/config.hpp"

namespace aw::actors {

// planner_api: (plan_atom, analytics_payload) -> chart_plan
// (The config argument is unused today; it also keeps CAF 0.17 from spawning
// an actor with an empty argument tuple, which UBSan reports inside CAF.)
planner_api::behavior_type planner_actor(planner_api::pointer self,
                                         std::shared_ptr<const core::config> cfg);

}  // namespace aw::actors
