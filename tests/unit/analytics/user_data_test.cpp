#include <doctest/doctest.h>

#include <cmath>

#include "analytics/builtin_llm.hpp"

using namespace aw;
using aw::analytics::builtin_generate;
using aw::analytics::check_data_fits;
using protocol::chart_type;

namespace {

protocol::chart_data quarterly() {
  protocol::chart_data d;
  d.labels = {"Q1", "Q2", "Q3", "Q4"};
  d.values = {45000, 52000.5, 48000, 61000.25};
  return d;
}

protocol::chart_data two_series() {
  protocol::chart_data d;
  d.labels = {"Q1", "Q2", "Q3"};
  d.series = {{"2023", {1, 2, 2.5}}, {"2024", {3, 4.5, 1}}};
  return d;
}

protocol::analytics_payload with_data(protocol::chart_data d,
                                      std::string content = "Chart our quarterly revenue") {
  protocol::analytics_payload p;
  p.content = std::move(content);
  p.data = std::move(d);
  p.use_synthetic_data = false;
  return p;
}

std::optional<std::string> field_of(chart_type t, const protocol::chart_data& d) {
  auto misfit = check_data_fits(t, d);
  if (misfit.ok()) return std::nullopt;
  CHECK(misfit.code() == protocol::error_code::validation_failed);
  auto colon = misfit.message().find(": ");  // the message names the field first
  REQUIRE(colon != std::string::npos);
  return misfit.message().substr(0, colon);
}

}  // namespace

TEST_CASE("user data is echoed exactly for every type it fits") {
  for (chart_type type : protocol::all_chart_types()) {
    CAPTURE(protocol::to_string(type));
    for (const auto& d : {quarterly(), two_series()}) {
      if (!check_data_fits(type, d).ok()) continue;
      auto g = builtin_generate(with_data(d), type);
      CHECK_FALSE(g.synthetic);
      CHECK(g.data.labels == d.labels);
      CHECK(g.data.values == d.values);
      REQUIRE(g.data.series.size() == d.series.size());
      for (std::size_t i = 0; i < d.series.size(); ++i) {
        CHECK(g.data.series[i].name == d.series[i].name);
        CHECK(g.data.series[i].values == d.series[i].values);
      }
      CHECK(g.insights.size() >= 3);
    }
  }
}

TEST_CASE("tiny user data works for every type it fits") {
  protocol::chart_data one;
  one.labels = {"only"};
  one.values = {5};
  protocol::chart_data zero;
  zero.labels = {"a", "b", "c"};
  zero.values = {0, 0, 0};
  for (chart_type type : protocol::all_chart_types()) {
    CAPTURE(protocol::to_string(type));
    for (const auto& d : {one, zero}) {
      if (!check_data_fits(type, d).ok()) continue;
      auto g = builtin_generate(with_data(d), type);
      CHECK(g.data.values == d.values);
      CHECK(std::isfinite(g.stats.std_dev));
      CHECK(g.insights.size() >= 1);
      for (const auto& s : g.insights) CHECK(s.find("nan") == std::string::npos);
    }
  }
}

TEST_CASE("shapes derived from user data") {
  SUBCASE("values into bubble points") {
    auto g = builtin_generate(with_data(quarterly()), chart_type::bubble_chart);
    REQUIRE(g.data.points.size() == 4);
    CHECK(g.data.points[1].x == 2);
    CHECK(g.data.points[1].y == 52000.5);
    CHECK(*g.data.points[1].size == 52000.5);
  }
  SUBCASE("two series into scatter points") {
    auto g = builtin_generate(with_data(two_series()), chart_type::scatter_plot);
    REQUIRE(g.data.points.size() == 3);
    CHECK(g.data.points[2].x == 2.5);
    CHECK(g.data.points[2].y == 1);
    CHECK_FALSE(g.data.points[2].size);
  }
  SUBCASE("values into one group of samples") {
    auto g = builtin_generate(with_data(quarterly()), chart_type::histogram);
    REQUIRE(g.data.groups.size() == 1);
    CHECK(g.data.groups[0].values == quarterly().values);
    CHECK(g.data.groups[0].name == "Revenue");
  }
  SUBCASE("series into groups") {
    auto g = builtin_generate(with_data(two_series()), chart_type::violin_plot);
    REQUIRE(g.data.groups.size() == 2);
    CHECK(g.data.groups[1].name == "2024");
  }
  SUBCASE("series into a matrix") {
    auto g = builtin_generate(with_data(two_series()), chart_type::heatmap);
    CHECK(g.data.row_labels == std::vector<std::string>{"2023", "2024"});
    CHECK(g.data.column_labels == two_series().labels);
    CHECK(g.data.matrix[1] == std::vector<double>{3, 4.5, 1});
  }
  SUBCASE("extra shapes alone get a summary view") {
    protocol::chart_data d;
    d.candles = {{"d1", 10, 12, 9, 11}, {"d2", 11, 13, 10.5, 12.5}};
    auto g = builtin_generate(with_data(d, "Stock"), chart_type::candlestick_chart);
    CHECK(g.data.labels == std::vector<std::string>{"d1", "d2"});
    CHECK(g.data.values == std::vector<double>{11, 12.5});
    CHECK(g.stats.count == 2);

    protocol::chart_data m;
    m.matrix = {{1, 2}, {3, 4}};
    auto h = builtin_generate(with_data(m, "Grid"), chart_type::heatmap);
    CHECK(h.data.labels == std::vector<std::string>{"C1", "C2"});
    REQUIRE(h.data.series.size() == 2);
    CHECK(h.stats.sum == 10);

    protocol::chart_data s;
    s.groups = {{"samples", {1, 2, 2, 3, 3, 3, 4}}};
    auto hist = builtin_generate(with_data(s, "Distribution"), chart_type::histogram);
    double total = 0;
    for (double c : hist.data.values) total += c;
    CHECK(total == 7);
    CHECK(hist.data.labels.size() == hist.data.values.size());
  }
}

TEST_CASE("check_data_fits names the field") {
  CHECK_FALSE(field_of(chart_type::bar_chart_vertical, quarterly()));
  CHECK_FALSE(field_of(chart_type::bar_chart_grouped, two_series()));
  CHECK_FALSE(field_of(chart_type::bar_chart_grouped, quarterly()));  // one series
  CHECK_FALSE(field_of(chart_type::heatmap, two_series()));
  CHECK_FALSE(field_of(chart_type::box_plot, quarterly()));
  CHECK_FALSE(field_of(chart_type::scatter_plot, quarterly()));
  CHECK_FALSE(field_of(chart_type::radar_chart, quarterly()));
  CHECK_FALSE(field_of(chart_type::combo_bar_line, two_series()));

  CHECK(field_of(chart_type::candlestick_chart, quarterly()) == "payload.data.ohlc");
  CHECK(field_of(chart_type::combo_bar_line, quarterly()) == "payload.data.series");
  CHECK(field_of(chart_type::pie_chart, two_series()) == "payload.data.values");
  CHECK(field_of(chart_type::line_chart, two_series()) == "payload.data.values");

  auto negative = quarterly();
  negative.values[1] = -1;
  CHECK(field_of(chart_type::pie_chart, negative) == "payload.data.values");
  CHECK(field_of(chart_type::donut_chart, negative) == "payload.data.values");
  CHECK(field_of(chart_type::funnel_chart, negative) == "payload.data.values");
  CHECK_FALSE(field_of(chart_type::bar_chart_vertical, negative));

  auto zeros = quarterly();
  zeros.values = {0, 0, 0, 0};
  CHECK(field_of(chart_type::pie_chart, zeros) == "payload.data.values");

  auto two_labels = quarterly();
  two_labels.labels.resize(2);
  two_labels.values.resize(2);
  CHECK(field_of(chart_type::radar_chart, two_labels) == "payload.data.labels");

  auto mismatch = quarterly();
  mismatch.values.pop_back();
  CHECK(field_of(chart_type::bar_chart_vertical, mismatch) == "payload.data.values");

  auto ragged = two_series();
  ragged.series[1].values.pop_back();
  CHECK(field_of(chart_type::bar_chart_grouped, ragged) == "payload.data.series[1].values");

  auto nan = quarterly();
  nan.values[0] = std::nan("");
  CHECK(field_of(chart_type::bar_chart_vertical, nan) == "payload.data.values");

  protocol::chart_data bad_candle;
  bad_candle.candles = {{"d1", 10, 9, 8, 11}};  // high below close
  CHECK(field_of(chart_type::candlestick_chart, bad_candle) == "payload.data.ohlc[0]");

  protocol::chart_data sizeless;
  sizeless.points = {{1, 2, std::nullopt}};
  CHECK_FALSE(field_of(chart_type::scatter_plot, sizeless));
  CHECK(field_of(chart_type::bubble_chart, sizeless) == "payload.data.points[0].size");

  CHECK(field_of(chart_type::bar_chart_vertical, protocol::chart_data{}) == "payload.data");

  auto both = quarterly();
  both.series = {{"x", {1, 2, 3, 4}}};
  CHECK(field_of(chart_type::bar_chart_vertical, both) == "payload.data");
}
