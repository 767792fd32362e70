#include <doctest/doctest.h>

#include <string>

#include "actors/conversation_memory.hpp"
#include "actors/history_record.hpp"

using namespace aw;
using actors::conversation_memory;
using actors::prior_chart_from_json;

namespace {

std::string request(const std::string& content) {
  protocol::analytics_payload p;
  p.content = content;
  p.theme.name = "dark";
  return actors::history_request_json(p);
}

std::string success(const std::string& type, const std::string& data) {
  return R"({"status":"success","duration_ms":5,"response":{"success":true,"data":)" + data +
         R"(,"metadata":{"chart_type":")" + type +
         R"(","title":"Sales","data_source":"synthetic","format":"svg","width":1000,"height":600}}})";
}

}  // namespace

TEST_CASE("conversation memory: a successful run's JSON becomes the chart a follow-up edits") {
  auto c = prior_chart_from_json(
      "run-1", request("Sales by region"),
      success("bar_chart_vertical", R"({"labels":["A","B"],"values":[1,2],"statistics":{}})"));
  REQUIRE(c);
  CHECK(c->run_id == "run-1");
  CHECK(c->content == "Sales by region");
  CHECK(c->type == protocol::chart_type::bar_chart_vertical);
  CHECK(c->data.labels == std::vector<std::string>{"A", "B"});
  CHECK(c->data.values == std::vector<double>{1, 2});
  CHECK(c->theme == "dark");
  CHECK(c->format == protocol::image_format::svg);
  CHECK(c->width == 1000);

  auto s = prior_chart_from_json(
      "run-2", request("x"),
      success(
          "bar_chart_grouped",
          R"({"labels":["A","B"],"series":[{"name":"2023","values":[1,2]},{"name":"2024","values":[3,4]}]})"));
  REQUIRE(s);
  CHECK(s->data.series.size() == 2);
}

TEST_CASE("conversation memory: failures and malformed or hostile rows are not charts") {
  CHECK_FALSE(
      prior_chart_from_json("r", request("x"), R"({"status":"error","error":{"code":"TIMEOUT"}})"));
  CHECK_FALSE(prior_chart_from_json("r", request("x"), "{not json"));
  CHECK_FALSE(
      prior_chart_from_json("r", "[]", success("pie_chart", R"({"labels":["A"],"values":[1]})")));
  CHECK_FALSE(prior_chart_from_json("r", request("x"),
                                    success("not_a_type", R"({"labels":["A"],"values":[1]})")));
  // Lengths that do not match, wrong types, non-objects in series.
  CHECK_FALSE(prior_chart_from_json("r", request("x"),
                                    success("pie_chart", R"({"labels":["A","B"],"values":[1]})")));
  CHECK_FALSE(prior_chart_from_json("r", request("x"),
                                    success("pie_chart", R"({"labels":[1],"values":[1]})")));
  CHECK_FALSE(prior_chart_from_json(
      "r", request("x"), success("bar_chart_grouped", R"({"labels":["A"],"series":[5]})")));
  // Over the bound of a kept chart (256 KB), under the bound of a row read (1 MB).
  std::string huge = R"({"labels":[)";
  for (int i = 0; i < 1600; ++i) huge += (i ? ",\"" : "\"") + std::string(150, 'x') + "\"";
  huge += "],\"values\":[";
  for (int i = 0; i < 1600; ++i) huge += (i ? ",1" : "1");
  huge += "]}";
  CHECK_FALSE(prior_chart_from_json("r", request("x"), success("bar_chart_vertical", huge)));
}

TEST_CASE("conversation memory: the newest chart wins, a failed run keeps it, bounds hold") {
  conversation_memory m;
  CHECK_FALSE(m.known("c"));
  auto ok = success("bar_chart_vertical", R"({"labels":["A","B"],"values":[1,2]})");
  m.remember("c", "run-1", request("first"), true, ok);
  REQUIRE(m.last_chart("c"));
  CHECK(m.last_chart("c")->run_id == "run-1");
  m.remember("c", "run-2", request("second"), false, "");
  CHECK(m.last_chart("c")->run_id == "run-1");  // a failure leaves the last chart
  m.remember("c", "run-3", request("third"), true, "{bad");
  CHECK(m.last_chart("c") == nullptr);  // never an older chart than the newest success
  auto ctx = m.context("c");
  CHECK(ctx.find("first") != std::string::npos);
  CHECK(ctx.find("third") != std::string::npos);
  CHECK(ctx.size() <= conversation_memory::max_context_bytes);

  for (int i = 0; i < 40; ++i)
    m.remember("conv-" + std::to_string(i), "run", request(std::string(300, 'y')), true, ok);
  CHECK_FALSE(m.known("c"));  // least recently used went first
  CHECK(m.known("conv-39"));
  CHECK(m.context("conv-39").size() < 400);  // the request is cut
}

TEST_CASE("conversation memory: rows read back from the history give the last chart") {
  conversation_memory m;
  std::vector<store::message_record> rows(3);
  rows[0].run_id = "run-1";
  rows[0].request_json = request("Sales by region");
  rows[0].status = "success";
  rows[0].response_json = success("bar_chart_vertical", R"({"labels":["A"],"values":[1]})");
  rows[1].run_id = "run-2";
  rows[1].request_json = request("as a pie");
  rows[1].status = "success";
  rows[1].response_json = success("pie_chart", R"({"labels":["A"],"values":[1]})");
  rows[2].run_id = "run-3";  // still going
  rows[2].request_json = request("bigger");
  m.recall("c", rows);
  CHECK(m.known("c"));
  REQUIRE(m.last_chart("c"));
  CHECK(m.last_chart("c")->run_id == "run-2");
  CHECK(m.context("c").find("as a pie") != std::string::npos);
}
