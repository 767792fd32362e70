#pragma once

#include "analytics/builtin_llm.hpp"
#include "protocol/client_messages.hpp"
#include "render/chart_spec.hpp"

namespace aw::actors {

// What the renderer draws for a run: the LLM's title, labels and data, in the
// chart type, theme, format and size the request asked for.
render::chart_spec chart_spec_for(const analytics::generation& gen, protocol::chart_type type,
                                  const protocol::analytics_payload& payload);

}  // namespace aw::actors
