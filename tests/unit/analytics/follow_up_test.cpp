#include <doctest/doctest.h>

#include <string>

#include "analytics/follow_up.hpp"

using namespace aw;
using analytics::apply_follow_up;
using analytics::chart_edit;
using analytics::edit_kind;
using analytics::parse_follow_up;
using analytics::prior_chart;
using protocol::chart_type;

namespace {

std::vector<chart_edit> edits_of(const std::string& text) {
  auto e = parse_follow_up(text);
  REQUIRE_MESSAGE(e.has_value(), text);
  return *e;
}

prior_chart monthly_revenue() {
  prior_chart p;
  p.run_id = "run-1";
  p.content = "Monthly revenue for 2024";
  p.title = "Monthly Revenue 2024";
  p.type = chart_type::bar_chart_vertical;
  p.data.labels = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  p.data.values = {10, 12, 9, 14, 15, 11, 13, 18, 16, 20, 22, 19};
  return p;
}

prior_chart regions() {
  prior_chart p;
  p.run_id = "run-2";
  p.content = "Sales by region";
  p.title = "Sales by Region";
  p.data.labels = {"Europe", "Asia", "North America", "Africa"};
  p.data.values = {40, 30, 50, 5};
  return p;
}

analytics::refinement refine(const prior_chart& p, const std::string& text) {
  protocol::analytics_payload req;
  req.content = text;
  return apply_follow_up(p, edits_of(text), req);
}

}  // namespace

TEST_CASE("follow-up: chart type phrasings are edits of the last chart") {
  for (const char* text :
       {"as a pie", "make it a pie", "Make it a pie chart please", "pie instead",
        "show it as a pie chart", "Can you turn this into a pie?", "switch to pie"}) {
    auto e = edits_of(text);
    REQUIRE(e.size() == 1);
    CHECK(e[0].kind == edit_kind::chart_type);
    CHECK(e[0].type == chart_type::pie_chart);
  }
  CHECK(edits_of("make it a line")[0].type == chart_type::line_chart);
  CHECK(edits_of("horizontal bars instead")[0].type == chart_type::bar_chart_horizontal);
  CHECK(edits_of("as a stacked area")[0].type == chart_type::area_chart_stacked);
  CHECK(edits_of("donut please")[0].type == chart_type::donut_chart);
}

TEST_CASE("follow-up: filters, series, order, theme, format, size and title") {
  auto last = edits_of("only the last 6 months");
  REQUIRE(last.size() == 1);
  CHECK(last[0].kind == edit_kind::keep_last);
  CHECK(last[0].count == 6);
  CHECK(edits_of("just the past three quarters")[0].count == 3);

  auto just = edits_of("just Q3 and Q4");
  REQUIRE(just.size() == 1);
  CHECK(just[0].kind == edit_kind::keep_labels);
  CHECK(just[0].names == std::vector<std::string>{"Q3", "Q4"});

  auto without = edits_of("without Europe");
  REQUIRE(without.size() == 1);
  CHECK(without[0].kind == edit_kind::drop_labels);
  CHECK(without[0].names == std::vector<std::string>{"Europe"});
  CHECK(edits_of("exclude Asia and Africa")[0].names.size() == 2);

  auto add = edits_of("add 2023");
  REQUIRE(add.size() == 1);
  CHECK(add[0].kind == edit_kind::add_series);
  CHECK(add[0].names.front() == "2023");
  CHECK(edits_of("add a series for 2022")[0].names.front() == "2022");
  CHECK(edits_of("compare with last year")[0].kind == edit_kind::compare_prior);
  CHECK(edits_of("vs the previous year")[0].kind == edit_kind::compare_prior);

  auto sort = edits_of("sort descending");
  REQUIRE(sort.size() == 1);
  CHECK(sort[0].kind == edit_kind::sort);
  CHECK(sort[0].descending);
  CHECK_FALSE(edits_of("sort it ascending")[0].descending);
  CHECK(edits_of("largest first")[0].descending);
  CHECK(edits_of("sort alphabetically")[0].by_label);

  CHECK(edits_of("in dark")[0].text == "dark");
  CHECK(edits_of("dark mode please")[0].kind == edit_kind::theme);
  CHECK(edits_of("as SVG")[0].format == protocol::image_format::svg);
  CHECK(edits_of("bigger")[0].kind == edit_kind::resize);
  auto size = edits_of("make it 1200x900");
  CHECK(size[0].width == 1200);
  CHECK(size[0].height == 900);

  auto title = edits_of("call it \"Revenue, month by month\"");
  REQUIRE(title.size() == 1);
  CHECK(title[0].kind == edit_kind::title);
  CHECK(title[0].text == "Revenue, month by month");
  CHECK(edits_of("change the title to Sales as a pie")[0].text == "Sales as a pie");

  auto several = edits_of("make it a line, in dark and as SVG");
  CHECK(several.size() == 3);
}

TEST_CASE("follow-up: requests that name other things start fresh") {
  for (const char* text :
       {"Show revenue by region as a pie", "Monthly revenue for 2024", "Top 10 products by sales",
        "Revenue for the last 6 months", "Show me a line chart of website visits",
        "Website traffic without bots", "What were our biggest expenses in 2023?",
        "Quarterly revenue growth for 2024 in dark", "hello", "",
        "Compare marketing spend and revenue by quarter",
        // Were read as follow-ups before (eval corpus): funnels, rankings, sentences after "only".
        "drop-off between the steps of our trial", "show the drop off at each step of checkout",
        "leaderboard of the top 8 salespeople this quarter",
        "the fee schedule only changed twice, show it over time"}) {
    CHECK_MESSAGE(!parse_follow_up(text).has_value(), text);
  }
  // Hostile sizes: long requests are never follow-ups.
  CHECK_FALSE(parse_follow_up(std::string(5000, 'a') + " as a pie").has_value());
  std::string many;
  for (int i = 0; i < 60; ++i) many += "pie ";
  CHECK_FALSE(parse_follow_up(many).has_value());
}

TEST_CASE("follow-up: a type edit redraws the same data with the new type") {
  auto r = refine(regions(), "as a pie");
  REQUIRE(r.payload.chart_preference);
  CHECK(*r.payload.chart_preference == chart_type::pie_chart);
  REQUIRE(r.payload.data);
  CHECK(r.payload.data->labels == regions().data.labels);
  CHECK(r.payload.data->values == regions().data.values);
  CHECK(r.synthetic);
  CHECK(r.payload.title.value_or("") == "Sales by Region");
  CHECK(r.thought.find("run-2") != std::string::npos);
  CHECK(r.thought.find("pie_chart") != std::string::npos);
}

TEST_CASE("follow-up: filters keep and drop points") {
  auto last = refine(monthly_revenue(), "only the last 6 months");
  REQUIRE(last.payload.data);
  CHECK(last.payload.data->labels ==
        std::vector<std::string>{"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"});
  CHECK(last.payload.data->values == std::vector<double>{13, 18, 16, 20, 22, 19});
  CHECK(*last.payload.chart_preference == chart_type::bar_chart_vertical);

  auto without = refine(regions(), "without Europe");
  REQUIRE(without.payload.data);
  CHECK(without.payload.data->labels ==
        std::vector<std::string>{"Asia", "North America", "Africa"});
  CHECK(without.payload.data->values == std::vector<double>{30, 50, 5});

  auto nothing = refine(regions(), "without Mars");
  CHECK(nothing.payload.data->labels.size() == 4);
  CHECK(nothing.thought.find("no label matches Mars") != std::string::npos);

  auto sorted = refine(regions(), "sort descending");
  CHECK(sorted.payload.data->labels.front() == "North America");
  CHECK(sorted.payload.data->values == std::vector<double>{50, 40, 30, 5});
}

TEST_CASE("follow-up: adding a year makes a series and a type that shows series") {
  auto r = refine(monthly_revenue(), "add 2023");
  REQUIRE(r.payload.data);
  REQUIRE(r.payload.data->series.size() == 2);
  CHECK(r.payload.data->series[0].name == "2024");
  CHECK(r.payload.data->series[1].name == "2023");
  CHECK(r.payload.data->series[0].values == monthly_revenue().data.values);
  CHECK(r.payload.data->series[1].values.size() == 12);
  CHECK(r.payload.data->values.empty());
  CHECK(*r.payload.chart_preference == chart_type::bar_chart_grouped);

  auto again = refine(monthly_revenue(), "add 2023");
  CHECK(again.payload.data->series[1].values == r.payload.data->series[1].values);

  auto cmp = refine(monthly_revenue(), "compare with last year");
  REQUIRE(cmp.payload.data->series.size() == 2);
  CHECK(cmp.payload.data->series[1].name == "2023");

  // The user's own data is never extended with made-up numbers.
  auto user = monthly_revenue();
  user.synthetic = false;
  auto kept = refine(user, "add 2023");
  CHECK(kept.payload.data->series.empty());
  CHECK(kept.payload.data->values == user.data.values);
}

TEST_CASE("follow-up: theme, format, size and title carry over or change") {
  auto p = regions();
  p.theme = "corporate";
  p.format = protocol::image_format::svg;
  auto plain = refine(p, "as a pie");
  CHECK(plain.payload.theme.name == "corporate");
  CHECK(plain.payload.format == protocol::image_format::svg);

  auto dark = refine(regions(), "in dark");
  CHECK(dark.payload.theme.name == "dark");
  auto svg = refine(regions(), "as SVG");
  CHECK(svg.payload.format == protocol::image_format::svg);
  auto big = refine(regions(), "bigger");
  CHECK(big.payload.width == 1200);
  CHECK(big.payload.height == 750);
  auto huge = regions();
  huge.width = 3900;
  CHECK(refine(huge, "bigger").payload.width == 4000);
  auto titled = refine(regions(), "call it Regional sales");
  CHECK(titled.payload.title.value_or("") == "Regional sales");
}

TEST_CASE("follow-up: a type that needs another shape gets new sample data") {
  auto r = refine(regions(), "as a scatter plot");
  CHECK(*r.payload.chart_preference == chart_type::scatter_plot);
  CHECK_FALSE(r.payload.data.has_value());
  CHECK(r.payload.use_synthetic_data);
  CHECK(r.payload.content == "Sales by region");
}

TEST_CASE("follow-up: a pie of several series shows their totals per label") {
  auto p = monthly_revenue();
  p.type = chart_type::bar_chart_grouped;
  p.data.labels = {"Q1", "Q2"};
  p.data.values.clear();
  p.data.series = {{"2023", {1, 2}}, {"2024", {3, 5}}};
  auto r = refine(p, "as a pie");
  CHECK(*r.payload.chart_preference == chart_type::pie_chart);
  REQUIRE(r.payload.data);
  CHECK(r.payload.data->series.empty());
  CHECK(r.payload.data->values == std::vector<double>{4, 7});
  CHECK(r.thought.find("summed") != std::string::npos);
  // A line of several series is a multi-line.
  CHECK(*refine(p, "make it a line").payload.chart_preference == chart_type::line_chart_multi);
  // Without 2023 one series is left: a plain bar chart of it.
  auto without = refine(p, "without 2023");
  CHECK(without.payload.data->values == std::vector<double>{3, 5});
  CHECK(*without.payload.chart_preference == chart_type::bar_chart_vertical);
}
