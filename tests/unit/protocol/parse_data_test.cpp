// Every accepted data shape parses into chart_data.
#include <string>

#include "test_util.hpp"

namespace aw::protocol {
namespace {

chart_data parse_data(const std::string& data) {
  auto r = test::expect_message<analytics_request>(
      R"({"type":"analytics_request","correlation_id":"c","payload":{"content":"x","data":)" +
      data + "}}");
  REQUIRE(r.payload.data.has_value());
  return *r.payload.data;
}

TEST_CASE("labels with values") {
  chart_data d = parse_data(R"({"labels":["Q1","Q2",""],"values":[-1.5,0,1e300]})");
  CHECK(d.labels == std::vector<std::string>{"Q1", "Q2", ""});
  CHECK(d.values == std::vector<double>{-1.5, 0, 1e300});
  CHECK(d.series.empty());
  CHECK(d.points.empty());
}

TEST_CASE("labels with series") {
  chart_data d = parse_data(
      R"({"labels":["Q1","Q2"],"series":[{"name":"2023","values":[1,2]},{"name":"2024","values":[3,4.5]}],"values":null})");
  CHECK(d.values.empty());
  REQUIRE(d.series.size() == 2);
  CHECK(d.has_series());
  CHECK(d.series[0].name == "2023");
  CHECK(d.series[1].values == std::vector<double>{3, 4.5});
}

TEST_CASE("points with and without size") {
  chart_data d = parse_data(R"({"points":[{"x":1,"y":2},{"x":-3.5,"y":4,"size":0.5}]})");
  REQUIRE(d.points.size() == 2);
  CHECK(d.points[0].x == 1);
  CHECK(d.points[0].y == 2);
  CHECK_FALSE(d.points[0].size.has_value());
  CHECK(d.points[1].x == -3.5);
  REQUIRE(d.points[1].size.has_value());
  CHECK(*d.points[1].size == 0.5);
  CHECK(d.labels.empty());
}

TEST_CASE("ohlc candles, label optional") {
  chart_data d = parse_data(
      R"({"ohlc":[{"label":"Mon","open":10,"high":12,"low":9,"close":11},{"open":11,"high":11,"low":8,"close":8}]})");
  REQUIRE(d.candles.size() == 2);
  CHECK(d.candles[0].label == "Mon");
  CHECK(d.candles[0].open == 10);
  CHECK(d.candles[0].high == 12);
  CHECK(d.candles[0].low == 9);
  CHECK(d.candles[0].close == 11);
  CHECK(d.candles[1].label.empty());
}

TEST_CASE("matrix with row and column names") {
  chart_data d =
      parse_data(R"({"matrix":[[1,2,3],[4,5,6]],"rows":["r1","r2"],"columns":["a","b","c"]})");
  REQUIRE(d.matrix.size() == 2);
  CHECK(d.matrix[1] == std::vector<double>{4, 5, 6});
  CHECK(d.row_labels == std::vector<std::string>{"r1", "r2"});
  CHECK(d.column_labels == std::vector<std::string>{"a", "b", "c"});
  d = parse_data(R"({"matrix":[[1]]})");
  CHECK(d.row_labels.empty());
}

TEST_CASE("a 100 x 100 matrix is at the limit") {
  std::string row = "[";
  for (int i = 0; i < 100; ++i) row += (i ? ",1" : "1");
  row += "]";
  std::string m = "[";
  for (int i = 0; i < 100; ++i) m += (i ? "," : "") + row;
  m += "]";
  chart_data d = parse_data(R"({"matrix":)" + m + "}");
  CHECK(d.matrix.size() == 100);
}

TEST_CASE("samples become one group named samples") {
  chart_data d = parse_data(R"({"samples":[3,1,2]})");
  REQUIRE(d.groups.size() == 1);
  CHECK(d.groups[0].name == "samples");
  CHECK(d.groups[0].values == std::vector<double>{3, 1, 2});
}

TEST_CASE("groups of samples") {
  chart_data d =
      parse_data(R"({"groups":[{"name":"A","values":[1,2,3]},{"name":"B","values":[4]}]})");
  REQUIRE(d.groups.size() == 2);
  CHECK(d.groups[0].name == "A");
  CHECK(d.groups[1].values == std::vector<double>{4});
}

TEST_CASE("labels may come with an extra shape alone, shapes combine") {
  chart_data d = parse_data(R"({"labels":["a","b"],"points":[{"x":1,"y":2}]})");
  CHECK(d.labels.size() == 2);
  CHECK(d.values.empty());
  CHECK(d.points.size() == 1);
  d = parse_data(
      R"({"labels":["a"],"values":[1],"points":[{"x":1,"y":2}],"samples":[1,2],"ohlc":[{"open":1,"high":1,"low":1,"close":1}]})");
  CHECK(d.values.size() == 1);
  CHECK(d.points.size() == 1);
  CHECK(d.groups.size() == 1);
  CHECK(d.candles.size() == 1);
}

TEST_CASE("10000 values are at the limit") {
  std::string labels = "[", values = "[";
  for (int i = 0; i < 10000; ++i) {
    labels += (i ? ",\"l\"" : "\"l\"");
    values += (i ? ",2.5" : "2.5");
  }
  chart_data d = parse_data(R"({"labels":)" + labels + R"(],"values":)" + values + "]}");
  CHECK(d.values.size() == 10000);
}

}  // namespace
}  // namespace aw::protocol
