#include "actors/chart_spec_for.hpp"

namespace aw::actors {

render::chart_spec chart_spec_for(const analytics::generation& gen, protocol::chart_type type,
                                  const protocol::analytics_payload& payload) {
  render::chart_spec spec;
  spec.type = type;
  spec.title = gen.title;
  spec.x_label = gen.x_label;
  spec.y_label = gen.y_label;
  spec.data = gen.data;
  spec.theme = payload.theme;
  spec.format = payload.format;
  spec.width = payload.width;
  spec.height = payload.height;
  return spec;
}

}  // namespace aw::actors
