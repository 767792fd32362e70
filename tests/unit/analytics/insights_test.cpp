#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "analytics/builtin_llm.hpp"
#include "analytics/text.hpp"

using namespace aw;
using aw::analytics::builtin_generate;
using aw::analytics::format_number;
using aw::analytics::format_percent;
using protocol::chart_type;

namespace {

protocol::analytics_payload ask(std::string content) {
  protocol::analytics_payload p;
  p.content = std::move(content);
  return p;
}

bool quoted(const std::vector<std::string>& insights, const std::string& text) {
  for (const auto& s : insights)
    if (s.find(text) != std::string::npos) return true;
  return false;
}

double sum(const std::vector<double>& v) {
  return std::accumulate(v.begin(), v.end(), 0.0);
}

}  // namespace

TEST_CASE("insights of the PROTOCOL example") {
  auto p = ask("Show quarterly revenue growth for 2024");
  p.data = protocol::chart_data{};
  p.data->labels = {"Q1", "Q2", "Q3", "Q4"};
  p.data->values = {45000, 52000, 48000, 61000};
  auto g = builtin_generate(p, chart_type::bar_chart_vertical);
  CHECK(g.insights[0] == "Revenue grew 35.6% from Q1 to Q4");
  CHECK(quoted(g.insights, "Q4 was the highest at 61,000"));
  CHECK(quoted(g.insights, "Q1 was the lowest at 45,000"));
  CHECK(quoted(g.insights, "The average across 4 quarters was 51,500"));
  CHECK(g.narrative.find("Revenue grew 35.6% from Q1 to Q4.") != std::string::npos);
  CHECK(g.thoughts.front() == "Reading the request: quarterly revenue for 2024");
  CHECK(g.thoughts.back() == "Computing statistics: mean 51,500, growth 35.6%");
}

TEST_CASE("falling values are described as a fall") {
  auto p = ask("Monthly churn");
  p.data = protocol::chart_data{};
  p.data->labels = {"Jan", "Feb", "Mar"};
  p.data->values = {8, 6.5, 5.2};
  auto g = builtin_generate(p, chart_type::line_chart);
  CHECK(g.insights[0] == "Churn Rate fell 35% from Jan to Mar");
  CHECK(quoted(g.insights, "Jan was the highest at 8"));
  CHECK(quoted(g.insights, "Mar was the lowest at 5.2"));
}

TEST_CASE("quoted numbers match the synthetic data") {
  SUBCASE("values charts") {
    auto g =
        builtin_generate(ask("Show quarterly revenue growth for 2024"), chart_type::line_chart);
    const auto& v = g.data.values;
    double growth = (v.back() - v.front()) / std::fabs(v.front()) * 100;
    CHECK(
        quoted(g.insights, (growth >= 0 ? "grew " : "fell ") + format_percent(std::fabs(growth))));
    auto hi = std::max_element(v.begin(), v.end()) - v.begin();
    CHECK(quoted(g.insights, g.data.labels[hi] + " was the highest at " + format_number(v[hi])));
    CHECK(quoted(g.insights, format_number(sum(v) / v.size())));
  }
  SUBCASE("pie shares") {
    auto g = builtin_generate(ask("Revenue share by region"), chart_type::pie_chart);
    const auto& v = g.data.values;
    auto hi = std::max_element(v.begin(), v.end()) - v.begin();
    CHECK(quoted(g.insights, g.data.labels[hi] + " has the largest share at " +
                                 format_percent(v[hi] / sum(v) * 100)));
    CHECK(quoted(g.insights, "add up to " + format_number(sum(v))));
  }
  SUBCASE("funnel conversion") {
    auto g = builtin_generate(ask("Signup funnel"), chart_type::funnel_chart);
    const auto& v = g.data.values;
    CHECK(quoted(g.insights,
                 format_percent(v.back() / v.front() * 100) + " of Visitors reach Renewals"));
  }
  SUBCASE("waterfall end") {
    auto g = builtin_generate(ask("Profit bridge"), chart_type::waterfall_chart);
    CHECK(quoted(g.insights, "end at " + format_number(sum(g.data.values))));
  }
  SUBCASE("pareto top share") {
    auto g = builtin_generate(ask("Defects by cause"), chart_type::pareto_chart);
    const auto& v = g.data.values;
    double running = 0;
    std::size_t k = 0;
    while (running / sum(v) < 0.8) running += v[k++];
    CHECK(quoted(g.insights, "The top " + std::to_string(k) + " of " + std::to_string(v.size()) +
                                 " categories account for " +
                                 format_percent(running / sum(v) * 100)));
  }
  SUBCASE("series leader") {
    auto g = builtin_generate(ask("Revenue by quarter for three products"),
                              chart_type::bar_chart_grouped);
    REQUIRE(g.data.series.size() >= 2);
    std::size_t lead = 0;
    for (std::size_t i = 1; i < g.data.series.size(); ++i)
      if (sum(g.data.series[i].values) > sum(g.data.series[lead].values)) lead = i;
    CHECK(quoted(g.insights, g.data.series[lead].name + " leads with a total of " +
                                 format_number(sum(g.data.series[lead].values))));
  }
  SUBCASE("two years compared: totals of both") {
    // Two named series get the comparison of the pair (request_insights_test.cpp).
    auto g = builtin_generate(ask("Compare 2023 and 2024 revenue by quarter"),
                              chart_type::bar_chart_grouped);
    double a = sum(g.data.series[0].values), b = sum(g.data.series[1].values);
    CHECK(quoted(g.insights, "In total 2024 is " + format_number(b) + " against " +
                                 format_number(a) + " for 2023"));
  }
  SUBCASE("scatter correlation") {
    auto g =
        builtin_generate(ask("Correlation between ad spend and sales"), chart_type::scatter_plot);
    const auto& pts = g.data.points;
    double n = pts.size(), mx = 0, my = 0;
    for (const auto& p : pts) mx += p.x / n, my += p.y / n;
    double sxy = 0, sxx = 0, syy = 0;
    for (const auto& p : pts) {
      sxy += (p.x - mx) * (p.y - my);
      sxx += (p.x - mx) * (p.x - mx);
      syy += (p.y - my) * (p.y - my);
    }
    double r = sxy / std::sqrt(sxx * syy);
    CHECK(r > 0.4);  // the synthetic data has a visible positive correlation
    CHECK(quoted(g.insights, "r = " + format_number(std::round(r * 100) / 100)));
    CHECK(g.x_label == "Ad Spend");
    CHECK(g.y_label == "Sales");
  }
  SUBCASE("histogram mean and standard deviation") {
    auto g = builtin_generate(ask("Distribution of order values"), chart_type::histogram);
    const auto& s = g.data.groups[0].values;
    double mean = sum(s) / s.size(), ss = 0;
    for (double x : s) ss += (x - mean) * (x - mean);
    CHECK(quoted(g.insights, "average " + format_number(mean) + " with a standard deviation of " +
                                 format_number(std::sqrt(ss / s.size()))));
  }
  SUBCASE("candlestick highs") {
    auto g = builtin_generate(ask("ACME stock"), chart_type::candlestick_chart);
    const auto& c = g.data.candles;
    auto hi =
        std::max_element(c.begin(), c.end(), [](auto& a, auto& b) { return a.high < b.high; });
    CHECK(
        quoted(g.insights, "The highest high was " + format_number(hi->high) + " on " + hi->label));
  }
  SUBCASE("heatmap peak cell") {
    auto g = builtin_generate(ask("Logins by hour and day"), chart_type::heatmap);
    double best = g.data.matrix[0][0];
    for (const auto& row : g.data.matrix)
      for (double x : row) best = std::max(best, x);
    CHECK(quoted(g.insights, "The highest value is " + format_number(best)));
  }
}
