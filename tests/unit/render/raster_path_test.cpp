// The pieces of the svg_raster PNG path on their own: the baseline shift, the
// scripts per target and the PNG_PATH names (the PNG encoder: fast_png_test).
#include <doctest/doctest.h>

#include <cstdint>
#include <cstring>
#include <thread>
#include <vector>

#include "render/renderer.hpp"
#include "render/svg_rasteriser.hpp"
#include "render_test_support.hpp"

using namespace aw::render;

TEST_CASE("shift_text_baselines moves <text> tags only, never label text") {
  std::string svg = "<g><text>a &lt;text> b</text><text xml:space=\"x\">c</text><text>d</text></g>";
  std::string out = shift_text_baselines(svg);
  CHECK(out ==
        "<g><text y=\"0.1em\">a &lt;text> b</text><text xml:space=\"x\">c</text>"
        "<text y=\"0.1em\">d</text></g>");
}

TEST_CASE("scripts per target: pngcairo and svg as before, svg_for_raster sized for librsvg") {
  chart_spec spec = test::sample_spec(aw::render::chart_kind::pie_chart);
  std::string cairo = build_script(spec, "/tmp/x.png");
  CHECK(cairo == build_script(spec, "/tmp/x.png", script_target::pngcairo));
  CHECK(cairo.find("set terminal pngcairo") != std::string::npos);
  CHECK(cairo.find("DejaVu Sans:Bold") != std::string::npos);

  std::string raster = build_script(spec, "/tmp/x.svg", script_target::svg_for_raster);
  CHECK(raster.find("set terminal svg") != std::string::npos);
  CHECK(raster.find(" fontscale ") != std::string::npos);
  CHECK(raster.find("DejaVu Sans:Bold") == std::string::npos);
  CHECK(raster.find("font 'DejaVu Sans Bold,") != std::string::npos);  // font-weight="bold"

  spec.format = aw::render::image_format::svg;
  std::string svg = build_script(spec, "/tmp/x.svg");
  CHECK(svg == build_script(spec, "/tmp/x.svg", script_target::svg));
  CHECK(svg.find(" fontscale 1 ") != std::string::npos);
}

TEST_CASE("SVG output does not depend on the PNGs the same gnuplot drew before") {
  // One gnuplot per render worker serves both formats: a terminal option of
  // an svg_for_raster script (fontscale) must not carry over to SVG output.
  chart_spec spec = test::sample_spec(aw::render::chart_kind::bar_chart_vertical);
  spec.format = aw::render::image_format::svg;
  chart_renderer fresh;
  auto expected = fresh.render(spec);
  REQUIRE_MESSAGE(expected.ok, expected.error);

  chart_renderer used;  // svg_raster by default
  chart_spec png = spec;
  png.format = aw::render::image_format::png;
  auto first = used.render(png);
  REQUIRE_MESSAGE(first.ok, first.error);
  auto svg = used.render(spec);
  REQUIRE_MESSAGE(svg.ok, svg.error);
  CHECK(svg.bytes == expected.bytes);
  CHECK(svg.bytes.find("font-size=\"11.00\"") != std::string::npos);
}

TEST_CASE("PNG_PATH names") {
  png_path p = png_path::pngcairo;
  CHECK(parse_png_path("svg", p));
  CHECK(p == png_path::svg_raster);
  CHECK(parse_png_path("pngcairo", p));
  CHECK(p == png_path::pngcairo);
  CHECK(parse_png_path("pngcairo-fast", p));
  CHECK(p == png_path::pngcairo_fast);
  CHECK_FALSE(parse_png_path("png", p));
  CHECK(std::string(to_string(png_path::svg_raster)) == "svg");
  CHECK(std::string(to_string(png_path::pngcairo)) == "pngcairo");
  CHECK(std::string(to_string(png_path::pngcairo_fast)) == "pngcairo-fast");
}

TEST_CASE("svg_raster renderers on several threads at once draw what one thread draws") {
  // The render pool has one renderer per worker thread; librsvg, cairo,
  // pango and fontconfig then run on all of them at the same time.
  const std::vector<aw::render::chart_kind> types = {
      aw::render::chart_kind::bar_chart_vertical, aw::render::chart_kind::pie_chart,
      aw::render::chart_kind::line_chart_multi, aw::render::chart_kind::heatmap};
  std::vector<std::string> expected;
  {
    chart_renderer one;
    for (auto type : types) {
      auto out = one.render(test::sample_spec(type));
      REQUIRE_MESSAGE(out.ok, out.error);
      expected.push_back(out.bytes);
    }
  }
  constexpr int kThreads = 3;
  constexpr int kRounds = 3;
  std::vector<std::vector<std::string>> got(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      chart_renderer mine;
      for (int r = 0; r < kRounds; ++r)
        for (std::size_t i = 0; i < types.size(); ++i) {
          // Each thread starts at another type, so different charts overlap.
          auto type = types[(i + static_cast<std::size_t>(t)) % types.size()];
          auto out = mine.render(test::sample_spec(type));
          got[t].push_back(out.ok ? out.bytes : "error: " + out.error);
        }
    });
  }
  for (auto& th : threads) th.join();
  for (int t = 0; t < kThreads; ++t) {
    REQUIRE(got[t].size() == kRounds * types.size());
    for (std::size_t k = 0; k < got[t].size(); ++k) {
      std::size_t i = (k % types.size() + static_cast<std::size_t>(t)) % types.size();
      CAPTURE(t);
      CAPTURE(k);
      CHECK(got[t][k] == expected[i]);
    }
  }
}
