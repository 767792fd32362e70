// End-to-end, issue #16 item 4: a follow-up in the same conversation edits
// the last chart (metadata.refined_from, a thought saying what changed), also
// after a restart on the same DATA_DIR (the history store); an unrelated
// request starts fresh; with a model the recent turns go into its prompt.
#include <doctest/doctest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "e2e/run_helpers.hpp"
#include "support/fake_openai.hpp"
#include "support/server_process.hpp"
#include "support/ws_client.hpp"

using namespace aw::test;

namespace {

struct outcome {
  std::string run_id;
  std::string chart_type;
  std::string refined_from;  // "" when the response has none
  std::string data_source;
  std::vector<std::string> labels;
  std::vector<double> values;
  std::vector<std::string> thoughts;
  bool has_chart = false;
};

std::vector<std::string> strings(const rapidjson::Value& a) {
  std::vector<std::string> out;
  for (const auto& v : a.GetArray()) out.emplace_back(v.GetString());
  return out;
}

// Sends one request in conversation "conv-1" and waits for its agent_completed (success).
outcome ask(ws_client& c, const std::string& cid, const std::string& content,
            const std::string& extra_payload = "") {
  std::string req = request_json(cid, content, extra_payload);
  req = req.substr(0, req.size() - 1) + R"(,"conversation_id":"conv-1"})";
  c.send(req);
  REQUIRE(c.wait_for([&](const auto& f) { return completed(f, cid); }, std::chrono::seconds(30)));
  auto frames = c.frames();  // run_events points into it: keep it alive
  CHECK(check_run(frames, cid) == "");
  outcome out;
  for (const auto* f : run_events(frames, cid)) {
    out.run_id = (*f)["run_id"].GetString();
    const auto& data = (*f)["data"];
    if (f->type() == "agent_thinking") out.thoughts.emplace_back(data["thought"].GetString());
    if (f->type() != "agent_completed") continue;
    REQUIRE_MESSAGE(std::string(data["status"].GetString()) == "success", f->text);
    const auto& r = data["response"];
    const auto& md = r["metadata"];
    out.chart_type = md["chart_type"].GetString();
    out.data_source = md["data_source"].GetString();
    if (md.HasMember("refined_from")) out.refined_from = md["refined_from"].GetString();
    out.labels = strings(r["data"]["labels"]);
    if (r["data"].HasMember("values"))
      for (const auto& v : r["data"]["values"].GetArray()) out.values.push_back(v.GetDouble());
    out.has_chart = std::string(r["chart"].GetString()).rfind("data:image/", 0) == 0;
  }
  return out;
}

bool thought_has(const outcome& o, const std::string& needle) {
  for (const auto& t : o.thoughts)
    if (t.find(needle) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("follow-ups: as a pie edits the last chart, an unrelated request starts fresh") {
  auto server = start_server();
  auto c = open_user(*server, "alice");

  auto bars = ask(*c, "c-1", "Sales by region", R"("chart_preference":"bar_chart_vertical")");
  CHECK(bars.chart_type == "bar_chart_vertical");
  CHECK(bars.refined_from.empty());

  auto pie = ask(*c, "c-2", "make it a pie");
  CHECK(pie.chart_type == "pie_chart");
  CHECK(pie.refined_from == bars.run_id);
  CHECK(pie.labels == bars.labels);  // the same data, drawn again
  CHECK(pie.values == bars.values);
  CHECK(pie.data_source == "synthetic");
  CHECK(pie.has_chart);
  CHECK(thought_has(pie, "Refining the previous chart (" + bars.run_id + ")"));
  CHECK(thought_has(pie, "pie_chart"));

  auto fresh = ask(*c, "c-3", "Monthly website visits for 2024");
  CHECK(fresh.refined_from.empty());
  CHECK_FALSE(thought_has(fresh, "Refining"));
  REQUIRE(fresh.labels.size() > 6);

  auto last6 = ask(*c, "c-4", "only the last 6 months");
  CHECK(last6.refined_from == fresh.run_id);
  CHECK(last6.chart_type == fresh.chart_type);
  REQUIRE(last6.labels.size() == 6);
  CHECK(last6.labels.back() == fresh.labels.back());
  CHECK(thought_has(last6, "the last 6 points only"));

  // Another conversation of the same user has no last chart: starts fresh.
  c->send(request_json("c-5", "as a pie"));  // conversation = the session id
  REQUIRE(
      c->wait_for([&](const auto& f) { return completed(f, "c-5"); }, std::chrono::seconds(30)));
  auto frames = c->frames();
  for (const auto* f : run_events(frames, "c-5"))
    if (f->type() == "agent_completed")
      CHECK_FALSE((*f)["data"]["response"]["metadata"].HasMember("refined_from"));

  // A new connection (another session id) in the same conversation follows up too.
  c.reset();
  auto again = open_user(*server, "alice", "s2");
  auto sorted = ask(*again, "c-6", "sort it descending");
  CHECK(sorted.refined_from == last6.run_id);
  REQUIRE(sorted.values.size() == 6);
  CHECK(std::is_sorted(sorted.values.rbegin(), sorted.values.rend()));
}

TEST_CASE("follow-ups: the last chart survives a restart on the same DATA_DIR") {
  temp_dir dir("aw-followup");
  outcome first;
  {
    auto server = start_in(dir.path);
    auto c = open_user(*server, "bob");
    first = ask(*c, "c-1", "Revenue by product", R"("chart_preference":"bar_chart_horizontal")");
    CHECK(first.chart_type == "bar_chart_horizontal");
    c.reset();
    CHECK(server->stop() == 0);  // the history writer flushes on the way out
  }
  auto server = start_in(dir.path);
  auto c = open_user(*server, "bob");
  auto pie = ask(*c, "c-2", "as a pie, in dark");
  CHECK(pie.refined_from == first.run_id);
  CHECK(pie.chart_type == "pie_chart");
  CHECK(pie.labels == first.labels);
  CHECK(pie.values == first.values);
  CHECK(thought_has(pie, "theme dark"));
}

TEST_CASE("follow-ups: with a model the conversation's recent turns go into the prompt") {
  fake_openai fake;
  REQUIRE(fake.wait_listening());
  auto server =
      start_server({"LLM_PROVIDER=openai", "OPENAI_API_KEY=sk-test-secret-key-1234",
                    "LLM_BASE_URL=" + fake.base_url(), "LLM_MODEL=fake-model", "LLM_TIMEOUT_S=10"});
  auto c = open_user(*server, "carol");
  auto first = ask(*c, "c-1", "Quarterly revenue for 2024");
  CHECK(fake.last_prompt().find("Earlier in this conversation") == std::string::npos);
  auto second = ask(*c, "c-2", "And what about costs over the same quarters?");
  std::string prompt = fake.last_prompt();
  CHECK(prompt.find("Earlier in this conversation") != std::string::npos);
  CHECK(prompt.find("Quarterly revenue for 2024") != std::string::npos);
  CHECK(prompt.find("Request: And what about costs") != std::string::npos);
  // A follow-up with a model still edits the last chart.
  auto pie = ask(*c, "c-3", "as a donut");
  CHECK(pie.refined_from == second.run_id);
  CHECK(pie.chart_type == "donut_chart");
}
