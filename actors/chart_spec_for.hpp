// The one place where the wire protocol's chart vocabulary becomes the
// renderer's: chart types to chart kinds, chart data to plot data, a theme
// choice to a palette, an image format to the renderer's.
#pragma once

#include "analytics/builtin_llm.hpp"
#include "protocol/chart_data.hpp"
#include "protocol/chart_types.hpp"
#include "protocol/client_messages.hpp"
#include "protocol/theme.hpp"
#include "render/chart_spec.hpp"

namespace aw::actors {

// What the renderer draws for a run: the LLM's title, labels and data, in the
// chart type, theme, format and size the request asked for.
render::chart_spec chart_spec_for(const analytics::generation& gen, protocol::chart_type type,
                                  const protocol::analytics_payload& payload);

render::chart_kind chart_kind_for(protocol::chart_type type);
render::plot_data plot_data_for(const protocol::chart_data& data);
render::palette palette_for(const protocol::theme_choice& theme);
render::image_format image_format_for(protocol::image_format format);

}  // namespace aw::actors
