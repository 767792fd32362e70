#include <doctest/doctest.h>

#include <set>
#include <string>

#include "actors/chart_spec_for.hpp"

using namespace aw;

TEST_CASE("chart_spec_for: every protocol chart type maps to the render kind of the same name") {
  std::set<int> kinds;
  for (auto type : protocol::all_chart_types()) {
    auto kind = actors::chart_kind_for(type);
    CHECK(render::name_of(kind) == protocol::to_string(type));
    kinds.insert(static_cast<int>(kind));
  }
  CHECK(kinds.size() == static_cast<std::size_t>(render::chart_kind_count));
}

TEST_CASE("chart_spec_for: data, texts, colours, format and size reach the render spec") {
  analytics::generation gen;
  gen.title = "Revenue";
  gen.x_label = "Month";
  gen.y_label = "k$";
  gen.data.labels = {"Jan", "Feb"};
  gen.data.series = {{"2023", {1, 2}}, {"2024", {3, 4}}};
  gen.data.points = {{1.5, 2.5, 7.0}};
  gen.data.candles = {{"D1", 1, 4, 0.5, 3}};
  gen.data.matrix = {{1, 2}, {3, 4}};
  gen.data.row_labels = {"r1", "r2"};
  gen.data.column_labels = {"c1", "c2"};
  gen.data.groups = {{"g", {9, 8, 7}}};
  protocol::analytics_payload payload;
  payload.theme.name = "custom";
  payload.theme.primary = "#112233";
  payload.theme.secondary = "#445566";
  payload.format = protocol::image_format::svg;
  payload.width = 1024;
  payload.height = 640;

  auto spec = actors::chart_spec_for(gen, protocol::chart_type::combo_bar_line, payload);
  CHECK(spec.kind == render::chart_kind::combo_bar_line);
  CHECK(spec.title == "Revenue");
  CHECK(spec.x_label == "Month");
  CHECK(spec.y_label == "k$");
  CHECK(spec.data.labels == gen.data.labels);
  REQUIRE(spec.data.series.size() == 2);
  CHECK(spec.data.series[1].name == "2024");
  CHECK(spec.data.series[1].values == std::vector<double>{3, 4});
  REQUIRE(spec.data.points.size() == 1);
  CHECK(spec.data.points[0].y == 2.5);
  CHECK(spec.data.points[0].size == 7.0);
  REQUIRE(spec.data.candles.size() == 1);
  CHECK(spec.data.candles[0].high == 4);
  CHECK(spec.data.matrix == gen.data.matrix);
  CHECK(spec.data.column_labels == gen.data.column_labels);
  REQUIRE(spec.data.groups.size() == 1);
  CHECK(spec.data.groups[0].values.size() == 3);
  CHECK(spec.colours.series[0] == "#112233");
  CHECK(spec.colours.series[1] == "#445566");
  CHECK(spec.format == render::image_format::svg);
  CHECK(spec.width == 1024);
  CHECK(spec.height == 640);

  payload.theme.name = "dark";
  CHECK(actors::chart_spec_for(gen, protocol::chart_type::pie_chart, payload).colours.dark);
}
