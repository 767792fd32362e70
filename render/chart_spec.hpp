// What the renderer needs to draw one chart, in render/'s own types: its kind,
// texts, data, colours, image format and size. No CAF, no I/O, nothing of the
// wire protocol here (actors/chart_spec_for.cpp builds one from a request).
#pragma once

#include <string>

#include "render/chart_kind.hpp"
#include "render/palette.hpp"
#include "render/plot_data.hpp"

namespace aw::render {

enum class image_format { png, svg };

struct chart_spec {
  chart_kind kind = chart_kind::bar_chart_vertical;
  std::string title;
  std::string x_label;
  std::string y_label;
  plot_data data;
  palette colours = theme_palette("modern");
  image_format format = image_format::png;
  int width = 800;
  int height = 500;
};

}  // namespace aw::render
