// Insights describe what this request asks about (issue #16 item 5): the
// ranking, the pair compared, the largest step of a bridge, the correlation of
// the two measures named. Every number is recomputed here from the data.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "analytics/builtin_llm.hpp"

using namespace aw;
using aw::analytics::builtin_generate;
using protocol::chart_type;

namespace {

protocol::analytics_payload ask(std::string content, protocol::chart_data data) {
  protocol::analytics_payload p;
  p.content = std::move(content);
  p.data = std::move(data);
  return p;
}

bool quoted(const std::vector<std::string>& lines, const std::string& text) {
  for (const auto& s : lines)
    if (s.find(text) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("a ranking names the leader, the runner-up and the top three's share") {
  protocol::chart_data d;
  d.labels = {"Ana", "Ben", "Cleo", "Dev", "Eli"};
  d.values = {20, 50, 10, 15, 5};  // total 100; top 3: Ben 50, Ana 20, Dev 15 = 85
  auto g = builtin_generate(ask("Top 5 sales reps by closed deals", d),
                            chart_type::bar_chart_horizontal);
  CHECK(g.insights.at(0) == "Ben ranks first at 50, ahead of Ana at 20");
  CHECK(quoted(g.insights, "The top 3 of 5 make up 85% of the total (85 of 100)"));
  CHECK(quoted(g.insights, "Ben is 10 times Eli, last at 5"));
  CHECK(g.narrative.find("Ben ranks first at 50") != std::string::npos);
}

TEST_CASE("two series compared: where one is above and the widest gap") {
  protocol::chart_data d;
  d.labels = {"Alpha", "Beta", "Gamma"};
  d.series = {{"Planned", {100, 80, 60}}, {"Actual", {120, 70, 95}}};
  auto g = builtin_generate(ask("Planned vs actual hours for each project", d),
                            chart_type::bar_chart_grouped);
  CHECK(quoted(g.insights, "Actual is above Planned in 2 of 3"));
  CHECK(quoted(g.insights, "The widest gap is at Gamma: Actual 95 against 60 (+35)"));
  // 285 against 240: +18.75% -> 18.8%
  CHECK(quoted(g.insights, "In total Actual is 285 against 240 for Planned (+18.8%)"));
}

TEST_CASE("a bridge names its largest step and where it ends") {
  protocol::chart_data d;
  d.labels = {"Start", "Price", "Volume", "Costs"};
  d.values = {100, 30, -50, 10};  // ends at 90; movement 90, costs... volume is 50 of 90
  auto g = builtin_generate(ask("Profit bridge from last year to this year", d),
                            chart_type::waterfall_chart);
  CHECK(
      quoted(g.insights, "The largest step of the bridge is Volume at -50, 55.6% of all movement"));
  CHECK(quoted(g.insights, "end at 90"));
}

TEST_CASE("a relationship names the two measures of the request") {
  protocol::chart_data d;
  for (int i = 1; i <= 10; ++i) d.points.push_back({double(i), 3.0 * i + 1, std::nullopt});
  auto g = builtin_generate(ask("Is there a correlation between ad spend and sales?", d),
                            chart_type::scatter_plot);
  CHECK(g.insights.at(0) ==
        "The correlation coefficient between ad spend and sales is r = 1, a strong positive "
        "relationship");
}

TEST_CASE("a share names the largest part with its percentage") {
  protocol::chart_data d;
  d.labels = {"Paris", "London", "Berlin"};
  d.values = {50, 30, 20};
  auto g = builtin_generate(ask("Share of revenue for Paris, London and Berlin", d),
                            chart_type::pie_chart);
  CHECK(g.insights.at(0) == "Paris has the largest share at 50% (50)");
  CHECK(quoted(g.insights, "Berlin has the smallest share at 20% (20)"));
}
