// PNG encoding of a cairo image surface's pixels with libdeflate: the same
// decoded pixels as cairo_surface_write_to_png (RGB24 as 8-bit RGB; ARGB32
// un-premultiplied with cairo's own rounding, as 8-bit RGBA, or as RGB when
// every pixel is opaque), much faster: every row is `up`-filtered (chart rows
// mostly repeat the row above, so they become zeros) and deflated in one
// pass made for such data (fast_png.cpp) with the fixed Huffman codes;
// libdeflate gives the CRC-32 and Adler-32 checksums.
//
// Used by the preloaded PNG writer inside gnuplot (gnuplot_png_preload.cpp)
// and by the svg_raster path (chart_renderer). Not thread-safe per encoder; one per thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace aw::render {

enum class cairo_pixels {
  rgb24,   // 0x00RRGGBB native-endian words
  argb32,  // premultiplied 0xAARRGGBB native-endian words
};

class fast_png_encoder {
 public:
  fast_png_encoder() = default;
  ~fast_png_encoder();
  fast_png_encoder(const fast_png_encoder&) = delete;
  fast_png_encoder& operator=(const fast_png_encoder&) = delete;

  // `pixels` holds `height` rows of `stride` bytes. False (and *error) for a
  // bad size or when memory runs out; `out` is replaced by the PNG otherwise.
  bool encode(const unsigned char* pixels, int stride, int width, int height, cairo_pixels format,
              std::string& out, std::string* error = nullptr);

  // Drops buffers kept between calls when they grew past `keep_bytes`.
  void trim(std::size_t keep_bytes);

 private:
  std::vector<unsigned char> filtered_;  // filter byte + pixels, row after row
  std::vector<unsigned char> rows_;      // this row and the one above, unfiltered
  std::vector<std::uint32_t> seen_;      // the deflater's hash table
};

}  // namespace aw::render
