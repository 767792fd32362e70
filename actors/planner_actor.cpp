#include "actors/planner_actor.hpp"

#include "actors/messages.hpp"

namespace aw::actors {

caf::behavior planner_actor(caf::event_based_actor*, std::shared_ptr<const core::config>) {
  return {
      [](plan_atom, const protocol::analytics_payload& payload) -> analytics::chart_plan {
        return analytics::make_plan(payload);
      },
  };
}

}  // namespace aw::actors
