// Helpers for the render tests: sample specs for every chart type and a PNG
// decoder (libpng) that reports size and colour count.
#pragma once

#include <string>

#include "render/chart_spec.hpp"

namespace aw::render::test {

// A spec of `type` with its data shape filled in (and the summary view).
chart_spec sample_spec(protocol::chart_type type);

struct png_info {
  bool decoded = false;
  int width = 0;
  int height = 0;
  std::size_t distinct_colours = 0;  // counted up to 10,000
  std::string error;
};
png_info decode_png(const std::string& bytes);

bool looks_like_svg(const std::string& bytes);

// <dir of the test binary>/../gallery, created when missing.
std::string gallery_dir();

}  // namespace aw::render::test
