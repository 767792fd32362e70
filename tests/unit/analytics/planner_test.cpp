#include <doctest/doctest.h>

#include "analytics/planner.hpp"

using namespace aw;
using aw::analytics::make_plan;
using protocol::chart_type;

namespace {

protocol::analytics_payload ask(std::string content) {
  protocol::analytics_payload p;
  p.content = std::move(content);
  return p;
}

struct phrasing {
  const char* content;
  chart_type expected;
};

}  // namespace

TEST_CASE("planner chooses a type from the words of the request") {
  const phrasing table[] = {
      {"What is each region's share of total revenue?", chart_type::pie_chart},
      {"Show the proportion of users by device", chart_type::pie_chart},
      {"Percent of sales by channel", chart_type::pie_chart},
      {"Budget breakdown by department", chart_type::pie_chart},
      {"Show the composition of our portfolio as a donut", chart_type::donut_chart},
      {"Market share ring chart", chart_type::donut_chart},
      {"Show the revenue trend", chart_type::line_chart},
      {"Website visitors over time", chart_type::line_chart},
      {"Monthly active users", chart_type::line_chart},
      {"Show quarterly revenue growth for 2024", chart_type::line_chart},
      {"Timeline of support tickets", chart_type::line_chart},
      {"Compare monthly revenue for 2023 and 2024", chart_type::line_chart_multi},
      {"Distribution of order values", chart_type::histogram},
      {"How spread out are delivery times?", chart_type::histogram},
      {"Salary spread across teams", chart_type::box_plot},
      {"Show quartiles and outliers of response time", chart_type::box_plot},
      {"Box plot of scores", chart_type::box_plot},
      {"Density of session lengths", chart_type::violin_plot},
      {"Violin plot of latency", chart_type::violin_plot},
      {"Correlation between ad spend and sales", chart_type::scatter_plot},
      {"Relationship of price and demand", chart_type::scatter_plot},
      {"Plot height vs weight", chart_type::scatter_plot},
      {"Relationship between GDP and life expectancy sized by population",
       chart_type::bubble_chart},
      {"Show our sales funnel", chart_type::funnel_chart},
      {"Conversion from visit to purchase", chart_type::funnel_chart},
      {"Hiring pipeline stages", chart_type::funnel_chart},
      {"Revenue bridge from 2023 to 2024", chart_type::waterfall_chart},
      {"Cumulative change in cash", chart_type::waterfall_chart},
      {"Pareto of defect causes", chart_type::pareto_chart},
      {"Which complaints follow the 80/20 rule?", chart_type::pareto_chart},
      {"Logins by hour and day", chart_type::heatmap},
      {"Correlation matrix heatmap", chart_type::heatmap},
      {"ACME stock over 30 days", chart_type::candlestick_chart},
      {"Daily price of bitcoin", chart_type::candlestick_chart},
      {"OHLC for last month", chart_type::candlestick_chart},
      {"Candlestick of Tesla", chart_type::candlestick_chart},
      {"Radar of player attributes", chart_type::radar_chart},
      {"Skills profile of the candidate", chart_type::radar_chart},
      {"Stacked revenue by product and region", chart_type::bar_chart_stacked},
      {"Stacked area of traffic sources", chart_type::area_chart_stacked},
      {"Compare 2023 and 2024 revenue by region", chart_type::bar_chart_grouped},
      {"Revenue 2023 versus 2024 by quarter", chart_type::bar_chart_grouped},
      {"Ranking of sales reps", chart_type::bar_chart_horizontal},
      {"Top 10 products by revenue", chart_type::bar_chart_horizontal},
      {"Revenue by country", chart_type::bar_chart_horizontal},
      {"Step chart of pricing tiers", chart_type::step_chart},
      {"Area chart of downloads", chart_type::area_chart},
      {"Revenue bars with a margin line, dual axis", chart_type::combo_bar_line},
      {"Revenue by region", chart_type::bar_chart_vertical},
      {"Headcount per team", chart_type::bar_chart_vertical},
      {"Chart our quarterly revenue", chart_type::bar_chart_vertical},
      {"Show bar chart vertical of sample metrics", chart_type::bar_chart_vertical},
      {"Show line chart multi of sample metrics", chart_type::line_chart_multi},
  };
  for (const auto& row : table) {
    std::string content = row.content;
    CAPTURE(content);
    auto plan = make_plan(ask(row.content));
    CHECK(protocol::to_string(plan.type) == protocol::to_string(row.expected));
    CHECK_FALSE(plan.type_from_user);
    CHECK(plan.reasoning.size() > 20);
    CHECK(plan.reasoning.back() == '.');
  }
}

TEST_CASE("planner honours chart_preference") {
  auto p = ask("Show the revenue trend");
  p.chart_preference = chart_type::pie_chart;
  auto plan = make_plan(p);
  CHECK(plan.type == chart_type::pie_chart);
  CHECK(plan.type_from_user);
  CHECK(plan.reasoning.find("pie chart") != std::string::npos);
}

TEST_CASE("planner reasoning is one readable sentence") {
  CHECK(make_plan(ask("Share of revenue by region")).reasoning ==
        "The request asks about share of a whole, so a pie chart fits.");
  CHECK(make_plan(ask("Revenue by region")).reasoning ==
        "The request asks about values across categories, so a vertical bar chart fits.");
}

TEST_CASE("planner steps") {
  auto p = ask("Revenue by region");
  CHECK(make_plan(p).steps ==
        std::vector<std::string>{"plan_chart", "generate_data", "llm_enhance", "render_chart"});
  p.enhance_labels = false;
  p.data = protocol::chart_data{};
  p.data->labels = {"a"};
  p.data->values = {1};
  CHECK(make_plan(p).steps ==
        std::vector<std::string>{"plan_chart", "prepare_data", "render_chart"});
}

TEST_CASE("the data shape decides when present") {
  auto p = ask("Show the revenue trend");  // the words alone would give a line chart
  protocol::chart_data d;

  SUBCASE("points") {
    d.points = {{1, 2, std::nullopt}, {2, 3, std::nullopt}};
    p.data = d;
    CHECK(make_plan(p).type == chart_type::scatter_plot);
  }
  SUBCASE("points with sizes") {
    d.points = {{1, 2, 5.0}, {2, 3, 6.0}};
    p.data = d;
    CHECK(make_plan(p).type == chart_type::bubble_chart);
  }
  SUBCASE("ohlc") {
    d.candles = {{"d1", 1, 2, 0.5, 1.5}};
    p.data = d;
    CHECK(make_plan(p).type == chart_type::candlestick_chart);
  }
  SUBCASE("matrix") {
    d.matrix = {{1, 2}, {3, 4}};
    p.data = d;
    CHECK(make_plan(p).type == chart_type::heatmap);
  }
  SUBCASE("one group of samples") {
    d.groups = {{"samples", {1, 2, 3}}};
    p.data = d;
    CHECK(make_plan(p).type == chart_type::histogram);
  }
  SUBCASE("several groups") {
    d.groups = {{"a", {1, 2}}, {"b", {3, 4}}};
    p.data = d;
    CHECK(make_plan(p).type == chart_type::box_plot);
  }
  SUBCASE("series with trend words") {
    d.labels = {"Q1", "Q2"};
    d.series = {{"2023", {1, 2}}, {"2024", {3, 4}}};
    p.data = d;
    CHECK(make_plan(p).type == chart_type::line_chart_multi);
  }
  SUBCASE("series without other hints") {
    d.labels = {"Q1", "Q2"};
    d.series = {{"2023", {1, 2}}, {"2024", {3, 4}}};
    p = ask("Chart these numbers");
    p.data = d;
    CHECK(make_plan(p).type == chart_type::bar_chart_grouped);
  }
  SUBCASE("series cannot draw a pie: falls back") {
    d.labels = {"Q1", "Q2"};
    d.series = {{"2023", {1, 2}}, {"2024", {3, 4}}};
    p = ask("Share of revenue");
    p.data = d;
    CHECK(make_plan(p).type == chart_type::bar_chart_grouped);
  }
  SUBCASE("values with negative numbers cannot draw a pie") {
    d.labels = {"a", "b"};
    d.values = {-1, 3};
    p = ask("Share of revenue");
    p.data = d;
    CHECK(make_plan(p).type == chart_type::bar_chart_vertical);
  }
  SUBCASE("values follow the words") {
    d.labels = {"a", "b"};
    d.values = {1, 3};
    p.data = d;
    CHECK(make_plan(p).type == chart_type::line_chart);
  }
}

TEST_CASE("planner is deterministic") {
  auto a = make_plan(ask("Monthly signups by channel"));
  auto b = make_plan(ask("Monthly signups by channel"));
  CHECK(a.type == b.type);
  CHECK(a.reasoning == b.reasoning);
  CHECK(a.steps == b.steps);
}
