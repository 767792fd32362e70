#pragma once

#include <caf/behavior.hpp>
#include <caf/event_based_actor.hpp>

namespace aw::actors {

// (generate_atom, analytics_payload, chart_type) -> generation
// The built-in provider computes everything locally and fast, so it runs
// inline; a networked provider would hand the call to its own workers.
caf::behavior llm_actor(caf::event_based_actor* self);

}  // namespace aw::actors
