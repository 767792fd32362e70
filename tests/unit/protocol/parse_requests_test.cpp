// Valid client frames parse into the expected messages, with every default.
#include <string>

#include "test_util.hpp"

namespace aw::protocol {
namespace {

using test::expect_message;

TEST_CASE("a full analytics_request keeps every field") {
  auto r = expect_message<analytics_request>(R"({
    "type":"analytics_request","message_id":"m-1","correlation_id":"c-1",
    "conversation_id":"conv-1",
    "payload":{"content":"Show quarterly revenue growth for 2024","title":"Q1-Q4 2024 Revenue",
      "data":{"labels":["Q1","Q2","Q3","Q4"],"values":[45000,52000.5,48000,61000.25]},
      "use_synthetic_data":false,"chart_preference":"line_chart","theme":"dark",
      "enhance_labels":false,"format":"svg","width":640,"height":400}})");
  CHECK(r.message_id == "m-1");
  CHECK(r.correlation_id == "c-1");
  CHECK(r.conversation_id == "conv-1");
  const analytics_payload& p = r.payload;
  CHECK(p.content == "Show quarterly revenue growth for 2024");
  REQUIRE(p.title.has_value());
  CHECK(*p.title == "Q1-Q4 2024 Revenue");
  REQUIRE(p.data.has_value());
  CHECK(p.data->labels == std::vector<std::string>{"Q1", "Q2", "Q3", "Q4"});
  CHECK(p.data->values == std::vector<double>{45000, 52000.5, 48000, 61000.25});
  CHECK_FALSE(p.data->has_series());
  CHECK_FALSE(p.use_synthetic_data);
  REQUIRE(p.chart_preference.has_value());
  CHECK(*p.chart_preference == chart_type::line_chart);
  CHECK(p.theme.name == "dark");
  CHECK_FALSE(p.enhance_labels);
  CHECK(p.format == image_format::svg);
  CHECK(p.width == 640);
  CHECK(p.height == 400);
}

TEST_CASE("a minimal analytics_request gets every default") {
  auto r = expect_message<analytics_request>(
      R"({"type":"analytics_request","correlation_id":"c","payload":{"content":"x"}})");
  CHECK(r.message_id.empty());
  CHECK(r.conversation_id.empty());
  CHECK(r.payload.content == "x");
  CHECK_FALSE(r.payload.title.has_value());
  CHECK_FALSE(r.payload.data.has_value());
  CHECK(r.payload.use_synthetic_data);
  CHECK_FALSE(r.payload.chart_preference.has_value());
  CHECK(r.payload.theme.name == "modern");
  CHECK(r.payload.theme.primary.empty());
  CHECK(r.payload.enhance_labels);
  CHECK(r.payload.format == image_format::png);
  CHECK(r.payload.width == 800);
  CHECK(r.payload.height == 500);
}

TEST_CASE("nulls mean absent and unknown fields are ignored") {
  auto r = expect_message<analytics_request>(R"({"type":"analytics_request","correlation_id":"c",
    "message_id":null,"conversation_id":null,"extra":{"deep":[1,2,{"x":null}]},
    "payload":{"content":"x","title":null,"data":null,"use_synthetic_data":null,
      "chart_preference":null,"theme":null,"enhance_labels":null,"format":null,"width":null,
      "height":null,"unknown":"ignored"}})");
  CHECK(r.message_id.empty());
  CHECK(r.conversation_id.empty());
  CHECK_FALSE(r.payload.title.has_value());
  CHECK_FALSE(r.payload.data.has_value());
  CHECK(r.payload.use_synthetic_data);
  CHECK(r.payload.theme.name == "modern");
  CHECK(r.payload.width == 800);
}

TEST_CASE("width and height accept integral numbers and the limits") {
  auto r = expect_message<analytics_request>(R"({"type":"analytics_request","correlation_id":"c",
    "payload":{"content":"x","width":800.0,"height":2e2}})");
  CHECK(r.payload.width == 800);
  CHECK(r.payload.height == 200);
  r = expect_message<analytics_request>(R"({"type":"analytics_request","correlation_id":"c",
    "payload":{"content":"x","width":4000,"height":200}})");
  CHECK(r.payload.width == 4000);
  CHECK(r.payload.height == 200);
}

TEST_CASE("given data makes use_synthetic_data default to false") {
  auto r = expect_message<analytics_request>(R"({"type":"analytics_request","correlation_id":"c",
    "payload":{"content":"x","data":{"labels":["a"],"values":[1]}}})");
  CHECK_FALSE(r.payload.use_synthetic_data);
  r = expect_message<analytics_request>(R"({"type":"analytics_request","correlation_id":"c",
    "payload":{"content":"x","use_synthetic_data":true,"data":{"labels":["a"],"values":[1]}}})");
  CHECK(r.payload.use_synthetic_data);
}

TEST_CASE("string limits count code points, not bytes") {
  std::string content;
  for (int i = 0; i < 4000; ++i) content += "\xE6\x97\xA5";  // U+65E5, 3 bytes
  auto r = expect_message<analytics_request>(
      R"({"type":"analytics_request","correlation_id":"c","payload":{"content":")" + content +
      "\"}}");
  CHECK(r.payload.content == content);
  std::string cid(256, 'c');
  r = expect_message<analytics_request>(R"({"type":"analytics_request","correlation_id":")" + cid +
                                        R"(","payload":{"content":"x"}})");
  CHECK(r.correlation_id == cid);
  r = expect_message<analytics_request>(
      R"({"type":"analytics_request","correlation_id":"c","payload":{"content":"\u00e9\ud83d\ude00"}})");
  CHECK(r.payload.content == "\xC3\xA9\xF0\x9F\x98\x80");
}

TEST_CASE("every chart type is accepted as chart_preference") {
  for (chart_type t : all_chart_types()) {
    auto r = expect_message<analytics_request>(
        R"({"type":"analytics_request","correlation_id":"c","payload":{"content":"x","chart_preference":")" +
        std::string(to_string(t)) + "\"}}");
    REQUIRE(r.payload.chart_preference.has_value());
    CHECK(*r.payload.chart_preference == t);
  }
}

TEST_CASE("themes by name and by colours") {
  for (const char* name : {"modern", "corporate", "dark", "minimal", "vibrant"}) {
    auto r = expect_message<analytics_request>(
        R"({"type":"analytics_request","correlation_id":"c","payload":{"content":"x","theme":")" +
        std::string(name) + "\"}}");
    CHECK(r.payload.theme.name == name);
  }
  auto r = expect_message<analytics_request>(R"({"type":"analytics_request","correlation_id":"c",
    "payload":{"content":"x",
      "theme":{"primary":"#3B82F6","secondary":"#10b981","tertiary":"#F59E0B","extra":1}}})");
  CHECK(r.payload.theme.name == "custom");
  CHECK(r.payload.theme.primary == "#3B82F6");
  CHECK(r.payload.theme.secondary == "#10b981");
  CHECK(r.payload.theme.tertiary == "#F59E0B");
}

TEST_CASE("the query short form is an analytics_request with defaults") {
  auto r = expect_message<analytics_request>(
      R"({"type":"query","query":"Show monthly sales for 2023","correlation_id":"c-2","conversation_id":"conv-q"})");
  CHECK(r.correlation_id == "c-2");
  CHECK(r.conversation_id == "conv-q");
  CHECK(r.message_id.empty());
  CHECK(r.payload.content == "Show monthly sales for 2023");
  CHECK_FALSE(r.payload.data.has_value());
  CHECK(r.payload.use_synthetic_data);
  CHECK(r.payload.theme.name == "modern");
  CHECK(r.payload.format == image_format::png);
  CHECK(r.payload.width == 800);
  CHECK(r.payload.height == 500);
  r = expect_message<analytics_request>(R"({"type":"query","query":"q","correlation_id":"c"})");
  CHECK(r.conversation_id.empty());
}

TEST_CASE("cancel, ping, resume and ack") {
  CHECK(expect_message<cancel_request>(R"({"type":"cancel","correlation_id":"c-1"})")
            .correlation_id == "c-1");
  expect_message<ping_request>(R"({"type":"ping"})");
  expect_message<ping_request>(R"({"type":"ping","pad":[[[[1]]]],"correlation_id":7})");
  CHECK(expect_message<resume_request>(R"({"type":"resume","last_seq":0})").last_seq == 0);
  CHECK(expect_message<resume_request>(R"({"type":"resume","last_seq":41})").last_seq == 41);
  CHECK(expect_message<resume_request>(R"({"type":"resume","last_seq":41.0})").last_seq == 41);
  CHECK(expect_message<resume_request>(R"({"type":"resume","last_seq":1000000000000})").last_seq ==
        1000000000000ULL);
  CHECK(
      expect_message<resume_request>(R"({"type":"resume","last_seq":9007199254740992})").last_seq ==
      (1ULL << 53));
  CHECK(expect_message<ack_request>(R"({"type":"ack","seq":57})").seq == 57);
  CHECK(expect_message<ack_request>(R"({"type":"ack","seq":9007199254740992})").seq ==
        (1ULL << 53));
}

TEST_CASE("whitespace around the frame is fine") {
  expect_message<ping_request>(" \n\t{ \"type\" : \"ping\" }\r\n ");
}

TEST_CASE("auth: a token of 1..4096 bytes") {
  CHECK(expect_message<auth_request>(R"({"type":"auth","token":"a.b.c"})").token == "a.b.c");
  CHECK(test::expect_error(R"({"type":"auth"})").code == error_code::validation_failed);
  CHECK(test::expect_error(R"({"type":"auth","token":""})").code == error_code::validation_failed);
  CHECK(test::expect_error(R"({"type":"auth","token":7})").code == error_code::validation_failed);
  CHECK(test::expect_error(R"({"type":"auth","token":")" + std::string(4097, 'x') + R"("})").code ==
        error_code::validation_failed);
}

}  // namespace
}  // namespace aw::protocol
