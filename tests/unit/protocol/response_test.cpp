// write_response, write_chart_data and base64_encode.
#include <string>

#include "protocol/server_messages.hpp"
#include "test_util.hpp"

namespace aw::protocol {
namespace {

using test::parse_json;
using test::str;

std::string base64_decode(const std::string& in) {
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  unsigned bits = 0;
  int count = 0;
  for (char c : in) {
    if (c == '=') break;
    std::size_t v = alphabet.find(c);
    REQUIRE(v != std::string::npos);
    bits = (bits << 6) | static_cast<unsigned>(v);
    count += 6;
    if (count >= 8) {
      count -= 8;
      out += static_cast<char>((bits >> count) & 0xFF);
    }
  }
  return out;
}

TEST_CASE("base64 known vectors (RFC 4648)") {
  CHECK(base64_encode("") == "");
  CHECK(base64_encode("f") == "Zg==");
  CHECK(base64_encode("fo") == "Zm8=");
  CHECK(base64_encode("foo") == "Zm9v");
  CHECK(base64_encode("foob") == "Zm9vYg==");
  CHECK(base64_encode("fooba") == "Zm9vYmE=");
  CHECK(base64_encode("foobar") == "Zm9vYmFy");
  CHECK(base64_encode(std::string("\xFF\xFE\x00", 3)) == "//4A");
}

TEST_CASE("base64 round trips every byte value") {
  std::string bytes;
  for (int i = 0; i < 256 * 3 + 1; ++i) bytes += static_cast<char>(i * 7 % 256);
  for (std::size_t n :
       {std::size_t{0}, std::size_t{1}, std::size_t{2}, std::size_t{255}, bytes.size()}) {
    std::string part = bytes.substr(0, n);
    std::string enc = base64_encode(part);
    CHECK(enc.size() == (n + 2) / 3 * 4);
    CHECK(base64_decode(enc) == part);
  }
}

chart_data quarterly() {
  chart_data d;
  d.labels = {"Q1", "Q2", "Q3", "Q4"};
  d.values = {45000, 52000.5, 48000, 61000.25};
  return d;
}

TEST_CASE("chart data echo writes integral numbers without .0 and others exactly") {
  chart_data d = quarterly();
  std::string text = write_chart_data(d);
  CHECK(text == R"({"labels":["Q1","Q2","Q3","Q4"],"values":[45000,52000.5,48000,61000.25]})");
  d.values = {0.1, -0.0, 1e20, -3, 1.0 / 3, 9007199254740993.0, 1e-7};
  auto doc = parse_json(write_chart_data(d));
  const auto& v = doc["values"];
  CHECK(v[0].GetDouble() == 0.1);
  CHECK(v[1].GetDouble() == 0);
  CHECK(v[2].GetDouble() == 1e20);
  CHECK(v[3].IsInt());
  CHECK(v[3].GetInt() == -3);
  CHECK(v[4].GetDouble() == 1.0 / 3);
  CHECK(v[5].GetDouble() == 9007199254740993.0);
  CHECK(v[6].GetDouble() == 1e-7);
  CHECK(write_chart_data(d).find("-3,") != std::string::npos);
}

TEST_CASE("chart data echo of series and every extra shape") {
  chart_data d;
  d.labels = {"a", "b"};
  d.series = {{"2023", {1, 2}}, {"2024", {3, 4.5}}};
  d.points = {{1, 2, std::nullopt}, {3, 4, 5.5}};
  d.candles = {{"Mon", 10, 12, 9, 11}};
  d.matrix = {{1, 2}, {3, 4}};
  d.row_labels = {"r1", "r2"};
  d.column_labels = {"c1", "c2"};
  d.groups = {{"samples", {1, 2, 3}}};
  auto doc = parse_json(write_chart_data(d));
  CHECK_FALSE(doc.HasMember("values"));
  REQUIRE(doc["series"].Size() == 2);
  CHECK(str(doc["series"][1]["name"]) == "2024");
  CHECK(doc["series"][1]["values"][1].GetDouble() == 4.5);
  CHECK_FALSE(doc["points"][0].HasMember("size"));
  CHECK(doc["points"][1]["size"].GetDouble() == 5.5);
  CHECK(str(doc["ohlc"][0]["label"]) == "Mon");
  CHECK(doc["ohlc"][0]["high"].GetInt() == 12);
  CHECK(doc["matrix"][1][0].GetInt() == 3);
  CHECK(str(doc["rows"][1]) == "r2");
  CHECK(str(doc["columns"][0]) == "c1");
  CHECK(str(doc["groups"][0]["name"]) == "samples");
  CHECK(doc["groups"][0]["values"].Size() == 3);
  CHECK_FALSE(doc.HasMember("statistics"));
}

TEST_CASE("a request's data round trips through parse and echo") {
  const std::string data =
      R"({"labels":["Q1","Q2"],"series":[{"name":"2023","values":[1,2]},{"name":"2024","values":[3,4.5]}]})";
  auto r = test::expect_message<analytics_request>(
      R"({"type":"analytics_request","correlation_id":"c","payload":{"content":"x","data":)" +
      data + "}}");
  CHECK(write_chart_data(*r.payload.data) == data);
  const std::string shapes =
      R"({"labels":[],"values":[],"points":[{"x":1,"y":2,"size":3}],"ohlc":[{"label":"d","open":1,"high":2,"low":0.5,"close":1.5}],"matrix":[[1,2]],"rows":["r"],"columns":["a","b"],"groups":[{"name":"g","values":[7]}]})";
  r = test::expect_message<analytics_request>(
      R"({"type":"analytics_request","correlation_id":"c","payload":{"content":"x","data":{"points":[{"x":1,"y":2,"size":3}],"ohlc":[{"label":"d","open":1,"high":2,"low":0.5,"close":1.5}],"matrix":[[1,2]],"rows":["r"],"columns":["a","b"],"groups":[{"name":"g","values":[7]}]}}})");
  CHECK(write_chart_data(*r.payload.data) == shapes);
}

run_response sample_response(const std::string* image, const chart_data* data) {
  run_response r;
  r.image = image;
  r.chart_url = "/charts/ch-1";
  r.data = data;
  r.stats.count = 4;
  r.stats.sum = 206000.75;
  r.stats.mean = 51500.1875;
  r.stats.median = 50000.25;
  r.stats.min = 45000;
  r.stats.max = 61000.25;
  r.stats.std_dev = 6124.7;
  r.stats.growth_pct = 35.56;
  r.insights = {"Revenue grew 35.6% from Q1 to Q4", "Q4 was the best quarter"};
  r.narrative = "Revenue rose.";
  r.metadata.type = chart_type::bar_chart_vertical;
  r.metadata.title = "Q1-Q4 2024 Revenue";
  r.metadata.data_source = "user";
  r.metadata.llm_provider = "builtin";
  r.metadata.width = 640;
  r.metadata.height = 400;
  r.metadata.generation_time_ms = 37;
  return r;
}

TEST_CASE("write_response with a PNG and values") {
  std::string image("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);
  chart_data d = quarterly();
  run_response r = sample_response(&image, &d);
  std::string text = write_response(r);
  auto doc = parse_json(text);
  CHECK(doc["success"].GetBool());
  CHECK(str(doc["chart"]) == "data:image/png;base64," + base64_encode(image));
  CHECK(str(doc["chart_url"]) == "/charts/ch-1");
  const auto& data = doc["data"];
  CHECK(data["labels"].Size() == 4);
  CHECK(data["values"][1].GetDouble() == 52000.5);
  CHECK_FALSE(data.HasMember("series_statistics"));
  const auto& st = data["statistics"];
  CHECK(st["count"].GetInt() == 4);
  CHECK(st["sum"].GetDouble() == 206000.75);
  CHECK(st["mean"].GetDouble() == 51500.1875);
  CHECK(st["median"].GetDouble() == 50000.25);
  CHECK(st["min"].IsInt());
  CHECK(st["min"].GetInt() == 45000);
  CHECK(st["max"].GetDouble() == 61000.25);
  CHECK(st["std_dev"].GetDouble() == 6124.7);
  CHECK(st["growth_pct"].GetDouble() == 35.56);
  REQUIRE(doc["insights"].Size() == 2);
  CHECK(str(doc["insights"][0]) == "Revenue grew 35.6% from Q1 to Q4");
  CHECK(str(doc["narrative"]) == "Revenue rose.");
  const auto& md = doc["metadata"];
  CHECK(str(md["chart_type"]) == "bar_chart_vertical");
  CHECK(str(md["title"]) == "Q1-Q4 2024 Revenue");
  CHECK(str(md["generation_method"]) == "gnuplot");
  CHECK(str(md["data_source"]) == "user");
  CHECK(str(md["llm_provider"]) == "builtin");
  CHECK(str(md["format"]) == "png");
  CHECK(md["width"].GetInt() == 640);
  CHECK(md["height"].GetInt() == 400);
  CHECK(md["generation_time_ms"].GetInt() == 37);
  CHECK_FALSE(md.HasMember("refined_from"));  // only a follow-up has it
  CHECK(text.find("\"generation_time_ms\":37}") != std::string::npos);
  r.metadata.refined_from = "run-7";
  auto refined = parse_json(write_response(r));
  CHECK(str(refined["metadata"]["refined_from"]) == "run-7");
  CHECK(text.find(".0,") == std::string::npos);
  CHECK(text.find(".0]") == std::string::npos);
  CHECK(text.find(".0}") == std::string::npos);
}

TEST_CASE("write_response with an SVG, series and no growth") {
  std::string image = "<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>";
  chart_data d;
  d.labels = {"Q1", "Q2"};
  d.series = {{"2023", {1, 2}}, {"2024", {3, 4.5}}};
  run_response r = sample_response(&image, &d);
  r.metadata.format = image_format::svg;
  r.stats.growth_pct.reset();
  statistics s1;
  s1.count = 2;
  s1.sum = 3;
  statistics s2;
  s2.count = 2;
  s2.sum = 7.5;
  s2.growth_pct = 50;
  r.series_stats = {s1, s2};
  auto doc = parse_json(write_response(r));
  CHECK(str(doc["chart"]) == "data:image/svg+xml;base64," + base64_encode(image));
  CHECK(str(doc["metadata"]["format"]) == "svg");
  const auto& data = doc["data"];
  CHECK_FALSE(data.HasMember("values"));
  CHECK(data["series"].Size() == 2);
  CHECK(data["statistics"]["growth_pct"].IsNull());
  const auto& ss = data["series_statistics"];
  REQUIRE(ss.Size() == 2);
  CHECK(str(ss[0]["name"]) == "2023");
  CHECK(ss[0]["growth_pct"].IsNull());
  CHECK(str(ss[1]["name"]) == "2024");
  CHECK(ss[1]["sum"].GetDouble() == 7.5);
  CHECK(ss[1]["growth_pct"].GetInt() == 50);
}

TEST_CASE("write_response without image or data is still valid JSON") {
  run_response r;
  auto doc = parse_json(write_response(r));
  CHECK(str(doc["chart"]) == "data:image/png;base64,");
  CHECK(doc["data"]["labels"].Size() == 0);
  CHECK(doc["data"]["values"].Size() == 0);
  CHECK(doc["data"]["statistics"]["count"].GetInt() == 0);
}

TEST_CASE("a large image is encoded in full") {
  std::string image(3 * 1024 * 1024 + 2, '\0');
  for (std::size_t i = 0; i < image.size(); ++i) image[i] = static_cast<char>(i * 31 % 251);
  chart_data d = quarterly();
  run_response r = sample_response(&image, &d);
  auto doc = parse_json(write_response(r));
  std::string chart = str(doc["chart"]);
  CHECK(chart == "data:image/png;base64," + base64_encode(image));
}

}  // namespace
}  // namespace aw::protocol
