#include "actors/llm_actor.hpp"

#include "actors/messages.hpp"

namespace aw::actors {

caf::behavior llm_actor(caf::event_based_actor*) {
  return {
      [](generate_atom, const protocol::analytics_payload& payload,
         protocol::chart_type type) -> analytics::generation {
        return analytics::builtin_generate(payload, type);
      },
  };
}

}  // namespace aw::actors
