#include <doctest/doctest.h>

#include <cmath>

#include "analytics/builtin_llm.hpp"
#include "llm/answer.hpp"
#include "llm/prompt.hpp"

using namespace aw;
using namespace aw::llm;
using protocol::chart_type;

namespace {
protocol::analytics_payload request(const std::string& content) {
  protocol::analytics_payload p;
  p.content = content;
  return p;
}
}  // namespace

TEST_CASE("answer: a clean answer, inside a code fence") {
  auto a = parse_answer(
      "```json\n{\"title\":\"Sales\",\"x_label\":\"Month\",\"y_label\":\"USD\","
      "\"labels\":[\"Jan\",\"Feb\",\"Mar\"],\"values\":[1,2,3],"
      "\"insights\":[\"Up\"],\"narrative\":\"Grew.\"}\n```");
  REQUIRE(a);
  CHECK(a->title == "Sales");
  CHECK(a->labels.size() == 3);
  CHECK(a->values == std::vector<double>{1, 2, 3});
  CHECK(a->repairs.empty());
}

TEST_CASE("answer: no JSON, broken JSON or nothing usable is rejected") {
  auto none = parse_answer("I cannot help with that");
  CHECK_FALSE(none);
  CHECK(none.code() == aw::protocol::error_code::llm_unavailable);
  CHECK(none.message().find("no JSON") != std::string::npos);
  CHECK_FALSE(parse_answer("{\"title\": \"x\", values: [1,"));
  CHECK_FALSE(parse_answer("{\"foo\": 1}"));
  CHECK_FALSE(parse_answer("[1,2,3]"));
}

TEST_CASE("answer: non-finite and non-numeric values are dropped with their labels") {
  auto a = parse_answer(
      "{\"title\":\"t\",\"labels\":[\"a\",\"b\",\"c\",\"d\",\"e\"],"
      "\"values\":[1, NaN, \"3.5\", \"x\", 1e300]}");
  REQUIRE(a);
  CHECK(a->labels == std::vector<std::string>{"a", "c"});
  CHECK(a->values == std::vector<double>{1, 3.5});
  CHECK(a->repairs.size() == 3);
}

TEST_CASE("answer: lengths are fixed, counts clamped, strings truncated") {
  std::string many = "[";
  for (int i = 0; i < 500; ++i) many += (i ? "," : "") + std::to_string(i);
  many += "]";
  auto a = parse_answer("{\"title\":\"" + std::string(1000, 'T') + "\",\"values\":" + many +
                        ",\"insights\":[\"1\",\"2\",\"3\",\"4\",\"5\",\"6\",\"7\",8]}");
  REQUIRE(a);
  CHECK(a->title.size() == max_title_chars);
  CHECK(a->values.size() == max_answer_labels);
  CHECK(a->labels.size() == max_answer_labels);
  CHECK(a->labels.front() == "Item 1");
  CHECK(a->insights.size() == max_answer_insights);

  auto b = parse_answer("{\"labels\":[\"a\",\"b\",\"c\"],\"values\":[1,2,3,4,5]}");
  REQUIRE(b);
  CHECK(b->values.size() == 3);
  auto c = parse_answer(
      "{\"labels\":[\"a\",\"b\",\"c\"],\"series\":[{\"name\":\"s\","
      "\"values\":[1,2]},{\"values\":[4,5,6]}]}");
  REQUIRE(c);
  CHECK(c->labels == std::vector<std::string>{"a", "b"});
  REQUIRE(c->series.size() == 2);
  CHECK(c->series[1].name == "Series 2");
  CHECK(c->series[1].values == std::vector<double>{4, 5});
}

TEST_CASE("generation: the model's data is used when it fits, with recomputed statistics") {
  auto a = parse_answer(
      "{\"title\":\"Model title\",\"labels\":[\"Q1\",\"Q2\",\"Q3\",\"Q4\"],"
      "\"values\":[10,20,30,40],\"insights\":[\"i1\"],\"narrative\":\"n\"}");
  REQUIRE(a);
  auto g = build_generation(request("Quarterly revenue"), chart_type::bar_chart_vertical, *a);
  CHECK(g.title == "Model title");
  CHECK(g.data.values == std::vector<double>{10, 20, 30, 40});
  CHECK(g.stats.count == 4);
  CHECK(g.stats.sum == 100);
  CHECK(g.insights == std::vector<std::string>{"i1"});
  CHECK(g.synthetic);
  CHECK(analytics::check_data_fits(chart_type::bar_chart_vertical, g.data).ok());
}

TEST_CASE("generation: data that does not fit the type falls back to builtin data") {
  auto a = parse_answer(
      "{\"title\":\"Shares\",\"labels\":[\"a\",\"b\"],\"values\":[-5,-6],"
      "\"insights\":[\"about negative shares\"]}");
  REQUIRE(a);
  auto builtin = analytics::builtin_generate(request("Share by region"), chart_type::pie_chart);
  auto g = build_generation(request("Share by region"), chart_type::pie_chart, *a);
  CHECK(g.data.values == builtin.data.values);
  CHECK(g.insights == builtin.insights);  // the model's texts describe other numbers
  CHECK(g.title == "Shares");
  CHECK(analytics::check_data_fits(chart_type::pie_chart, g.data).ok());
}

TEST_CASE("generation: the user's data is kept exactly, the model writes the texts") {
  auto p = request("Revenue");
  protocol::chart_data d;
  d.labels = {"A", "B", "C"};
  d.values = {1.5, 2.5, 3.5};
  p.data = d;
  auto a = parse_answer(
      "{\"title\":\"Model\",\"labels\":[\"x\"],\"values\":[999],"
      "\"narrative\":\"About A, B and C.\"}");
  REQUIRE(a);
  auto g = build_generation(p, chart_type::bar_chart_vertical, *a);
  CHECK(g.data.labels == d.labels);
  CHECK(g.data.values == d.values);
  CHECK_FALSE(g.synthetic);
  CHECK(g.narrative == "About A, B and C.");
  CHECK(g.stats.sum == doctest::Approx(7.5));
}

TEST_CASE("prompt: chunk parsing and the request body") {
  auto c = parse_chunk(
      "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"he\"},\"finish_reason\":null}]}");
  REQUIRE(c);
  CHECK(c->content == "he");
  CHECK_FALSE(c->finished);
  auto u = parse_chunk("{\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":3}}");
  REQUIRE(u);
  CHECK(*u->prompt_tokens == 12);
  CHECK(*u->completion_tokens == 3);
  auto f = parse_chunk("{\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\"}]}");
  REQUIRE(f);
  CHECK(f->finished);
  CHECK_FALSE(parse_chunk("not json"));
  std::string body = request_body("m", request("Revenue \"quoted\""), chart_type::line_chart);
  CHECK(body.find("\"stream\":true") != std::string::npos);
  CHECK(body.find("\"include_usage\":true") != std::string::npos);
  CHECK(body.find("Revenue \\\"quoted\\\"") != std::string::npos);
  CHECK(body.find("line_chart") != std::string::npos);
}
