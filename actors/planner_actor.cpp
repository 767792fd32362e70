#include "actors/planner_actor.hpp"

#include "actors/messages.hpp"

namespace aw::actors {

planner_api::behavior_type planner_actor(planner_api::pointer,
                                         std::shared_ptr<const core::config>) {
  return {
      [](plan_atom, const protocol::analytics_payload& payload) -> analytics::chart_plan {
        return analytics::make_plan(payload);
      },
  };
}

}  // namespace aw::actors
