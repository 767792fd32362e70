// Issue #16 item 3: with a model, the model's chart_type decides when it is valid
// and fits the data; chart_preference always wins; otherwise the built-in plan,
// with a thought saying why.
#include <doctest/doctest.h>

#include <string>

#include "llm/answer.hpp"
#include "llm/prompt.hpp"

using namespace aw;
using aw::llm::build_generation;
using aw::llm::parse_answer;
using protocol::chart_type;

namespace {

protocol::analytics_payload request(std::string content) {
  protocol::analytics_payload p;
  p.content = std::move(content);
  return p;
}

llm::model_answer answer(const std::string& json) {
  auto a = parse_answer(json);
  REQUIRE_MESSAGE(a, a.error().message());
  return *a;
}

bool has_thought(const analytics::generation& g, const std::string& text) {
  for (const auto& t : g.thoughts)
    if (t.find(text) != std::string::npos) return true;
  return false;
}

const std::string bars =
    "{\"reasoning\":\"r\",\"narrative\":\"n\",\"chart_type\":\"bar_chart_horizontal\","
    "\"labels\":[\"North\",\"South\",\"East\"],\"values\":[30,20,10],\"title\":\"T\"}";

}  // namespace

TEST_CASE("model decides: a valid type that fits the data is used") {
  auto g =
      build_generation(request("Share of sales by region"), chart_type::pie_chart, answer(bars));
  CHECK(g.decided_by == "model");
  CHECK(g.chart_type == chart_type::bar_chart_horizontal);
  CHECK(g.data.values == std::vector<double>{30, 20, 10});
  CHECK(has_thought(g, "The model chose bar_chart_horizontal over the built-in plan pie_chart"));
}

TEST_CASE("model decides: chart_preference always wins") {
  auto p = request("Share of sales by region");
  p.chart_preference = chart_type::pie_chart;
  auto g = build_generation(p, chart_type::pie_chart, answer(bars));
  CHECK(g.decided_by == "user");
  CHECK(g.chart_type == chart_type::pie_chart);
}

TEST_CASE("model decides: an invalid type falls back to the built-in plan with a thought") {
  auto g = build_generation(
      request("Revenue by quarter"), chart_type::bar_chart_vertical,
      answer("{\"chart_type\":\"sankey_chart\",\"labels\":[\"Q1\",\"Q2\"],\"values\":[1,2]}"));
  CHECK(g.decided_by == "builtin");
  CHECK(g.chart_type == chart_type::bar_chart_vertical);
  CHECK(has_thought(g,
                    "named no valid chart type (\"sankey_chart\"); keeping the built-in plan "
                    "bar_chart_vertical"));
}

TEST_CASE("model decides: a type that does not fit the data falls back") {
  // Negative values cannot be the parts of a pie.
  auto g = build_generation(
      request("Profit by region"), chart_type::bar_chart_vertical,
      answer("{\"chart_type\":\"pie_chart\",\"labels\":[\"a\",\"b\"],\"values\":[-5,6]}"));
  CHECK(g.decided_by == "builtin");
  CHECK(g.chart_type == chart_type::bar_chart_vertical);
  CHECK(has_thought(g, "chose pie_chart, which does not fit the data"));
}

TEST_CASE("model decides: the prompt lists the 23 types, the words, the data shape and the hint") {
  auto p = request("Share of sales by region");
  p.data = protocol::chart_data{};
  p.data->labels = {"a", "b"};
  p.data->values = {1, 2};
  std::string body = llm::request_body("m", p, chart_type::pie_chart);
  for (auto t : protocol::all_chart_types())
    CHECK(body.find(std::string(protocol::to_string(t)) + ": ") != std::string::npos);
  CHECK(body.find("Share of sales by region") != std::string::npos);
  CHECK(body.find("Data shape: labels (2) with one value each") != std::string::npos);
  CHECK(body.find("The built-in planner suggests pie_chart (a hint") != std::string::npos);
  p.chart_preference = chart_type::pie_chart;
  CHECK(llm::request_body("m", p, chart_type::pie_chart)
            .find("The user chose the chart type "
                  "pie_chart") != std::string::npos);
}

TEST_CASE("follow-ups: the conversation's recent turns go before the request, none without") {
  auto p = request("as a pie");
  CHECK(llm::request_body("m", p, chart_type::pie_chart).find("Earlier in this conversation") ==
        std::string::npos);
  p.conversation_context =
      "- user: Sales by region\n  answered with: bar_chart_vertical \"Sales\"\n";
  std::string body = llm::request_body("m", p, chart_type::pie_chart);
  auto earlier = body.find("Earlier in this conversation (oldest first):");
  auto turn = body.find("- user: Sales by region");
  auto req = body.find("Request: as a pie");
  REQUIRE(earlier != std::string::npos);
  REQUIRE(turn != std::string::npos);
  REQUIRE(req != std::string::npos);
  CHECK(earlier < turn);
  CHECK(turn < req);
}
