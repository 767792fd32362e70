#include <doctest/doctest.h>

#include <string>

#include "gateway/agui_input.hpp"

using aw::gateway::agui_default_user;
using aw::gateway::parse_agui_input;

namespace {

std::string input(const std::string& messages, const std::string& props = "{}",
                  const std::string& thread = "\"t-1\"", const std::string& run = "\"r-1\"") {
  return "{\"threadId\":" + thread + ",\"runId\":" + run + ",\"state\":{},\"tools\":[]," +
         "\"context\":[],\"messages\":" + messages + ",\"forwardedProps\":" + props + "}";
}

std::string user(const std::string& content) {
  return "[{\"id\":\"m1\",\"role\":\"user\",\"content\":" + content + "}]";
}

}  // namespace

TEST_CASE("a RunAgentInput becomes the analytics_request it asks for") {
  auto r = parse_agui_input(
      input(
          user("\"Show revenue\""),
          R"({"chart_preference":"line_chart","width":1000,"format":"svg","user_id":"u.1","foo":1})"),
      "agui-tok-1");
  REQUIRE(r.ok);
  CHECK(r.ok->thread_id == "t-1");
  CHECK(r.ok->run_id == "r-1");
  CHECK(r.ok->user_id == "u.1");
  const auto& req = r.ok->request;
  CHECK(req.correlation_id == "r-1");
  CHECK(req.conversation_id == "t-1");
  CHECK(req.message_id == "agui-tok-1");
  CHECK(req.payload.content == "Show revenue");
  REQUIRE(req.payload.chart_preference);
  CHECK(*req.payload.chart_preference == aw::protocol::chart_type::line_chart);
  CHECK(req.payload.width == 1000);
  CHECK(req.payload.height == 500);
  CHECK(req.payload.format == aw::protocol::image_format::svg);
}

TEST_CASE("the last user message is the request: text parts joined, other parts skipped") {
  std::string messages = R"([{"id":"1","role":"user","content":"old question"},
    {"id":"2","role":"assistant","content":"old answer"},
    {"id":"3","role":"user","content":[{"type":"text","text":"line one"},
      {"type":"binary","mimeType":"image/png","data":"AAAA"},{"type":"text","text":"line two"}]},
    {"id":"4","role":"tool","toolCallId":"c","content":"{}"}])";
  auto r = parse_agui_input(input(messages), "t");
  REQUIRE(r.ok);
  CHECK(r.ok->request.payload.content == "line one\nline two");
  CHECK(r.ok->user_id.empty());
  auto data = parse_agui_input(
      input(user("\"q\""), R"({"data":{"labels":["a","b"],"values":[1,2]}})"), "t");
  REQUIRE(data.ok);
  REQUIRE(data.ok->request.payload.data);
}

TEST_CASE("input that is not a RunAgentInput is a 400") {
  struct bad {
    std::string body;
    std::string code;
  };
  for (const auto& b : {
           bad{"", "INVALID_JSON"},
           bad{"{\"threadId\":", "INVALID_JSON"},
           bad{"[1,2]", "INVALID_JSON"},
           bad{std::string("{\"threadId\":\"t\0\"}", 16), "INVALID_JSON"},
           bad{std::string(100000, '['), "INVALID_JSON"},
           bad{R"({"runId":"r","messages":[]})", "VALIDATION_FAILED"},
           bad{R"({"threadId":"t","messages":[]})", "VALIDATION_FAILED"},
           bad{R"({"threadId":"t","runId":"r"})", "VALIDATION_FAILED"},
           bad{R"({"threadId":7,"runId":"r","messages":[]})", "VALIDATION_FAILED"},
           bad{input(user("\"q\""), "[1]"), "VALIDATION_FAILED"},
           bad{input(user("\"q\""), R"({"user_id":"bad user"})"), "VALIDATION_FAILED"},
           bad{input(user("\"q\""), R"({"user_id":5})"), "VALIDATION_FAILED"},
           bad{input(user("42")), "VALIDATION_FAILED"},
           bad{input(user("[{\"type\":\"text\",\"text\":3}]")), "VALIDATION_FAILED"},
           bad{input("[7]"), "VALIDATION_FAILED"},
       }) {
    auto r = parse_agui_input(b.body, "t");
    CHECK_MESSAGE(!r.ok, b.body.substr(0, 80));
    CHECK_MESSAGE(r.status == 400, b.body.substr(0, 80));
    CHECK_MESSAGE(r.code == b.code, b.body.substr(0, 80));
    CHECK(!r.error.empty());
  }
}

TEST_CASE("a request the protocol refuses is a 422 naming the AG-UI field") {
  struct bad {
    std::string body;
    std::string code;
    std::string says;
  };
  for (const auto& b : {
           bad{input("[]"), "VALIDATION_FAILED", "role \"user\""},
           bad{input(R"([{"id":"a","role":"assistant","content":"hi"}])"), "VALIDATION_FAILED",
               "role \"user\""},
           bad{input(user("\"\"")), "VALIDATION_FAILED", "the last user message"},
           bad{input(user("\"" + std::string(4001, 'x') + "\"")), "VALIDATION_FAILED",
               "the last user message"},
           bad{input(user("\"q\""), R"({"width":50})"), "VALIDATION_FAILED",
               "forwardedProps.width"},
           bad{input(user("\"q\""), R"({"format":"gif"})"), "VALIDATION_FAILED",
               "forwardedProps.format"},
           bad{input(user("\"q\""), R"({"chart_preference":"sankey"})"), "UNSUPPORTED_CHART_TYPE",
               "forwardedProps.chart_preference"},
           bad{input(user("\"q\""), R"({"data":{"labels":["a"],"values":[1,2]}})"),
               "VALIDATION_FAILED", "forwardedProps.data"},
           bad{input(user("\"q\""), "{}", "\"has space\""), "VALIDATION_FAILED", "threadId"},
           bad{input(user("\"q\""), "{}", "\"t\"", "\"\""), "VALIDATION_FAILED", "runId"},
       }) {
    auto r = parse_agui_input(b.body, "t");
    CHECK_MESSAGE(!r.ok, b.body.substr(0, 80));
    CHECK_MESSAGE(r.status == 422, b.body.substr(0, 80));
    CHECK_MESSAGE(r.code == b.code, b.body.substr(0, 80));
    CHECK_MESSAGE(r.error.find(b.says) != std::string::npos, r.error);
  }
}

TEST_CASE("the default user comes from the thread") {
  CHECK(agui_default_user("t-1") == "agui-t-1");
  CHECK(agui_default_user("has space") == "agui");
  CHECK(agui_default_user(std::string(128, 't')) == "agui");
}
