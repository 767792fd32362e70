// Malformed client frames -> exact error codes and messages naming the field.
#include <string>
#include <vector>

#include "test_util.hpp"

namespace aw::protocol {
namespace {

using test::expect_error;

struct bad_case {
  std::string name;
  std::string frame;
  error_code code;
  std::string message_part;  // must occur in the error message
  std::string echoed_cid;    // expected error.correlation_id ("" = none)
};

const std::string kOk = R"("content":"Show quarterly revenue growth for 2024")";

// An analytics_request with correlation_id "c-1" and `extra` added to a valid payload.
std::string request_with(const std::string& extra) {
  return R"({"type":"analytics_request","correlation_id":"c-1","payload":{)" + kOk + "," + extra +
         "}}";
}

std::string data_with(const std::string& data) {
  return request_with(R"("data":)" + data);
}

std::string repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

std::string number_list(int n) {
  std::string out = "[";
  for (int i = 0; i < n; ++i) out += (i ? ",1" : "1");
  return out + "]";
}

std::string label_list(int n) {
  std::string out = "[";
  for (int i = 0; i < n; ++i) out += (i ? ",\"a\"" : "\"a\"");
  return out + "]";
}

void run_table(const std::vector<bad_case>& cases) {
  for (const bad_case& c : cases) {
    CAPTURE(c.name);
    protocol_error e = expect_error(c.frame);
    CHECK_MESSAGE(e.code == c.code,
                  c.name << ": got " << to_string(e.code) << " (" << e.message << ")");
    CHECK_MESSAGE(e.message.find(c.message_part) != std::string::npos,
                  c.name << ": message \"" << e.message << "\" lacks \"" << c.message_part << "\"");
    CHECK_MESSAGE(e.correlation_id == c.echoed_cid, c.name << ": cid " << e.correlation_id);
  }
}

const error_code kJson = error_code::invalid_json;
const error_code kType = error_code::unknown_type;
const error_code kInvalid = error_code::validation_failed;
const error_code kChart = error_code::unsupported_chart_type;

TEST_CASE("accept.js bad_input frames give the expected codes") {
  const std::string cid = R"("correlation_id":"c-1")";
  run_table({
      {"non-JSON frame", "this is {not json", kJson, "not valid JSON", ""},
      {"JSON array", "[1,2,3]", kJson, "must be a JSON object", ""},
      {"JSON number", "42", kJson, "must be a JSON object", ""},
      {"unknown type", R"({"type":"frobnicate",)" + cid + "}", kType, "\"frobnicate\"", "c-1"},
      {"missing type", "{" + cid + "}", kType, "type is required", "c-1"},
      {"non-string type", R"({"type":5,)" + cid + "}", kType, "type is required", "c-1"},
      {"missing content", R"({"type":"analytics_request","payload":{},)" + cid + "}", kInvalid,
       "payload.content is required", "c-1"},
      {"missing payload", R"({"type":"analytics_request",)" + cid + "}", kInvalid,
       "payload is required", "c-1"},
      {"empty content", R"({"type":"analytics_request","payload":{"content":""},)" + cid + "}",
       kInvalid, "payload.content", "c-1"},
      {"content 4001 chars",
       R"({"type":"analytics_request","payload":{"content":")" + std::string(4001, 'x') + "\"}," +
           cid + "}",
       kInvalid, "payload.content", "c-1"},
      {"missing correlation_id", R"({"type":"analytics_request","payload":{)" + kOk + "}}",
       kInvalid, "correlation_id is required (string, 1..256 chars)", ""},
      {"chart_preference nope", request_with(R"("chart_preference":"nope")"), kChart, "\"nope\"",
       "c-1"},
      {"width 10", request_with(R"("width":10)"), kInvalid,
       "payload.width must be an integer 200..4000", "c-1"},
      {"height 5000", request_with(R"("height":5000)"), kInvalid,
       "payload.height must be an integer 200..4000", "c-1"},
      {"width as string", request_with(R"("width":"800")"), kInvalid, "payload.width", "c-1"},
      {"values not numbers", data_with(R"({"labels":["a","b"],"values":["x","y"]})"), kInvalid,
       "payload.data.values[0] must be a finite number", "c-1"},
      {"labels/values length mismatch", data_with(R"({"labels":["a","b","c"],"values":[1,2]})"),
       kInvalid, "payload.data.labels and payload.data.values differ in length (3 vs 2)", "c-1"},
      {"format gif", request_with(R"("format":"gif")"), kInvalid, "payload.format", "c-1"},
      {"query without query", R"({"type":"query",)" + cid + "}", kInvalid, "query is required",
       "c-1"},
  });
}

TEST_CASE("malformed frames and envelope fields") {
  const std::string cid = R"("correlation_id":"c-1")";
  run_table({
      {"empty frame", "", kJson, "not valid JSON", ""},
      {"JSON string", R"("ping")", kJson, "must be a JSON object", ""},
      {"JSON null", "null", kJson, "must be a JSON object", ""},
      {"trailing garbage", R"({"type":"ping"} x)", kJson, "not valid JSON", ""},
      {"two objects", R"({"type":"ping"}{"type":"ping"})", kJson, "not valid JSON", ""},
      {"NUL byte", std::string("{\"type\":\"ping\"}\0x", 17), kJson, "NUL", ""},
      {"invalid UTF-8", "{\"type\":\"ping\",\"x\":\"\xC3\x28\"}", kJson, "not valid JSON", ""},
      {"overlong UTF-8", "{\"type\":\"ping\",\"x\":\"\xC0\xAF\"}", kJson, "not valid JSON", ""},
      {"NaN literal", R"({"type":"ping","x":NaN})", kJson, "not valid JSON", ""},
      {"number overflow", R"({"type":"ping","x":1e400})", kJson, "not valid JSON", ""},
      {"single quotes", "{'type':'ping'}", kJson, "not valid JSON", ""},
      {"type null", R"({"type":null,)" + cid + "}", kType, "type is required", "c-1"},
      {"type object", R"({"type":{},)" + cid + "}", kType, "type is required", "c-1"},
      {"type empty", R"({"type":"",)" + cid + "}", kType, "unknown type", "c-1"},
      {"type wrong case", R"({"type":"PING"})", kType, "unknown type \"PING\"", ""},
      {"server type", R"({"type":"connection_ack"})", kType, "unknown type", ""},
      {"long type is cut", R"({"type":")" + std::string(300, 'x') + "\"}", kType, "...", ""},
      {"non-string cid is not echoed",
       R"({"type":"analytics_request","correlation_id":5,"payload":{)" + kOk + "}}", kInvalid,
       "correlation_id is required", ""},
      {"empty cid", R"({"type":"analytics_request","correlation_id":"","payload":{)" + kOk + "}}",
       kInvalid, "correlation_id is required", ""},
      {"cid of 257 chars",
       R"({"type":"analytics_request","correlation_id":")" + std::string(257, 'c') +
           R"(","payload":{)" + kOk + "}}",
       kInvalid, "correlation_id is required", std::string(257, 'c')},
      {"message_id not a string",
       R"({"type":"analytics_request","message_id":7,)" + cid + R"(,"payload":{)" + kOk + "}}",
       kInvalid, "message_id", "c-1"},
      {"message_id of 257 chars",
       R"({"type":"analytics_request","message_id":")" + std::string(257, 'm') + "\"," + cid +
           R"(,"payload":{)" + kOk + "}}",
       kInvalid, "message_id", "c-1"},
      {"conversation_id with a space",
       R"({"type":"analytics_request","conversation_id":"a b",)" + cid + R"(,"payload":{)" + kOk +
           "}}",
       kInvalid, "conversation_id", "c-1"},
      {"conversation_id empty",
       R"({"type":"analytics_request","conversation_id":"",)" + cid + R"(,"payload":{)" + kOk +
           "}}",
       kInvalid, "conversation_id", "c-1"},
      {"conversation_id of 129 chars",
       R"({"type":"analytics_request","conversation_id":")" + std::string(129, 'a') + "\"," + cid +
           R"(,"payload":{)" + kOk + "}}",
       kInvalid, "conversation_id", "c-1"},
      {"payload not an object", R"({"type":"analytics_request",)" + cid + R"(,"payload":"x"})",
       kInvalid, "payload is required (object)", "c-1"},
      {"payload null", R"({"type":"analytics_request",)" + cid + R"(,"payload":null})", kInvalid,
       "payload is required", "c-1"},
      {"content not a string",
       R"({"type":"analytics_request",)" + cid + R"(,"payload":{"content":5}})", kInvalid,
       "payload.content is required (string, 1..4000 chars)", "c-1"},
      {"content of 4001 code points",
       R"({"type":"analytics_request",)" + cid + R"(,"payload":{"content":")" +
           repeat("\xE6\x97\xA5", 4001) + "\"}}",
       kInvalid, "payload.content", "c-1"},
  });
}

TEST_CASE("payload fields out of range") {
  run_table({
      {"width 800.5", request_with(R"("width":800.5)"), kInvalid, "payload.width", "c-1"},
      {"width 199", request_with(R"("width":199)"), kInvalid, "payload.width", "c-1"},
      {"width 4001", request_with(R"("width":4001)"), kInvalid, "payload.width", "c-1"},
      {"width negative", request_with(R"("width":-800)"), kInvalid, "payload.width", "c-1"},
      {"width huge", request_with(R"("width":1e30)"), kInvalid, "payload.width", "c-1"},
      {"width bool", request_with(R"("width":true)"), kInvalid, "payload.width", "c-1"},
      {"height as string", request_with(R"("height":"500")"), kInvalid, "payload.height", "c-1"},
      {"title empty", request_with(R"("title":"")"), kInvalid, "payload.title", "c-1"},
      {"title 201 chars", request_with(R"("title":")" + std::string(201, 't') + "\""), kInvalid,
       "payload.title", "c-1"},
      {"title number", request_with(R"("title":3)"), kInvalid, "payload.title", "c-1"},
      {"use_synthetic_data string", request_with(R"("use_synthetic_data":"yes")"), kInvalid,
       "payload.use_synthetic_data must be a boolean", "c-1"},
      {"enhance_labels number", request_with(R"("enhance_labels":1)"), kInvalid,
       "payload.enhance_labels must be a boolean", "c-1"},
      {"chart_preference number", request_with(R"("chart_preference":5)"), kInvalid,
       "payload.chart_preference must be a string", "c-1"},
      {"chart_preference wrong case", request_with(R"("chart_preference":"Pie_Chart")"), kChart,
       "\"Pie_Chart\"", "c-1"},
      {"format PNG", request_with(R"("format":"PNG")"), kInvalid, "payload.format", "c-1"},
      {"format number", request_with(R"("format":1)"), kInvalid, "payload.format", "c-1"},
      {"theme unknown", request_with(R"("theme":"neon")"), kInvalid, "payload.theme", "c-1"},
      {"theme custom by name", request_with(R"("theme":"custom")"), kInvalid, "payload.theme",
       "c-1"},
      {"theme number", request_with(R"("theme":3)"), kInvalid, "payload.theme", "c-1"},
      {"theme missing tertiary",
       request_with(R"("theme":{"primary":"#3B82F6","secondary":"#10B981"})"), kInvalid,
       "payload.theme.tertiary", "c-1"},
      {"theme bad colour",
       request_with(R"("theme":{"primary":"#3B82F","secondary":"#10B981","tertiary":"#F59E0B"})"),
       kInvalid, "payload.theme.primary", "c-1"},
      {"theme colour not hex",
       request_with(R"("theme":{"primary":"#3B82F6","secondary":"#10B9ZZ","tertiary":"#F59E0B"})"),
       kInvalid, "payload.theme.secondary", "c-1"},
  });
}

TEST_CASE("cancel, resume, ack and query errors") {
  run_table({
      {"cancel without cid", R"({"type":"cancel"})", kInvalid, "correlation_id is required", ""},
      {"cancel cid number", R"({"type":"cancel","correlation_id":1})", kInvalid, "correlation_id",
       ""},
      {"resume missing", R"({"type":"resume"})", kInvalid, "last_seq is required", ""},
      {"resume -5", R"({"type":"resume","last_seq":-5})", kInvalid, "last_seq", ""},
      {"resume x", R"({"type":"resume","last_seq":"x"})", kInvalid, "last_seq", ""},
      {"resume null", R"({"type":"resume","last_seq":null})", kInvalid, "last_seq", ""},
      {"resume 1.5", R"({"type":"resume","last_seq":1.5})", kInvalid, "last_seq", ""},
      {"resume 2^53+1", R"({"type":"resume","last_seq":9007199254740993})", kInvalid, "last_seq",
       ""},
      {"resume 2^64", R"({"type":"resume","last_seq":18446744073709551616})", kInvalid, "last_seq",
       ""},
      {"resume 1e300", R"({"type":"resume","last_seq":1e300})", kInvalid, "last_seq", ""},
      {"resume with cid echoes it", R"({"type":"resume","last_seq":-1,"correlation_id":"r"})",
       kInvalid, "last_seq", "r"},
      {"ack missing", R"({"type":"ack"})", kInvalid, "seq is required", ""},
      {"ack -5", R"({"type":"ack","seq":-5})", kInvalid, "seq", ""},
      {"ack x", R"({"type":"ack","seq":"x"})", kInvalid, "seq", ""},
      {"ack 1.5", R"({"type":"ack","seq":1.5})", kInvalid, "seq", ""},
      {"ack above 2^53", R"({"type":"ack","seq":9007199254740994})", kInvalid, "seq", ""},
      {"query empty", R"({"type":"query","query":"","correlation_id":"q"})", kInvalid,
       "query is required", "q"},
      {"query number", R"({"type":"query","query":1,"correlation_id":"q"})", kInvalid,
       "query is required", "q"},
      {"query 4001 chars",
       R"({"type":"query","query":")" + std::string(4001, 'q') + R"(","correlation_id":"q"})",
       kInvalid, "query", "q"},
      {"query without cid", R"({"type":"query","query":"hello"})", kInvalid,
       "correlation_id is required", ""},
      {"query bad conversation_id",
       R"({"type":"query","query":"hello","correlation_id":"q","conversation_id":"a/b"})", kInvalid,
       "conversation_id", "q"},
  });
}

TEST_CASE("data shape errors name the field") {
  run_table({
      {"data not an object", data_with(R"("abc")"), kInvalid,
       "payload.data must be an object or null", "c-1"},
      {"data array", data_with("[1,2]"), kInvalid, "payload.data must be an object", "c-1"},
      {"data empty object", data_with("{}"), kInvalid,
       "payload.data must hold values, series, points", "c-1"},
      {"labels only", data_with(R"({"labels":["a"]})"), kInvalid,
       "payload.data.labels needs payload.data.values or payload.data.series", "c-1"},
      {"values and series",
       data_with(R"({"labels":["a"],"values":[1],"series":[{"name":"s","values":[1]}]})"), kInvalid,
       "payload.data has both values and series", "c-1"},
      {"values without labels", data_with(R"({"values":[1,2]})"), kInvalid,
       "payload.data.labels is required with payload.data.values", "c-1"},
      {"series without labels", data_with(R"({"series":[{"name":"s","values":[1]}]})"), kInvalid,
       "payload.data.labels is required with payload.data.series", "c-1"},
      {"values null entry", data_with(R"({"labels":["a","b"],"values":[1,null]})"), kInvalid,
       "payload.data.values[1] must be a finite number", "c-1"},
      {"values bool entry", data_with(R"({"labels":["a","b"],"values":[1,true]})"), kInvalid,
       "payload.data.values[1] must be a finite number", "c-1"},
      {"values not an array", data_with(R"({"labels":["a"],"values":5})"), kInvalid,
       "payload.data.values must be an array", "c-1"},
      {"empty values", data_with(R"({"labels":[],"values":[]})"), kInvalid, "must not be empty",
       "c-1"},
      {"empty labels", data_with(R"({"labels":[],"values":[1]})"), kInvalid,
       "payload.data.labels must not be empty", "c-1"},
      {"label not a string", data_with(R"({"labels":["a",2],"values":[1,2]})"), kInvalid,
       "payload.data.labels[1] must be a string", "c-1"},
      {"label of 201 chars",
       data_with(R"({"labels":[")" + std::string(201, 'l') + R"("],"values":[1]})"), kInvalid,
       "payload.data.labels[0]", "c-1"},
      {"10001 values",
       data_with(R"({"labels":)" + label_list(10001) + R"(,"values":)" + number_list(10001) + "}"),
       kInvalid, "more than 10000 entries", "c-1"},
      {"empty series", data_with(R"({"labels":["a"],"series":[]})"), kInvalid,
       "payload.data.series must not be empty", "c-1"},
      {"51 series",
       data_with(R"({"labels":["a"],"series":[)" + repeat(R"({"name":"s","values":[1]},)", 50) +
                 R"({"name":"s","values":[1]}]})"),
       kInvalid, "payload.data.series has more than 50 entries", "c-1"},
      {"series entry not an object", data_with(R"({"labels":["a"],"series":[1]})"), kInvalid,
       "payload.data.series[0] must be an object", "c-1"},
      {"series without name", data_with(R"({"labels":["a"],"series":[{"values":[1]}]})"), kInvalid,
       "payload.data.series[0].name", "c-1"},
      {"series name number", data_with(R"({"labels":["a"],"series":[{"name":1,"values":[1]}]})"),
       kInvalid, "payload.data.series[0].name", "c-1"},
      {"series without values", data_with(R"({"labels":["a"],"series":[{"name":"s"}]})"), kInvalid,
       "payload.data.series[0].values", "c-1"},
      {"series value not a number",
       data_with(R"({"labels":["a","b"],"series":[{"name":"s","values":[1,"2"]}]})"), kInvalid,
       "payload.data.series[0].values[1] must be a finite number", "c-1"},
      {"series length mismatch",
       data_with(
           R"({"labels":["a","b"],"series":[{"name":"s","values":[1,2]},{"name":"t","values":[1,2,3]}]})"),
       kInvalid, "payload.data.labels and payload.data.series[1].values differ in length (2 vs 3)",
       "c-1"},
      {"points empty", data_with(R"({"points":[]})"), kInvalid,
       "payload.data.points must not be empty", "c-1"},
      {"points entry not an object", data_with(R"({"points":[[1,2]]})"), kInvalid,
       "payload.data.points[0] must be an object", "c-1"},
      {"point without x", data_with(R"({"points":[{"x":1,"y":2},{"y":2}]})"), kInvalid,
       "payload.data.points[1].x must be a finite number", "c-1"},
      {"point y string", data_with(R"({"points":[{"x":1,"y":"2"}]})"), kInvalid,
       "payload.data.points[0].y must be a finite number", "c-1"},
      {"point size 0", data_with(R"({"points":[{"x":1,"y":2,"size":0}]})"), kInvalid,
       "payload.data.points[0].size must be a number > 0", "c-1"},
      {"point size negative", data_with(R"({"points":[{"x":1,"y":2,"size":-3}]})"), kInvalid,
       "payload.data.points[0].size", "c-1"},
      {"10001 points",
       data_with(R"({"points":[)" + repeat(R"({"x":1,"y":2},)", 10000) + R"({"x":1,"y":2}]})"),
       kInvalid, "payload.data.points has more than 10000 entries", "c-1"},
      {"ohlc empty", data_with(R"({"ohlc":[]})"), kInvalid, "payload.data.ohlc must not be empty",
       "c-1"},
      {"ohlc missing close", data_with(R"({"ohlc":[{"open":1,"high":2,"low":0}]})"), kInvalid,
       "payload.data.ohlc[0].close must be a finite number", "c-1"},
      {"ohlc high below open", data_with(R"({"ohlc":[{"open":3,"high":2,"low":0,"close":1}]})"),
       kInvalid, "payload.data.ohlc[0].high must be >= open and close", "c-1"},
      {"ohlc high below close",
       data_with(
           R"({"ohlc":[{"open":1,"high":4,"low":0,"close":2},{"open":1,"high":2,"low":0,"close":3}]})"),
       kInvalid, "payload.data.ohlc[1].high", "c-1"},
      {"ohlc low above close", data_with(R"({"ohlc":[{"open":3,"high":4,"low":2,"close":1}]})"),
       kInvalid, "payload.data.ohlc[0].low must be <= open and close", "c-1"},
      {"ohlc label number",
       data_with(R"({"ohlc":[{"label":1,"open":1,"high":2,"low":0,"close":1}]})"), kInvalid,
       "payload.data.ohlc[0].label", "c-1"},
      {"matrix empty", data_with(R"({"matrix":[]})"), kInvalid,
       "payload.data.matrix must not be empty", "c-1"},
      {"matrix empty row", data_with(R"({"matrix":[[]]})"), kInvalid,
       "payload.data.matrix[0] must not be empty", "c-1"},
      {"matrix row not an array", data_with(R"({"matrix":[1,2]})"), kInvalid,
       "payload.data.matrix[0] must be an array", "c-1"},
      {"matrix ragged", data_with(R"({"matrix":[[1,2],[3]]})"), kInvalid,
       "payload.data.matrix[1] has 1 entries, expected 2", "c-1"},
      {"matrix cell string", data_with(R"({"matrix":[[1,2],[3,"4"]]})"), kInvalid,
       "payload.data.matrix[1][1] must be a finite number", "c-1"},
      {"matrix over 10000 cells",
       data_with(R"({"matrix":[)" + repeat(number_list(100) + ",", 100) + number_list(100) + "]}"),
       kInvalid, "payload.data.matrix has more than 10000 cells", "c-1"},
      {"matrix rows mismatch", data_with(R"({"matrix":[[1,2],[3,4]],"rows":["a"]})"), kInvalid,
       "payload.data.rows and payload.data.matrix rows differ in length (1 vs 2)", "c-1"},
      {"matrix columns mismatch", data_with(R"({"matrix":[[1,2],[3,4]],"columns":["a","b","c"]})"),
       kInvalid, "payload.data.columns and payload.data.matrix columns differ in length (3 vs 2)",
       "c-1"},
      {"rows without matrix", data_with(R"({"labels":["a"],"values":[1],"rows":["a"]})"), kInvalid,
       "need payload.data.matrix", "c-1"},
      {"samples empty", data_with(R"({"samples":[]})"), kInvalid,
       "payload.data.samples must not be empty", "c-1"},
      {"samples not numbers", data_with(R"({"samples":[1,"x"]})"), kInvalid,
       "payload.data.samples[1] must be a finite number", "c-1"},
      {"samples and groups", data_with(R"({"samples":[1],"groups":[{"name":"g","values":[1]}]})"),
       kInvalid, "payload.data has both samples and groups", "c-1"},
      {"groups empty", data_with(R"({"groups":[]})"), kInvalid,
       "payload.data.groups must not be empty", "c-1"},
      {"group values empty", data_with(R"({"groups":[{"name":"g","values":[]}]})"), kInvalid,
       "payload.data.groups[0].values must not be empty", "c-1"},
      {"group without name", data_with(R"({"groups":[{"values":[1]}]})"), kInvalid,
       "payload.data.groups[0].name", "c-1"},
      {"bad shape beside a good one",
       data_with(R"({"labels":["a"],"values":[1],"points":[{"x":1}]})"), kInvalid,
       "payload.data.points[0].y", "c-1"},
  });
}

}  // namespace
}  // namespace aw::protocol

namespace aw::protocol {

TEST_CASE("an unknown chart type suggests the nearest one") {
  auto near = [](std::string_view name) {
    auto t = nearest_chart_type(name);
    return t ? std::string(to_string(*t)) : std::string("-");
  };
  CHECK(near("bar_chart_vertcal") == "bar_chart_vertical");   // a typo
  CHECK(near("Bar-Chart-Vertical") == "bar_chart_vertical");  // case and dashes
  CHECK(near("pie") == "pie_chart");                          // "_chart" left out
  CHECK(near("scatter") == "scatter_plot");
  CHECK(near("vertical_bar") == "bar_chart_vertical");  // words in another order
  CHECK(near("histogramm") == "histogram");
  CHECK(near("spaceship") == "-");  // nothing near: no guess
  CHECK(near("") == "-");

  auto e = test::expect_error(
      R"({"type":"analytics_request","correlation_id":"c-1","payload":{"content":"x","chart_preference":"bar_vertical"}})");
  CHECK(e.code == error_code::unsupported_chart_type);
  CHECK(e.message ==
        "payload.chart_preference \"bar_vertical\" is not one of the 23 chart types; did you mean "
        "bar_chart_vertical?");
}

}  // namespace aw::protocol
