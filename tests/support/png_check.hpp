// Decodes a PNG with libpng and reports what a test needs to know.
#pragma once

#include <string>
#include <vector>

namespace aw::test {

struct png_info {
  bool ok = false;
  std::string error;
  int width = 0;
  int height = 0;
  std::size_t distinct_colours = 0;  // counted up to 10,000
};

png_info decode_png(const std::string& bytes);

// The decoded pixels, 8-bit RGB, row after row (for comparing two images).
struct png_pixels {
  bool ok = false;
  std::string error;
  int width = 0;
  int height = 0;
  std::vector<unsigned char> rgb;  // width * height * 3 bytes
};

png_pixels decode_png_rgb(const std::string& bytes);

}  // namespace aw::test
