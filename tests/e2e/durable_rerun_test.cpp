// End-to-end, issue #18: a run whose model had answered when the node died is
// run again after the restart with that answer, from the durable log: the
// model is not asked again, and the user gets the chart of the answer it was
// already being shown, under the same run_id.
#include <doctest/doctest.h>

#include <dirent.h>
#include <signal.h>

#include <chrono>
#include <fstream>
#include <string>
#include <vector>

#include "e2e/run_helpers.hpp"
#include "support/fake_openai.hpp"
#include "support/http_client.hpp"
#include "support/server_process.hpp"
#include "support/ws_client.hpp"

using namespace aw::test;

namespace {

// Every process below `root` (its gnuplot children), from /proc.
std::vector<pid_t> descendants(pid_t root) {
  std::vector<std::pair<pid_t, pid_t>> all;  // pid, parent
  if (DIR* proc = opendir("/proc")) {
    while (dirent* e = readdir(proc)) {
      pid_t pid = static_cast<pid_t>(std::atoi(e->d_name));
      if (pid <= 0) continue;
      std::ifstream stat("/proc/" + std::string(e->d_name) + "/stat");
      std::string line;
      std::getline(stat, line);
      auto close = line.rfind(')');  // the command name may hold spaces
      if (close == std::string::npos) continue;
      char state = 0;
      int parent = 0;
      if (std::sscanf(line.c_str() + close + 1, " %c %d", &state, &parent) == 2)
        all.emplace_back(pid, static_cast<pid_t>(parent));
    }
    closedir(proc);
  }
  std::vector<pid_t> out{root};
  for (std::size_t i = 0; i < out.size(); ++i)
    for (const auto& [pid, parent] : all)
      if (parent == out[i]) out.push_back(pid);
  out.erase(out.begin());
  return out;
}

bool has_tool(const std::vector<frame>& frames, const std::string& type, const std::string& tool) {
  for (const auto& f : frames)
    if (f.type() == type && std::string(f["data"]["tool"].GetString()) == tool) return true;
  return false;
}

}  // namespace

TEST_CASE(
    "durable log: a model's answer is kept, the re-run after a restart uses it, no new call") {
  fake_openai fake;
  REQUIRE(fake.wait_listening());
  temp_dir data("aw-durable-model");
  const std::string key = "chunks=4,latency=20";
  std::vector<std::string> model = {"DURABLE_LOG=1",
                                    "LLM_PROVIDER=openai",
                                    "OPENAI_API_KEY=sk-test-secret-key-1234",
                                    "LLM_MODEL=fake-model",
                                    "RENDER_POOL_SIZE=1",
                                    "LLM_BASE_URL=" + fake.base_url("/cfg/" + key),
                                    "LLM_TIMEOUT_S=60",
                                    "CHART_GENERATION_TIMEOUT_S=60"};
  auto server = start_in(data.path, model);
  // Its gnuplot is stopped: the run waits in render_chart once the model has answered.
  auto children = descendants(server->pid());
  REQUIRE_FALSE(children.empty());
  for (pid_t pid : children) ::kill(pid, SIGSTOP);
  auto c = open_user(*server, "dl-model");
  std::string epoch = c->frames().front()["epoch"].GetString();
  c->send(request_json("c-m", "Show quarterly revenue growth for 2024"));
  REQUIRE(c->wait_for([](const auto& f) { return has_tool(f, "tool_executing", "render_chart"); },
                      std::chrono::seconds(20)));
  server->kill_hard();
  for (pid_t pid : children) ::kill(pid, SIGKILL);
  auto seen = c->frames();
  CHECK(has_tool(seen, "tool_completed", "plan_chart"));  // the model's choice was shown
  CHECK_FALSE(completed(seen, "c-m"));
  REQUIRE(fake.cfg_stat(key, "requests") == 1);

  // The same model configured after the restart: the re-run must not ask it.
  auto again = start_in(data.path, model);
  REQUIRE_MESSAGE(again->wait_log("\"model_answer_held\":\"1\"", 1, std::chrono::seconds(10)),
                  again->log());
  auto back = open_user(*again, "dl-model", "s2",
                        "&last_seq=" + std::to_string(max_seq(seen)) + "&epoch=" + epoch);
  REQUIRE(
      back->wait_for([](const auto& f) { return completed(f, "c-m"); }, std::chrono::seconds(20)));
  std::vector<frame> all = seen;
  for (const auto& f : back->frames()) {
    CHECK(f.type() != "error");
    if (f.has("seq")) all.push_back(f);
  }
  CHECK_MESSAGE(check_seq(all).empty(), check_seq(all));
  CHECK_MESSAGE(check_run(all, "c-m").empty(), check_run(all, "c-m"));
  auto run = run_events(all, "c-m");
  const auto& done = *run.back();
  REQUIRE(std::string(done["data"]["status"].GetString()) == "success");
  CHECK(std::string(done["run_id"].GetString()) == (*run.front())["run_id"].GetString());
  const auto& response = done["data"]["response"];
  CHECK(std::string(response["metadata"]["llm_provider"].GetString()) == "openai");
  CHECK(std::string(response["metadata"]["title"].GetString()) == "Model revenue 2024");
  CHECK(std::string(response["metadata"]["chart_type"].GetString()) == "bar_chart_vertical");
  CHECK(fake.cfg_stat(key, "requests") == 1);
  auto metrics = http_request(again->port(), "GET", "/metrics").body;
  CHECK(metric(metrics, "agentwire_durable_log_reruns_total") == 1);
}
