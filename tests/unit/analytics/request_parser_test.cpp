// The built-in request parser (issue #16 item 1): the reported misreadings,
// and the numbers, dimensions and lists it reads.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "analytics/request_parser.hpp"

using aw::analytics::edit_distance;
using aw::analytics::parse_request;
using aw::analytics::time_grain;
using aw::protocol::chart_type;
using strings = std::vector<std::string>;

TEST_CASE("parser: the requests of issue 16 that came back wrong") {
  auto pareto =
      parse_request("What are the few failure reasons behind most of our support escalations?");
  CHECK(pareto.type == chart_type::pareto_chart);

  auto pair = parse_request("Planned vs actual hours for each project");
  CHECK(pair.type == chart_type::bar_chart_grouped);
  CHECK(pair.series == strings{"Planned", "Actual hours"});

  auto combo = parse_request("Orders as bars and average basket size as a line for each month");
  CHECK(combo.type == chart_type::combo_bar_line);
  CHECK(combo.series == strings{"Orders", "Average basket size"});
  CHECK(combo.labels.size() == 12);

  auto top = parse_request("Top 7 sales reps by closed revenue");
  CHECK(top.type == chart_type::bar_chart_horizontal);
  CHECK(top.labels.size() == 7);
  CHECK(top.labels.front() == "Rep 1");

  auto span = parse_request("Active subscriptions over the last 3 years");
  CHECK(span.type == chart_type::line_chart);
  CHECK(span.labels == strings{"2022", "2023", "2024"});
}

TEST_CASE("parser: numbers") {
  CHECK(parse_request("past two weeks of refunds").labels.size() == 14);
  CHECK(parse_request("sales 2019 to 2024").labels ==
        strings{"2019", "2020", "2021", "2022", "2023", "2024"});
  auto since = parse_request("signups since March");
  CHECK(since.grain == time_grain::month);
  CHECK(since.labels.front() == "Mar");
  CHECK(since.labels.size() == 10);
  CHECK(parse_request("revenue in 8 markets").labels.size() == 8);
  CHECK(parse_request("the ten most visited pages").labels.size() == 10);
  CHECK(parse_request("revenue for Q3 and Q4").labels == strings{"Q3", "Q4"});
  CHECK(parse_request("weekly signups for the last 10 weeks").labels.size() == 10);
  CHECK(parse_request("orders per hour over the last 2 days").labels.size() == 48);
}

TEST_CASE("parser: named lists become labels or series") {
  auto labels = parse_request("Revenue in Paris, London and Berlin");
  CHECK(labels.labels == strings{"Paris", "London", "Berlin"});
  CHECK(labels.series.empty());
  auto series = parse_request("Revenue for Paris, London and Berlin by month");
  CHECK(series.type == chart_type::line_chart_multi);
  CHECK(series.series == strings{"Paris", "London", "Berlin"});
  CHECK(series.labels.size() == 12);
  auto funnel = parse_request("visitors to signups to trials to paying customers");
  CHECK(funnel.type == chart_type::funnel_chart);
  CHECK(funnel.labels.size() == 4);
  auto years = parse_request("Compare 2023 and 2024 revenue by region");
  CHECK(years.type == chart_type::bar_chart_grouped);
  CHECK(years.series == strings{"2023", "2024"});
}

TEST_CASE("parser: typos of the words it looks for are read as meant") {
  CHECK(parse_request("revneue by regoin").text == "revenue by region");
  CHECK(parse_request("distrbution of salaries").type == chart_type::histogram);
  CHECK(edit_distance("quater", "quarter", 1) == 1);
  CHECK(edit_distance("timeline", "pipeline", 1) == 2);  // over the limit: not corrected
}

TEST_CASE("parser: deterministic and bounded") {
  auto a = parse_request("Top 5 regions by revenue since 2019");
  auto b = parse_request("Top 5 regions by revenue since 2019");
  CHECK(a.type == b.type);
  CHECK(a.labels == b.labels);
  std::string huge;
  for (int i = 0; i < 5000; ++i) huge += "top 999999 ";
  auto h = parse_request(huge);
  CHECK(h.labels.size() <= 120);
  CHECK(h.words.size() <= 400);
}
