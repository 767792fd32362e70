#include "takeover_support.hpp"

#include <doctest/doctest.h>

#include <thread>

#include "e2e/run_helpers.hpp"

namespace aw::test {

std::vector<std::string> gateway_env(const std::string& url, const std::string& node,
                                     const std::string& model_url) {
  std::vector<std::string> env = {"STORE_URL=" + url, "DURABLE_LOG=1", "DURABLE_LEASE_SECONDS=2",
                                  "NODE_ID=" + node};
  if (model_url.empty()) return env;
  env.insert(env.end(), {"LLM_PROVIDER=openai", "OPENAI_API_KEY=sk-test-secret-key-1234",
                         "LLM_MODEL=fake-model", "LLM_TIMEOUT_S=60",
                         "CHART_GENERATION_TIMEOUT_S=60", "LLM_BASE_URL=" + model_url});
  return env;
}

std::string user_ws_url(int port, const std::string& user, const std::string& query) {
  return "ws://127.0.0.1:" + std::to_string(port) + "/ws?user_id=" + user + "&session_id=s" + query;
}

std::unique_ptr<ws_client> connect_until_acked(int port, const std::string& user,
                                               const std::string& query, int tries,
                                               std::chrono::milliseconds limit, int* refusals) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  for (int n = 0; n < tries && std::chrono::steady_clock::now() < deadline; ++n) {
    auto c = ws_client::connect(user_ws_url(port, user, query));
    // Its connection_ack, or its close (1013) without one: whichever comes first.
    bool acked = false;
    for (int k = 0; c && !acked && c->is_open() && k < 100; ++k)
      acked = c->wait_for([](const auto& f) { return !f.empty(); }, std::chrono::milliseconds(50));
    if (acked) return c;
    if (refusals && c && c->close_code() == 1013) ++*refusals;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));  // the client's retry pause
  }
  return nullptr;
}

std::unique_ptr<ws_client> open_and_ask(int port, const std::string& user, const std::string& node,
                                        std::string* epoch) {
  auto c = ws_client::connect(user_ws_url(port, user));
  REQUIRE(c);
  REQUIRE(c->wait_for([](const auto& f) { return !f.empty(); }));
  REQUIRE(c->frames().front().type() == "connection_ack");
  CHECK(std::string(c->frames().front()["node"].GetString()) == node);
  *epoch = c->frames().front()["epoch"].GetString();
  c->send(request_json("c-1", "Show monthly revenue for 2024"));
  return c;
}

std::vector<std::vector<frame>> frames_at_kill(std::vector<std::unique_ptr<ws_client>>& clients) {
  std::vector<std::vector<frame>> seen;
  for (auto& c : clients) {
    seen.push_back(c->frames());
    CHECK_MESSAGE(!completed(seen.back(), "c-1"), "a run ended before the kill");
  }
  clients.clear();
  return seen;
}

std::vector<frame> resumed_events(const std::string& user, const std::vector<frame>& before,
                                  const std::vector<frame>& resumed, const std::string& node,
                                  const std::string& epoch) {
  REQUIRE(resumed.front().type() == "connection_ack");
  CHECK(std::string(resumed.front()["node"].GetString()) == node);
  CHECK(std::string(resumed.front()["epoch"].GetString()) == epoch);
  std::vector<frame> all = before;
  for (const auto& f : resumed) {
    CHECK_MESSAGE(f.type() != "error", user, ": ", f.text);  // no RESUME_GAP, nothing else either
    if (f.has("seq")) all.push_back(f);
  }
  CHECK_MESSAGE(check_seq(all).empty(), user, ": ", check_seq(all));
  CHECK_MESSAGE(check_run(all, "c-1").empty(), user, ": ", check_run(all, "c-1"));
  return all;
}

}  // namespace aw::test
