#include <doctest/doctest.h>

#include <cmath>

#include "analytics/builtin_llm.hpp"
#include "analytics/chart_shapes.hpp"
#include "analytics/statistics.hpp"

using namespace aw;
using aw::analytics::builtin_generate;
using aw::analytics::data_shape;
using protocol::chart_type;

namespace {

protocol::analytics_payload ask(std::string content) {
  protocol::analytics_payload p;
  p.content = std::move(content);
  return p;
}

bool finite(const std::vector<double>& v) {
  for (double x : v)
    if (!std::isfinite(x)) return false;
  return true;
}

bool all_finite(const protocol::chart_data& d) {
  bool ok = finite(d.values);
  for (const auto& s : d.series) ok = ok && finite(s.values);
  for (const auto& g : d.groups) ok = ok && finite(g.values);
  for (const auto& r : d.matrix) ok = ok && finite(r);
  for (const auto& p : d.points)
    ok = ok && std::isfinite(p.x) && std::isfinite(p.y) && (!p.size || std::isfinite(*p.size));
  for (const auto& c : d.candles)
    ok = ok && std::isfinite(c.open) && std::isfinite(c.high) && std::isfinite(c.low) &&
         std::isfinite(c.close);
  return ok;
}

bool stats_finite(const protocol::statistics& s) {
  return std::isfinite(s.sum) && std::isfinite(s.mean) && std::isfinite(s.median) &&
         std::isfinite(s.min) && std::isfinite(s.max) && std::isfinite(s.std_dev) &&
         (!s.growth_pct || std::isfinite(*s.growth_pct));
}

// The shape the contract in protocol/chart_data.hpp asks for.
void check_contract(chart_type type, const protocol::chart_data& d) {
  // Summary view: labels with values or series, never both, lengths equal.
  CHECK(!d.labels.empty());
  CHECK((d.values.empty() != d.series.empty()));
  if (!d.values.empty()) CHECK(d.values.size() == d.labels.size());
  for (const auto& s : d.series) CHECK(s.values.size() == d.labels.size());
  CHECK(all_finite(d));

  switch (analytics::shape_of(type)) {
    case data_shape::values:
      if (type == chart_type::radar_chart)
        CHECK(d.labels.size() >= 3);
      else
        CHECK(!d.values.empty());
      break;
    case data_shape::series:
      CHECK(d.series.size() >= 2);
      CHECK(d.series.size() <= 4);
      break;
    case data_shape::points:
      CHECK(d.points.size() >= 15);
      CHECK(d.points.size() <= 60);
      for (const auto& p : d.points)
        CHECK((type == chart_type::bubble_chart) == p.size.has_value());
      break;
    case data_shape::groups: {
      REQUIRE(!d.groups.empty());
      if (type == chart_type::histogram) {
        CHECK(d.groups.size() == 1);
        CHECK(d.groups[0].values.size() >= 200);
        CHECK(d.groups[0].values.size() <= 500);
        double counted = 0;
        for (double c : d.values) counted += c;
        CHECK(counted == d.groups[0].values.size());
      } else {
        CHECK(d.groups.size() >= 3);
        CHECK(d.labels.size() == d.groups.size());
      }
      break;
    }
    case data_shape::matrix:
      REQUIRE(!d.matrix.empty());
      CHECK(d.matrix.size() == d.row_labels.size());
      for (const auto& row : d.matrix) CHECK(row.size() == d.column_labels.size());
      CHECK(d.labels == d.column_labels);
      CHECK(d.series.size() == d.matrix.size());
      break;
    case data_shape::candles:
      CHECK(d.candles.size() >= 20);
      CHECK(d.candles.size() <= 30);
      for (std::size_t i = 0; i < d.candles.size(); ++i) {
        const auto& c = d.candles[i];
        CHECK(c.high >= std::max(c.open, c.close));
        CHECK(c.low <= std::min(c.open, c.close));
        CHECK(c.low > 0);
        CHECK(d.labels[i] == c.label);
        CHECK(d.values[i] == c.close);
      }
      break;
  }
}

}  // namespace

TEST_CASE("every chart type gets the shape it needs, with a consistent summary view") {
  const char* requests[] = {"Show quarterly revenue growth for 2024",
                            "Show bar chart of sample metrics",
                            "Monthly temperature in Oslo",
                            "Churn rate by region",
                            "Weekly signups",
                            "Hourly temperature",
                            "Yearly income from 2015 to 2024",
                            "Stock price of ACME",
                            "Top countries by users",
                            "Skills radar",
                            "Compare 2021, 2022, 2023 and 2024 sales per product",
                            "x",
                            ""};
  for (const char* content : requests) {
    for (chart_type type : protocol::all_chart_types()) {
      CAPTURE(content);
      CAPTURE(protocol::to_string(type));
      auto g = builtin_generate(ask(content), type);
      CHECK(g.synthetic);
      check_contract(type, g.data);
      CHECK(stats_finite(g.stats));
      CHECK(g.stats.count == analytics::headline_values(g.data).size());
      CHECK(g.series_stats.size() == g.data.series.size());
      for (const auto& s : g.series_stats) CHECK(stats_finite(s));
      CHECK(g.insights.size() >= 3);
      CHECK(g.insights.size() <= 5);
      CHECK(!g.narrative.empty());
      for (const auto& s : g.insights) {
        CHECK(s.find("nan") == std::string::npos);
        CHECK(s.find("inf") == std::string::npos);
      }
      CHECK(g.thoughts.size() >= 2);
      CHECK(g.thoughts.size() <= 4);
      CHECK(!g.title.empty());
      CHECK(!g.x_label.empty());
      CHECK(!g.y_label.empty());
      CHECK(analytics::check_data_fits(type, g.data).ok());  // synthetic data fits its own type
    }
  }
}

TEST_CASE("type-specific synthetic shapes") {
  SUBCASE("funnel is strictly decreasing") {
    auto d = builtin_generate(ask("Sales funnel"), chart_type::funnel_chart).data;
    CHECK(d.labels.front() == "Visitors");
    for (std::size_t i = 1; i < d.values.size(); ++i) CHECK(d.values[i] < d.values[i - 1]);
  }
  SUBCASE("pareto is sorted descending") {
    auto d = builtin_generate(ask("Defects by cause"), chart_type::pareto_chart).data;
    for (std::size_t i = 1; i < d.values.size(); ++i) CHECK(d.values[i] <= d.values[i - 1]);
  }
  SUBCASE("pie values are positive") {
    auto d = builtin_generate(ask("Temperature share"), chart_type::pie_chart).data;
    for (double v : d.values) CHECK(v > 0);
  }
  SUBCASE("waterfall starts and moves both ways") {
    auto d = builtin_generate(ask("Profit bridge by quarter"), chart_type::waterfall_chart).data;
    CHECK(d.labels.front() == "Start");
    bool up = false, down = false;
    for (std::size_t i = 1; i < d.values.size(); ++i) {
      up = up || d.values[i] > 0;
      down = down || d.values[i] < 0;
    }
    CHECK(up);
    CHECK(down);
  }
  SUBCASE("weekday by hour heatmap") {
    auto d = builtin_generate(ask("Logins by hour and day"), chart_type::heatmap).data;
    CHECK(d.matrix.size() == 7);
    CHECK(d.matrix[0].size() == 24);
  }
  SUBCASE("combo has bars and a line") {
    auto d = builtin_generate(ask("Monthly revenue"), chart_type::combo_bar_line).data;
    CHECK(d.series.size() == 2);
  }
  SUBCASE("candles have dates on weekdays") {
    auto d = builtin_generate(ask("ACME stock in 2024"), chart_type::candlestick_chart).data;
    CHECK(d.candles.front().label == "2024-01-02");  // a Tuesday
    CHECK(d.candles[4].label == "2024-01-08");       // skips the weekend of 6-7 January
  }
}

TEST_CASE("synthetic data fits the text") {
  SUBCASE("quarters with the year") {
    auto g = builtin_generate(ask("Show quarterly revenue growth for 2024"),
                              chart_type::bar_chart_vertical);
    CHECK(g.data.labels == std::vector<std::string>{"Q1 2024", "Q2 2024", "Q3 2024", "Q4 2024"});
    CHECK(g.data.values.back() > g.data.values.front());  // growth
    for (double v : g.data.values) {
      CHECK(v >= 10000);
      CHECK(v <= 100000);
      CHECK(v == std::round(v));
    }
    CHECK(g.title == "Quarterly Revenue Growth 2024");
    CHECK(g.x_label == "Quarter");
    CHECK(g.y_label == "Revenue ($)");
  }
  SUBCASE("months, falling churn as a percentage") {
    auto g = builtin_generate(ask("Show monthly churn"), chart_type::line_chart);
    CHECK(g.data.labels.size() == 12);
    CHECK(g.data.labels.front() == "Jan");
    CHECK(g.data.values.back() < g.data.values.front());
    for (double v : g.data.values) {
      CHECK(v >= 0);
      CHECK(v <= 100);
      CHECK(v * 100 == doctest::Approx(std::round(v * 100)));
    }
  }
  SUBCASE("weeks, not weekdays, for weekly") {
    // Weekly used to give Mon..Sun; a weekly series is one point per week.
    auto g = builtin_generate(ask("Show weekly signups for U1"), chart_type::bar_chart_vertical);
    REQUIRE(g.data.labels.size() == 12);
    CHECK(g.data.labels.front() == "W1");
    CHECK(g.data.labels.back() == "W12");
    for (double v : g.data.values) CHECK(v == std::round(v));
  }
  SUBCASE("weekdays") {
    auto g = builtin_generate(ask("Signups by day of the week"), chart_type::bar_chart_vertical);
    CHECK(g.data.labels ==
          std::vector<std::string>{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"});
  }
  SUBCASE("years ending at the year in the text") {
    auto g = builtin_generate(ask("Yearly sales up to 2022"), chart_type::line_chart);
    CHECK(g.data.labels ==
          std::vector<std::string>{"2017", "2018", "2019", "2020", "2021", "2022"});
  }
  SUBCASE("hours") {
    auto g = builtin_generate(ask("Hourly traffic"), chart_type::line_chart);
    CHECK(g.data.labels.size() == 24);
    CHECK(g.data.labels.front() == "00:00");
  }
  SUBCASE("regions, products, countries, channels") {
    CHECK(builtin_generate(ask("Sales by region"), chart_type::bar_chart_vertical)
              .data.labels.front() == "North");
    CHECK(builtin_generate(ask("Revenue per product"), chart_type::pie_chart).data.labels.front() ==
          "Product A");
    CHECK(builtin_generate(ask("Users by country"), chart_type::bar_chart_vertical)
              .data.labels.size() == 6);
    CHECK(builtin_generate(ask("Signups by channel"), chart_type::pie_chart).data.labels.front() ==
          "Organic");
  }
  SUBCASE("series are named by the years of the request") {
    auto g = builtin_generate(ask("Compare 2022 and 2023 revenue by quarter"),
                              chart_type::bar_chart_grouped);
    REQUIRE(g.data.series.size() == 2);
    CHECK(g.data.series[0].name == "2022");
    CHECK(g.data.series[1].name == "2023");
    CHECK(g.data.labels.front() == "Q1");
  }
  SUBCASE("default series names") {
    auto g = builtin_generate(ask("Show metrics"), chart_type::line_chart_multi);
    REQUIRE(g.data.series.size() == 2);
    CHECK(g.data.series[0].name == "2023");
    CHECK(g.data.series[1].name == "2024");
    CHECK(g.data.labels.size() == 6);
  }
  SUBCASE("temperature can go below zero and is seasonal") {
    auto g = builtin_generate(ask("Monthly temperature"), chart_type::line_chart);
    for (double v : g.data.values) {
      CHECK(v >= -5);
      CHECK(v <= 35);
    }
    CHECK(g.data.values[6] > g.data.values[0]);  // July warmer than January
  }
}

TEST_CASE("generation is deterministic") {
  for (chart_type type : protocol::all_chart_types()) {
    CAPTURE(protocol::to_string(type));
    auto a = builtin_generate(ask("Show quarterly revenue growth for 2024"), type);
    auto b = builtin_generate(ask("Show quarterly revenue growth for 2024"), type);
    CHECK(a.data.labels == b.data.labels);
    CHECK(a.data.values == b.data.values);
    CHECK(analytics::headline_values(a.data) == analytics::headline_values(b.data));
    CHECK(a.insights == b.insights);
    CHECK(a.narrative == b.narrative);
    CHECK(a.title == b.title);
    auto c = builtin_generate(ask("Show quarterly revenue growth for 2025"), type);
    CHECK(analytics::headline_values(a.data) != analytics::headline_values(c.data));
  }
}
