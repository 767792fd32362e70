#include "support/png_check.hpp"

#include <png.h>

#include <cstring>
#include <unordered_set>
#include <vector>

namespace aw::test {

png_info decode_png(const std::string& bytes) {
  png_info info;
  png_image image;
  std::memset(&image, 0, sizeof image);
  image.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_memory(&image, bytes.data(), bytes.size())) {
    info.error = image.message;
    return info;
  }
  image.format = PNG_FORMAT_RGBA;
  std::vector<unsigned char> pixels(PNG_IMAGE_SIZE(image));
  if (!png_image_finish_read(&image, nullptr, pixels.data(), 0, nullptr)) {
    info.error = image.message;
    png_image_free(&image);
    return info;
  }
  info.ok = true;
  info.width = static_cast<int>(image.width);
  info.height = static_cast<int>(image.height);
  std::unordered_set<std::uint32_t> colours;
  for (std::size_t i = 0; i + 3 < pixels.size() && colours.size() < 10000; i += 4) {
    std::uint32_t c;
    std::memcpy(&c, &pixels[i], 4);
    colours.insert(c);
  }
  info.distinct_colours = colours.size();
  return info;
}

png_pixels decode_png_rgb(const std::string& bytes) {
  png_pixels out;
  png_image image;
  std::memset(&image, 0, sizeof image);
  image.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_memory(&image, bytes.data(), bytes.size())) {
    out.error = image.message;
    return out;
  }
  image.format = PNG_FORMAT_RGB;
  out.rgb.resize(PNG_IMAGE_SIZE(image));
  if (!png_image_finish_read(&image, nullptr, out.rgb.data(), 0, nullptr)) {
    out.error = image.message;
    png_image_free(&image);
    out.rgb.clear();
    return out;
  }
  out.ok = true;
  out.width = static_cast<int>(image.width);
  out.height = static_cast<int>(image.height);
  return out;
}

}  // namespace aw::test
