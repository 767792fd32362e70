// Garbage never crashes the parser and always yields an error that serialises.
#include <random>
#include <string>

#include "protocol/server_messages.hpp"
#include "test_util.hpp"

namespace aw::protocol {
namespace {

const std::string kValid =
    R"({"type":"analytics_request","message_id":"m-1","correlation_id":"c-1","conversation_id":"conv-1",)"
    R"("payload":{"content":"Show quarterly revenue growth for 2024","title":"Q1-Q4",)"
    R"("data":{"labels":["Q1","Q2","Q3","Q4"],"values":[45000,52000,48000,61000]},)"
    R"("theme":{"primary":"#3B82F6","secondary":"#10B981","tertiary":"#F59E0B"},)"
    R"("format":"png","width":800,"height":500}})";

// Errors must always become a valid JSON error frame.
void check_error_serialises(const parse_result& r) {
  if (const auto* e = std::get_if<protocol_error>(&r)) {
    CHECK_FALSE(e->message.empty());
    test::parse_json(write_error(*e, 0));
  }
}

TEST_CASE("the valid request used below is valid") {
  test::expect_message<analytics_request>(kValid);
}

TEST_CASE("2,000 random byte strings give errors") {
  std::mt19937 rng(12345);
  std::uniform_int_distribution<int> length(0, 300);
  std::uniform_int_distribution<int> byte(0, 255);
  for (int i = 0; i < 2000; ++i) {
    std::string frame(length(rng), '\0');
    for (char& c : frame) c = static_cast<char>(byte(rng));
    if (i % 2 == 1 && !frame.empty()) frame[0] = '{';  // get past the first byte more often
    parse_result r = parse_client_message(frame);
    REQUIRE(std::holds_alternative<protocol_error>(r));
    check_error_serialises(r);
  }
}

TEST_CASE("every truncation of a valid request is INVALID_JSON") {
  for (std::size_t n = 0; n < kValid.size(); ++n) {
    CAPTURE(n);
    parse_result r = parse_client_message(std::string_view(kValid).substr(0, n));
    REQUIRE(std::holds_alternative<protocol_error>(r));
    CHECK(std::get<protocol_error>(r).code == error_code::invalid_json);
  }
}

TEST_CASE("random byte mutations of a valid request never crash") {
  std::mt19937 rng(777);
  std::uniform_int_distribution<std::size_t> pos(0, kValid.size() - 1);
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<int> edits(1, 4);
  int accepted = 0;
  for (int i = 0; i < 2000; ++i) {
    std::string frame = kValid;
    for (int k = edits(rng); k > 0; --k) frame[pos(rng)] = static_cast<char>(byte(rng));
    parse_result r = parse_client_message(frame);
    if (std::holds_alternative<client_message>(r)) ++accepted;
    check_error_serialises(r);
  }
  MESSAGE(accepted << " of 2000 mutations still parsed");
}

// Structured garbage in the style of accept.js: known keys, random values.
std::string random_value(std::mt19937& rng, int depth) {
  static const char* keys[] = {"type",   "payload", "content", "data",           "width",
                               "labels", "values",  "series",  "last_seq",       "seq",
                               "query",  "points",  "ohlc",    "matrix",         "samples",
                               "groups", "theme",   "format",  "correlation_id", "rows"};
  static const char* scalars[] = {"null",      "true",       "false",
                                  "0",         "-1",         "1e308",
                                  "-1e-308",   "3.5",        "9007199254740992",
                                  "\"\"",      "\"x\"",      "\"analytics_request\"",
                                  "\"query\"", "\"ping\"",   "\"resume\"",
                                  "\"ack\"",   "\"cancel\"", "\"\\u00e9\\ud83d\\ude00\"",
                                  "800",       "\"#3B82F6\""};
  int kind = std::uniform_int_distribution<int>(0, depth > 3 ? 0 : 2)(rng);
  if (kind == 0) return scalars[std::uniform_int_distribution<int>(0, 19)(rng)];
  int n = std::uniform_int_distribution<int>(0, 4)(rng);
  std::string out = kind == 1 ? "[" : "{";
  for (int i = 0; i < n; ++i) {
    if (i) out += ",";
    if (kind == 2) {
      out += "\"";
      out += keys[std::uniform_int_distribution<int>(0, 19)(rng)];
      out += "\":";
    }
    out += random_value(rng, depth + 1);
  }
  return out + (kind == 1 ? "]" : "}");
}

TEST_CASE("structured garbage never crashes") {
  std::mt19937 rng(0xA11CE);
  static const char* types[] = {"analytics_request", "query", "cancel", "ping", "resume", "ack",
                                "agent_started",     ""};
  for (int i = 0; i < 3000; ++i) {
    std::string frame = std::string(R"({"type":")") + types[i % 8] + "\"";
    int n = std::uniform_int_distribution<int>(0, 4)(rng);
    for (int k = 0; k < n; ++k) {
      static const char* keys[] = {"payload", "query", "correlation_id", "last_seq", "seq", "data"};
      frame += ",\"";
      frame += keys[std::uniform_int_distribution<int>(0, 5)(rng)];
      frame += "\":" + random_value(rng, 1);
    }
    frame += "}";
    check_error_serialises(parse_client_message(frame));
  }
}

TEST_CASE("deep nesting does not overflow the stack") {
  const int depth = 200000;
  std::string arrays = std::string(depth, '[') + std::string(depth, ']');
  CHECK(std::get<protocol_error>(parse_client_message(arrays)).code == error_code::invalid_json);
  std::string in_ping = R"({"type":"ping","x":)" + arrays + "}";
  CHECK(std::holds_alternative<client_message>(parse_client_message(in_ping)));
  std::string unclosed = R"({"type":"ping","x":)" + std::string(depth, '[');
  CHECK(std::get<protocol_error>(parse_client_message(unclosed)).code == error_code::invalid_json);
  std::string objects;
  for (int i = 0; i < depth / 4; ++i) objects += R"({"a":)";
  objects += "1" + std::string(depth / 4, '}');
  std::string in_data =
      R"({"type":"analytics_request","correlation_id":"c","payload":{"content":"x","data":{"labels":["a"],"values":[)" +
      objects + "]}}}";
  protocol_error e = std::get<protocol_error>(parse_client_message(in_data));
  CHECK(e.code == error_code::validation_failed);
  CHECK(e.message == "payload.data.values[0] must be a finite number");
}

}  // namespace
}  // namespace aw::protocol
