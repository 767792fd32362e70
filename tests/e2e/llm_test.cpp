// End-to-end: LLM_PROVIDER=openai against tests/support/fake_openai.js on
// loopback, through the real binary and a real WebSocket client.
#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

#include "e2e/run_helpers.hpp"
#include "support/fake_openai.hpp"
#include "support/server_process.hpp"
#include "support/ws_client.hpp"

using namespace aw::test;

namespace {

const std::string api_key = "sk-test-secret-key-1234";

std::unique_ptr<fake_openai> start_fake() {
  auto fake = std::make_unique<fake_openai>();
  REQUIRE(fake->wait_listening());
  return fake;
}

std::vector<std::string> openai_env(const std::string& base_url,
                                    std::vector<std::string> extra = {}) {
  std::vector<std::string> env = {"LLM_PROVIDER=openai", "OPENAI_API_KEY=" + api_key,
                                  "LLM_BASE_URL=" + base_url, "LLM_MODEL=fake-model",
                                  "LLM_TIMEOUT_S=10"};
  for (auto& e : extra) env.push_back(std::move(e));
  return env;
}

struct run_result {
  std::vector<frame> frames;
  const rapidjson::Value* done = nullptr;       // agent_completed data
  const rapidjson::Value* llm_tool = nullptr;   // tool_completed of the LLM step
  const rapidjson::Value* plan_tool = nullptr;  // tool_completed of plan_chart
  int partials = 0;
  std::string partial_text;
  std::string log;
};

std::string str(const rapidjson::Value& v) {
  return v.IsString() ? v.GetString() : "";
}

// One run through a fresh agentwire with `env`; the frames stay alive in the result.
void run_once(std::vector<std::string> env, const std::string& content, run_result& out,
              const std::string& extra_payload = "") {
  server_process server(std::move(env));
  REQUIRE_MESSAGE(server.wait_listening(), server.log());
  auto c = ws_client::connect(server.url("/ws?user_id=alice&session_id=s1"));
  REQUIRE(c);
  c->send(request_json("c-1", content, extra_payload));
  REQUIRE_MESSAGE(
      c->wait_for([](const auto& f) { return completed(f, "c-1"); }, std::chrono::seconds(40)),
      server.log());
  out.frames = c->frames();
  CHECK(check_run(out.frames, "c-1") == "");
  for (const auto* f : run_events(out.frames, "c-1")) {
    const auto& data = (*f)["data"];
    if (f->type() == "agent_completed") out.done = &data;
    // Only tool events have "tool" (RapidJSON asserts on a missing member in debug builds).
    std::string tool = data.HasMember("tool") ? str(data["tool"]) : "";
    bool llm_step = tool == "generate_data" || tool == "prepare_data";
    if (f->type() == "tool_completed" && llm_step) out.llm_tool = &data;
    if (f->type() == "tool_completed" && tool == "plan_chart") out.plan_tool = &data;
    if (f->type() == "agent_thinking" && data.HasMember("partial") && data["partial"].GetBool()) {
      ++out.partials;
      out.partial_text += str(data["thought"]);
      CHECK(str(data["stage"]) == "writing");
    }
  }
  REQUIRE(out.done);
  REQUIRE(out.llm_tool);
  CHECK(server.stop() == 0);
  out.log = server.log();
  CHECK(out.log.find(api_key) == std::string::npos);  // the key is never logged
}

std::string provider(const run_result& r) {
  return str((*r.done)["response"]["metadata"]["llm_provider"]);
}

}  // namespace

TEST_CASE("openai: streamed partial thoughts, then success with model and tokens") {
  auto fake = start_fake();
  run_result r;
  run_once(openai_env(fake->base_url()), "Show quarterly revenue growth for 2024", r);
  REQUIRE(str((*r.done)["status"]) == "success");
  CHECK(provider(r) == "openai");
  CHECK(str((*r.done)["response"]["metadata"]["title"]) == "Model revenue 2024");
  // The model's prose was streamed (reasoning, then narrative), in batches rather than one
  // event per 5-byte chunk, and never its JSON (issue #16 item 6).
  CHECK(r.partials >= 1);
  CHECK(r.partials < 20);
  CHECK(r.partial_text ==
        "The request asks how revenue moved from quarter to quarter in 2024, so one bar for each "
        "quarter shows the level of every quarter and the change between them at a glance, which "
        "is what a reader wants here.\n\n"
        "The model says revenue rose through the year.");
  CHECK(r.partial_text.find("Model revenue 2024") == std::string::npos);
  CHECK(r.partial_text.find('{') == std::string::npos);
  const auto& result = (*r.llm_tool)["result"];
  CHECK(str(result["model"]) == "fake-model");
  CHECK(result["tokens_in"].GetInt() == 123);
  CHECK(result["tokens_out"].GetInt() == 45);
  CHECK(result["llm_ms"].GetDouble() >= 0);
  CHECK((*r.llm_tool)["duration_ms"].GetDouble() >= 0);
  CHECK(fake->requests("normal") == 1);
}

TEST_CASE("openai: slow chunks arrive as several partial thoughts, user data is kept") {
  auto fake = start_fake();
  run_result r;
  run_once(openai_env(fake->base_url("/slow")), "Revenue by quarter", r,
           "\"chart_preference\":\"bar_chart_vertical\",\"data\":{\"labels\":[\"A\",\"B\",\"C\"],"
           "\"values\":[1,2,3]}");
  REQUIRE(str((*r.done)["status"]) == "success");
  CHECK(provider(r) == "openai");
  CHECK(r.partials >= 3);
  const auto& data = (*r.done)["response"]["data"];
  REQUIRE(data["values"].Size() == 3);
  CHECK(data["values"][2].GetDouble() == 3);
  CHECK(str(data["labels"][0]) == "A");
  CHECK(str((*r.done)["response"]["metadata"]["data_source"]) == "user");
}

TEST_CASE("openai: 429 with Retry-After is retried, then succeeds") {
  auto fake = start_fake();
  run_result r;
  run_once(openai_env(fake->base_url("/ratelimit")), "Show monthly signups", r);
  REQUIRE(str((*r.done)["status"]) == "success");
  CHECK(provider(r) == "openai");
  CHECK((*r.llm_tool)["result"]["attempts"].GetInt() == 2);
  CHECK((*r.llm_tool)["result"]["llm_ms"].GetDouble() >= 1000);  // waited Retry-After: 1
  CHECK(fake->requests("ratelimit") == 2);
}

TEST_CASE("openai: 500 every time falls back to the builtin provider") {
  auto fake = start_fake();
  run_result r;
  run_once(openai_env(fake->base_url("/error500"), {"MAX_RETRIES=2"}), "Show monthly signups", r);
  REQUIRE(str((*r.done)["status"]) == "success");
  CHECK(provider(r) == "builtin (fallback)");
  CHECK(fake->requests("error500") == 3);
}

TEST_CASE("openai: 500 with LLM_FALLBACK=none ends the run with LLM_UNAVAILABLE") {
  auto fake = start_fake();
  run_result r;
  std::vector<std::string> extra = {"MAX_RETRIES=1", "LLM_FALLBACK=none"};
  server_process server(openai_env(fake->base_url("/error500"), extra));
  REQUIRE_MESSAGE(server.wait_listening(), server.log());
  auto c = ws_client::connect(server.url("/ws?user_id=alice&session_id=s1"));
  REQUIRE(c);
  c->send(request_json("c-1", "Show monthly signups"));
  REQUIRE(c->wait_for([](const auto& f) { return completed(f, "c-1"); }, std::chrono::seconds(30)));
  auto frames = c->frames();
  CHECK(check_run(frames, "c-1") == "");
  const rapidjson::Value* done = nullptr;
  for (const auto* f : run_events(frames, "c-1"))
    if (f->type() == "agent_completed") done = &(*f)["data"];
  REQUIRE(done);
  CHECK(str((*done)["status"]) == "error");
  CHECK(str((*done)["error"]["code"]) == "LLM_UNAVAILABLE");
  CHECK(fake->requests("error500") == 2);
}

TEST_CASE("openai: a malformed answer falls back, a repairable one is repaired") {
  auto fake = start_fake();
  run_result bad;
  run_once(openai_env(fake->base_url("/malformed")), "Show monthly signups", bad);
  REQUIRE(str((*bad.done)["status"]) == "success");
  CHECK(provider(bad) == "builtin (fallback)");
  CHECK(fake->requests("malformed") == 1);  // a bad answer is not retried

  run_result fixed;
  run_once(openai_env(fake->base_url("/repair")), "Show quarterly revenue", fixed,
           "\"chart_preference\":\"bar_chart_vertical\"");
  REQUIRE(str((*fixed.done)["status"]) == "success");
  CHECK(provider(fixed) == "openai");
  const auto& response = (*fixed.done)["response"];
  CHECK(str(response["metadata"]["title"]).size() <= 200);
  // NaN dropped with its label; extra values beyond the labels dropped.
  REQUIRE(response["data"]["values"].Size() == 2);
  CHECK(response["data"]["values"][1].GetDouble() == 30);
  CHECK(response["data"]["statistics"]["count"].GetInt() == 2);
}

TEST_CASE("openai: a connection dropped mid-stream is retried") {
  auto fake = start_fake();
  run_result r;
  run_once(openai_env(fake->base_url("/drop")), "Show monthly signups", r);
  REQUIRE(str((*r.done)["status"]) == "success");
  CHECK(provider(r) == "openai");
  CHECK(fake->requests("drop") == 2);
}

TEST_CASE("openai: no usage chunk gives estimated tokens") {
  auto fake = start_fake();
  run_result r;
  run_once(openai_env(fake->base_url("/nousage")), "Show monthly signups", r);
  REQUIRE(str((*r.done)["status"]) == "success");
  const auto& result = (*r.llm_tool)["result"];
  CHECK(result["tokens_estimated"].GetBool());
  CHECK(result["tokens_in"].GetInt() > 0);
  CHECK(result["tokens_out"].GetInt() > 0);
}

TEST_CASE("openai: nothing listening at the base URL falls back to builtin") {
  run_result r;
  std::string url = "http://127.0.0.1:" + std::to_string(unused_port()) + "/v1";
  run_once(openai_env(url, {"MAX_RETRIES=1"}), "Show monthly signups", r);
  REQUIRE(str((*r.done)["status"]) == "success");
  CHECK(provider(r) == "builtin (fallback)");
  CHECK((*r.llm_tool)["result"]["attempts"].GetInt() == 2);
}

TEST_CASE("openai: a missing OPENAI_API_KEY stops the start with a clear message") {
  server_process server({"LLM_PROVIDER=openai", "OPENAI_API_KEY="});
  CHECK_FALSE(server.wait_listening(std::chrono::seconds(10)));
  CHECK(server.log().find("OPENAI_API_KEY") != std::string::npos);
}

TEST_CASE("builtin: the request is understood and the narrative streams as prose, never JSON") {
  run_result r;
  run_once({}, "Top 7 sales reps by closed revenue", r);
  REQUIRE(str((*r.done)["status"]) == "success");
  const auto& response = (*r.done)["response"];
  CHECK(provider(r) == "builtin");
  CHECK(str(response["metadata"]["chart_type"]) == "bar_chart_horizontal");
  CHECK(response["data"]["labels"].Size() == 7);
  // The pieces are the narrative's words, in order: joined they are the narrative.
  CHECK(r.partials >= 2);
  CHECK(r.partial_text == str(response["narrative"]));
  CHECK(r.partial_text.find('{') == std::string::npos);
  CHECK(r.partial_text.find("chart_type") == std::string::npos);
  REQUIRE(r.plan_tool);
  CHECK(str((*r.plan_tool)["result"]["decided_by"]) == "builtin");

  run_result preferred;
  run_once({}, "Top 7 sales reps by closed revenue", preferred,
           "\"chart_preference\":\"pie_chart\"");
  REQUIRE(preferred.plan_tool);
  CHECK(str((*preferred.plan_tool)["result"]["decided_by"]) == "user");
  CHECK(str((*preferred.done)["response"]["metadata"]["chart_type"]) == "pie_chart");
}

TEST_CASE("openai: the model decides the type, chart_preference wins, an invalid type falls back") {
  auto fake = start_fake();
  // The built-in plan is a pie; the fake model answers bar_chart_vertical.
  run_result decided;
  run_once(openai_env(fake->base_url()), "Share of sales by region", decided);
  REQUIRE(decided.plan_tool);
  const auto& plan = (*decided.plan_tool)["result"];
  CHECK(str(plan["decided_by"]) == "model");
  CHECK(str(plan["chart_type"]) == "bar_chart_vertical");
  CHECK(str(plan["builtin_plan"]) == "pie_chart");
  CHECK(str((*decided.done)["response"]["metadata"]["chart_type"]) == "bar_chart_vertical");

  run_result preferred;
  run_once(openai_env(fake->base_url()), "Share of sales by region", preferred,
           "\"chart_preference\":\"pie_chart\"");
  REQUIRE(preferred.plan_tool);
  CHECK(str((*preferred.plan_tool)["result"]["decided_by"]) == "user");
  CHECK(str((*preferred.done)["response"]["metadata"]["chart_type"]) == "pie_chart");

  // The repair mode answers chart_type "not_a_chart": the built-in plan stays, a thought says so.
  run_result invalid;
  run_once(openai_env(fake->base_url("/repair")), "Share of sales by region", invalid);
  REQUIRE(invalid.plan_tool);
  CHECK(str((*invalid.plan_tool)["result"]["decided_by"]) == "builtin");
  CHECK(str((*invalid.done)["response"]["metadata"]["chart_type"]) == "pie_chart");
  bool said = false;
  for (const auto* f : run_events(invalid.frames, "c-1"))
    if (f->type() == "agent_thinking" &&
        str((*f)["data"]["thought"]).find("keeping the built-in plan pie_chart") !=
            std::string::npos)
      said = true;
  CHECK(said);
}
