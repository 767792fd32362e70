// Every chart type, as PNG and SVG, through one persistent renderer. The PNGs
// are written to <build>/gallery for a person to look at.
#include <doctest/doctest.h>

#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "render/gnuplot_process.hpp"
#include "render/renderer.hpp"
#include "render_test_support.hpp"

using namespace aw::render;
using aw::render::chart_kind;

namespace {

void save(const std::string& name, const std::string& bytes) {
  std::ofstream(test::gallery_dir() + "/" + name, std::ios::binary) << bytes;
}

void check_png(const render_output& out, int width, int height) {
  REQUIRE_MESSAGE(out.ok, out.error);
  auto png = test::decode_png(out.bytes);
  REQUIRE_MESSAGE(png.ok, png.error);
  CHECK(out.bytes.compare(0, 8, "\x89PNG\r\n\x1a\n") == 0);
  CHECK(png.width == width);
  CHECK(png.height == height);
  CHECK(png.distinct_colours > 8);
}

}  // namespace

TEST_CASE("every chart type renders as PNG and SVG") {
  chart_renderer renderer;
  std::string error;
  REQUIRE_MESSAGE(renderer.start(&error), error);
  for (chart_kind type : aw::render::all_chart_kinds()) {
    std::string name(aw::render::name_of(type));
    CAPTURE(name);
    chart_spec spec = test::sample_spec(type);
    auto png = renderer.render(spec);
    check_png(png, 800, 500);
    save(name + ".png", png.bytes);

    spec.format = aw::render::image_format::svg;
    auto svg = renderer.render(spec);
    REQUIRE_MESSAGE(svg.ok, svg.error);
    CHECK(test::looks_like_svg(svg.bytes));
    save(name + ".svg", svg.bytes);
  }
}

TEST_CASE("no chart script makes gnuplot complain, not even a warning") {
  gnuplot_process process;
  std::string path = "/tmp/aw-render-quiet-" + std::to_string(getpid());
  for (const char* theme : {"modern", "dark"}) {
    for (chart_kind type : aw::render::all_chart_kinds()) {
      for (auto format : {aw::render::image_format::png, aw::render::image_format::svg}) {
        chart_spec spec = test::sample_spec(type);
        spec.colours = aw::render::theme_palette(theme);
        spec.format = format;
        auto run = process.run(build_script(spec, path), std::chrono::seconds(20));
        CAPTURE(aw::render::name_of(type));
        CAPTURE(theme);
        REQUIRE(run.ok);
        std::string all;
        for (const auto& m : run.messages) all += m + "\n";
        CHECK_MESSAGE(run.messages.empty(), all);
      }
    }
  }
  std::remove(path.c_str());
}

TEST_CASE("themes: dark, corporate, minimal, vibrant and custom colours") {
  chart_renderer renderer;
  struct variant {
    const char* theme;
    chart_kind type;
  };
  for (variant v :
       {variant{"dark", chart_kind::bar_chart_grouped}, variant{"dark", chart_kind::pie_chart},
        variant{"dark", chart_kind::heatmap}, variant{"dark", chart_kind::line_chart_multi},
        variant{"corporate", chart_kind::bar_chart_stacked},
        variant{"minimal", chart_kind::line_chart}, variant{"vibrant", chart_kind::donut_chart},
        variant{"custom", chart_kind::bar_chart_grouped}}) {
    chart_spec spec = test::sample_spec(v.type);
    spec.colours = aw::render::theme_palette(v.theme, {"#7C3AED", "#DB2777", "#0891B2"});
    std::string name = std::string(v.theme) + "-" + std::string(aw::render::name_of(v.type));
    CAPTURE(name);
    auto out = renderer.render(spec);
    check_png(out, 800, 500);
    save(name + ".png", out.bytes);
  }
}

TEST_CASE("extreme sizes: 200x200 and 4000x300") {
  chart_renderer renderer;
  for (auto size : {std::pair{200, 200}, std::pair{4000, 300}}) {
    for (chart_kind type : {chart_kind::bar_chart_vertical, chart_kind::pie_chart,
                            chart_kind::heatmap, chart_kind::line_chart_multi}) {
      chart_spec spec = test::sample_spec(type);
      spec.width = size.first;
      spec.height = size.second;
      std::string name = std::to_string(size.first) + "x" + std::to_string(size.second) + "-" +
                         std::string(aw::render::name_of(type));
      CAPTURE(name);
      auto out = renderer.render(spec);
      check_png(out, size.first, size.second);
      save(name + ".png", out.bytes);
    }
  }
}

TEST_CASE("many categories and long labels stay readable") {
  chart_renderer renderer;
  chart_spec spec = test::sample_spec(chart_kind::bar_chart_vertical);
  spec.data.labels.clear();
  spec.data.values.clear();
  for (int i = 0; i < 60; ++i) {
    spec.data.labels.push_back("Category with a long name " + std::to_string(i));
    spec.data.values.push_back(1000 + 37 * ((i * 7) % 23) * 1000.0);
  }
  auto out = renderer.render(spec);
  check_png(out, 800, 500);
  save("many-bar_chart_vertical.png", out.bytes);

  spec.kind = chart_kind::line_chart;
  out = renderer.render(spec);
  check_png(out, 800, 500);
  save("many-line_chart.png", out.bytes);

  spec.kind = chart_kind::pie_chart;
  out = renderer.render(spec);
  check_png(out, 800, 500);
  save("many-pie_chart.png", out.bytes);
}
