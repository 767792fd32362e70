#pragma once

#include <caf/behavior.hpp>
#include <caf/event_based_actor.hpp>

namespace aw::actors {

// (plan_atom, analytics_payload) -> chart_plan
caf::behavior planner_actor(caf::event_based_actor* self);

}  // namespace aw::actors
