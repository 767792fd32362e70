// Draws an SVG document onto an RGB image in this process, with librsvg 2.54
// and cairo. Blocking and not thread-safe: one owner thread per instance
// (librsvg handles and cairo surfaces are not shared between threads). The
// image is kept between calls, so that a render does not allocate (and page
// in) a fresh one each time.
//
// Meant for SVG written by our own gnuplot; the caller caps its size.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

struct _cairo_surface;  // cairo_surface_t, kept out of this header

namespace aw::render {

class svg_rasteriser {
 public:
  svg_rasteriser() = default;
  ~svg_rasteriser();
  svg_rasteriser(const svg_rasteriser&) = delete;
  svg_rasteriser& operator=(const svg_rasteriser&) = delete;

  // Fills a width x height image with `background` (0xRRGGBB), then draws
  // `svg` over it, its viewport scaled to the image. False (and *error) when
  // librsvg cannot parse or draw it; the image content is then unspecified.
  bool draw(std::string_view svg, int width, int height, std::uint32_t background,
            std::string* error);

  // The last image: cairo RGB24, one native-endian 0x00RRGGBB word a pixel,
  // stride() bytes a row. Valid until the next draw().
  const unsigned char* pixels() const;
  int stride() const;
  int width() const { return width_; }
  int height() const { return height_; }

 private:
  bool ensure_surface(int width, int height, std::string* error);

  _cairo_surface* surface_ = nullptr;
  int width_ = 0;
  int height_ = 0;
};

// gnuplot's svg terminal puts the baseline of a label lower in pngcairo than
// the svg terminal guesses; every `<text>` element is moved down by this share
// of its font size (only `<text>` tags: gnuplot escapes '<' in label text).
constexpr double kRasterBaselineShiftEm = 0.1;
std::string shift_text_baselines(std::string_view svg);

}  // namespace aw::render
