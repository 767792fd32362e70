// PNG_PATH=pngcairo-fast: gnuplot's pngcairo terminal with our PNG writer
// preloaded in place of cairo's. The pixels must be pngcairo's exactly (the
// writer only encodes what cairo drew), for every chart type in two themes;
// the encoder itself is checked on images charts do not make (transparency,
// noise, odd sizes) against libpng's decoder.
#include <doctest/doctest.h>
#include <png.h>

#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "render/fast_png.hpp"
#include "render/gnuplot_png_library.hpp"
#include "render/palette.hpp"
#include "render/renderer.hpp"
#include "render_test_support.hpp"

using namespace aw::render;

namespace {

// RGBA pixels as libpng decodes them (no colour conversion for 8-bit input).
std::vector<unsigned char> decode_rgba(const std::string& bytes, int& width, int& height) {
  png_image image;
  std::memset(&image, 0, sizeof image);
  image.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_memory(&image, bytes.data(), bytes.size())) return {};
  image.format = PNG_FORMAT_RGBA;
  std::vector<unsigned char> pixels(PNG_IMAGE_SIZE(image));
  if (!png_image_finish_read(&image, nullptr, pixels.data(), 0, nullptr)) {
    png_image_free(&image);
    return {};
  }
  width = static_cast<int>(image.width);
  height = static_cast<int>(image.height);
  return pixels;
}

// The IDAT's zlib stream starts 78 01 with a fixed-Huffman first block: our
// writer's mark (cairo's, through libpng at zlib's default level, does not).
bool written_by_fast_png(const std::string& png) {
  auto at = png.find("IDAT");
  if (at == std::string::npos || at + 7 > png.size()) return false;
  auto b = [&](std::size_t i) { return static_cast<unsigned char>(png[at + 4 + i]); };
  return b(0) == 0x78 && b(1) == 0x01 && ((b(2) >> 1) & 3) == 1;
}

// A cairo image as words; `argb` premultiplied.
struct words {
  int width, height, stride;
  std::vector<unsigned char> bytes;
  void set(int x, int y, std::uint32_t v) {
    std::memcpy(&bytes[static_cast<std::size_t>(y) * stride + x * 4], &v, 4);
  }
};

words make_words(int width, int height) {
  int stride = width * 4 + 16;  // cairo's strides can be wider than the row
  return {width, height, stride, std::vector<unsigned char>(std::size_t(stride) * height, 0xAB)};
}

}  // namespace

TEST_CASE("pngcairo-fast gives pngcairo's pixels exactly, smaller work: every type, two themes") {
  REQUIRE_MESSAGE(!gnuplot_png_library().empty(), "libaw_gnuplot_png.so was not built");
  renderer_options cairo_options;
  cairo_options.png = png_path::pngcairo;
  renderer_options fast_options;
  fast_options.png = png_path::pngcairo_fast;
  chart_renderer cairo(cairo_options);
  chart_renderer fast(fast_options);
  std::size_t cairo_bytes = 0, fast_bytes = 0;
  for (const char* theme : {"modern", "dark"}) {
    for (chart_kind type : all_chart_kinds()) {
      chart_spec spec = test::sample_spec(type);
      spec.colours = theme_palette(theme);
      CAPTURE(theme);
      CAPTURE(std::string(name_of(type)));
      auto a = cairo.render(spec);
      auto b = fast.render(spec);
      REQUIRE_MESSAGE(a.ok, a.error);
      REQUIRE_MESSAGE(b.ok, b.error);
      CHECK_FALSE(written_by_fast_png(a.bytes));
      CHECK(written_by_fast_png(b.bytes));
      auto pa = aw::test::decode_png_rgb(a.bytes);
      auto pb = aw::test::decode_png_rgb(b.bytes);
      REQUIRE_MESSAGE(pa.ok, pa.error);
      REQUIRE_MESSAGE(pb.ok, pb.error);
      CHECK(pa.width == pb.width);
      CHECK(pa.height == pb.height);
      CHECK(pa.rgb == pb.rgb);
      cairo_bytes += a.bytes.size();
      fast_bytes += b.bytes.size();
    }
  }
  MESSAGE("PNG bytes over the gallery: pngcairo ", cairo_bytes, ", pngcairo-fast ", fast_bytes);
  CHECK(fast_bytes < cairo_bytes * 2);  // larger (no Huffman tables of its own), not runaway
}

TEST_CASE("without the preloaded writer, pngcairo-fast still renders with cairo's") {
  renderer_options options;
  options.png = png_path::pngcairo_fast;
  options.png_library = "/nonexistent/libaw_gnuplot_png.so";  // the loader ignores it
  chart_renderer renderer(options);
  auto out = renderer.render(test::sample_spec(chart_kind::bar_chart_vertical));
  REQUIRE_MESSAGE(out.ok, out.error);
  CHECK_FALSE(written_by_fast_png(out.bytes));
  CHECK(aw::test::decode_png_rgb(out.bytes).ok);
}

TEST_CASE("fast_png_encoder: opaque and transparent ARGB32, RGB24 noise, odd sizes") {
  fast_png_encoder encoder;
  std::mt19937 random(21);
  for (auto [w, h] : {std::pair{1, 1}, {3, 2}, {17, 9}, {300, 200}}) {
    CAPTURE(w);
    CAPTURE(h);
    // RGB24: noise on the left half (no runs to find), runs on the right.
    words rgb = make_words(w, h);
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x)
        rgb.set(x, y, 0xFF000000u ^ (x < w / 2 ? random() & 0xFFFFFFu : (y % 7) * 0x102030u));
    std::string png;
    REQUIRE(encoder.encode(rgb.bytes.data(), rgb.stride, w, h, cairo_pixels::rgb24, png));
    int dw = 0, dh = 0;
    auto decoded = decode_rgba(png, dw, dh);
    REQUIRE(dw == w);
    REQUIRE(dh == h);
    bool same = true;
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x) {
        std::uint32_t p;
        std::memcpy(&p, &rgb.bytes[std::size_t(y) * rgb.stride + x * 4], 4);
        const unsigned char* d = &decoded[(std::size_t(y) * w + x) * 4];
        same = same && d[0] == ((p >> 16) & 0xFF) && d[1] == ((p >> 8) & 0xFF) &&
               d[2] == (p & 0xFF) && d[3] == 0xFF;
      }
    CHECK(same);

    // ARGB32 with transparency: un-premultiplied as cairo does.
    words argb = make_words(w, h);
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x) {
        std::uint32_t a = (x * 37 + y * 11) % 256, r = random() % (a + 1), g = a / 2, b = 0;
        argb.set(x, y, a << 24 | r << 16 | g << 8 | b);
      }
    REQUIRE(encoder.encode(argb.bytes.data(), argb.stride, w, h, cairo_pixels::argb32, png));
    decoded = decode_rgba(png, dw, dh);
    REQUIRE(dw == w);
    same = true;
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x) {
        std::uint32_t p;
        std::memcpy(&p, &argb.bytes[std::size_t(y) * argb.stride + x * 4], 4);
        std::uint32_t a = p >> 24;
        auto un = [&](std::uint32_t c) { return a == 0 ? 0u : (c * 255 + a / 2) / a; };
        const unsigned char* d = &decoded[(std::size_t(y) * w + x) * 4];
        same = same && d[0] == un((p >> 16) & 0xFF) && d[1] == un((p >> 8) & 0xFF) &&
               d[2] == un(p & 0xFF) && d[3] == a;
      }
    CHECK(same);
  }
  std::string png;
  CHECK_FALSE(encoder.encode(nullptr, 4, 1, 1, cairo_pixels::rgb24, png));
  unsigned char one[4] = {};
  CHECK_FALSE(encoder.encode(one, 2, 1, 1, cairo_pixels::rgb24, png));  // stride < width * 4
  CHECK_FALSE(encoder.encode(one, 4, 0, 1, cairo_pixels::rgb24, png));
  CHECK_FALSE(encoder.encode(one, 4, 1 << 30, 1, cairo_pixels::rgb24, png));  // too many pixels
}
