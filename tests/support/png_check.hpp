// Decodes a PNG with libpng and reports what a test needs to know.
#pragma once

#include <string>

namespace aw::test {

struct png_info {
  bool ok = false;
  std::string error;
  int width = 0;
  int height = 0;
  std::size_t distinct_colours = 0;  // counted up to 10,000
};

png_info decode_png(const std::string& bytes);

}  // namespace aw::test
