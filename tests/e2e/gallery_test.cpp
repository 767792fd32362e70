// `agentwire render --all --out DIR` renders every chart type in PNG and SVG.
#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

#include "protocol/chart_types.hpp"
#include "support/png_check.hpp"
#include "support/server_process.hpp"
#include "support/svg_check.hpp"

using namespace aw::test;

TEST_CASE("the gallery command renders all 23 types as readable PNG and well-formed SVG") {
  auto dir = std::filesystem::temp_directory_path() / ("aw-gallery-" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  std::string cmd = agentwire_binary() + " render --all --width 640 --height 400 --out " +
                    dir.string() + " > /dev/null 2>&1";
  REQUIRE(std::system(cmd.c_str()) == 0);
  auto read = [](const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  };
  for (auto type : aw::protocol::all_chart_types()) {
    std::string name(aw::protocol::to_string(type));
    auto png = decode_png(read(dir / (name + ".png")));
    CHECK_MESSAGE(png.ok, name << ": " << png.error);
    CHECK_MESSAGE(png.width == 640, name);
    CHECK_MESSAGE(png.height == 400, name);
    CHECK_MESSAGE(png.distinct_colours > 8, name);
    CHECK_MESSAGE(check_svg(read(dir / (name + ".svg"))) == "", name);
  }
  std::filesystem::remove_all(dir);
}
