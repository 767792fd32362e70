// What the renderer needs to draw one chart. No CAF, no I/O here.
#pragma once

#include <string>

#include "protocol/chart_data.hpp"
#include "protocol/chart_types.hpp"
#include "protocol/client_messages.hpp"
#include "protocol/theme.hpp"

namespace aw::render {

struct chart_spec {
  protocol::chart_type type = protocol::chart_type::bar_chart_vertical;
  std::string title;
  std::string x_label;
  std::string y_label;
  protocol::chart_data data;
  protocol::theme_choice theme;
  protocol::image_format format = protocol::image_format::png;
  int width = 800;
  int height = 500;
};

}  // namespace aw::render
