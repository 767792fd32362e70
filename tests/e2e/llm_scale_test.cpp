// End-to-end: model calls at scale (issue #15) against the real binary and
// tests/support/fake_openai.js on loopback: many streamed calls on one client
// thread, the bounded FIFO queue, cancel and timeout ending transfers,
// Retry-After pausing every call, retries that show text once, byte limits,
// and the LLM_RPM / LLM_TPM quotas.
#include <doctest/doctest.h>

#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "e2e/run_helpers.hpp"
#include "support/fake_openai.hpp"
#include "support/http_client.hpp"
#include "support/server_process.hpp"
#include "support/ws_client.hpp"

using namespace aw::test;
using std::chrono::milliseconds;
using std::chrono::seconds;

namespace {

std::unique_ptr<fake_openai> start_fake() {
  auto fake = std::make_unique<fake_openai>();
  REQUIRE(fake->wait_listening());
  return fake;
}

std::string cfg_url(const fake_openai& fake, const std::string& key) {
  return fake.base_url("/cfg/" + key);
}

std::vector<std::string> model_env(const std::string& base_url, std::vector<std::string> extra) {
  std::vector<std::string> env = {"LLM_PROVIDER=openai", "OPENAI_API_KEY=test-key",
                                  "LLM_BASE_URL=" + base_url, "LLM_MODEL=fake-model",
                                  "LLM_TIMEOUT_S=30"};
  for (auto& e : extra) env.push_back(std::move(e));
  return env;
}

// One sample of /metrics; -1 when it is missing.
double metric(const server_process& s, const std::string& name) {
  auto r = http_request(s.port(), "GET", "/metrics");
  if (r.status != 200) return -1;
  std::istringstream in(r.body);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(name + " ", 0) == 0) return std::stod(line.substr(name.size() + 1));
  }
  return -1;
}

// Polls `pred` every 20 ms until it holds or `limit` passes.
template <class Pred>
bool eventually(Pred pred, milliseconds limit = seconds(15)) {
  auto until = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < until) {
    if (pred()) return true;
    std::this_thread::sleep_for(milliseconds(20));
  }
  return pred();
}

long proc_status(pid_t pid, const std::string& field) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(field + ":", 0) == 0) return std::stol(line.substr(field.size() + 1));
  return -1;
}

const rapidjson::Value* completion_of(const std::vector<frame>& frames, const std::string& cid) {
  for (const auto* f : run_events(frames, cid))
    if (f->type() == "agent_completed") return &(*f)["data"];
  return nullptr;
}

std::string status_of(const std::vector<frame>& frames, const std::string& cid) {
  auto* d = completion_of(frames, cid);
  return d ? (*d)["status"].GetString() : "";
}

std::string error_of(const std::vector<frame>& frames, const std::string& cid) {
  auto* d = completion_of(frames, cid);
  if (!d || !d->HasMember("error")) return "";
  return std::string((*d)["error"]["code"].GetString()) + " " +
         (*d)["error"]["message"].GetString();
}

std::string partial_text(const std::vector<frame>& frames, const std::string& cid) {
  std::string text;
  for (const auto* f : run_events(frames, cid)) {
    const auto& data = (*f)["data"];
    if (f->type() == "agent_thinking" && data.HasMember("partial") && data["partial"].GetBool())
      text += data["thought"].GetString();
  }
  return text;
}

int count_of(const std::string& text, const std::string& needle) {
  int n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

auto done_all(std::vector<std::string> cids) {
  return [cids](const std::vector<frame>& frames) {
    return std::all_of(cids.begin(), cids.end(),
                       [&frames](const std::string& c) { return completed(frames, c); });
  };
}

}  // namespace

TEST_CASE(
    "model calls: 1000 streamed calls in flight at once (200 in the sanitizer pass), on one client "
    "thread") {
  auto fake = start_fake();
  const std::string key = "latency=5000,chunks=10";
  auto server = start_server(model_env(
      cfg_url(*fake, key),
      {"MAX_RUNS_PER_USER=100", "RATE_LIMIT_REQUESTS=1000", "CHART_GENERATION_TIMEOUT_S=120"}));
  // A first call starts the client; the thread count is taken after it.
  auto warm = open_user(*server, "warm");
  warm->send(request_json("w-1", "Show quarterly revenue"));
  REQUIRE(warm->wait_for([](const auto& f) { return completed(f, "w-1"); }, seconds(30)));
  long threads_before = proc_status(server->pid(), "Threads");
  REQUIRE(threads_before > 0);

#if defined(__SANITIZE_ADDRESS__)
  // The sanitizer pass looks for memory errors, not scale: a Debug ASan
  // server takes minutes for 1,000 runs. The release suite runs all 1,000.
  const int users = 4, per_user = 50;
#else
  const int users = 10, per_user = 100;
#endif
  std::vector<std::unique_ptr<ws_client>> clients;
  std::vector<std::vector<std::string>> cids(users);
  for (int u = 0; u < users; ++u) {
    clients.push_back(open_user(*server, "u" + std::to_string(u)));
    for (int i = 0; i < per_user; ++i) {
      cids[u].push_back("c-" + std::to_string(i));
      clients[u]->send(request_json(cids[u].back(), "Show quarterly revenue"));
    }
  }
  // All of them stream at once: the fake sees them open together.
  long threads_peak = threads_before;
  CHECK(eventually([&] {
    threads_peak = std::max(threads_peak, proc_status(server->pid(), "Threads"));
    return fake->cfg_stat(key, "max_open") >= users * per_user;
  }));
  CHECK(metric(*server, "agentwire_llm_calls_in_flight") >= 0);
  for (int u = 0; u < users; ++u) REQUIRE(clients[u]->wait_for(done_all(cids[u]), seconds(150)));
  threads_peak = std::max(threads_peak, proc_status(server->pid(), "Threads"));
  // No thread per call: the count does not grow with the calls.
  CHECK(threads_peak <= threads_before + 1);
  for (int u = 0; u < users; ++u) {
    auto frames = clients[u]->frames();
    for (const auto& cid : cids[u]) {
      CHECK(check_run(frames, cid) == "");
      CHECK(status_of(frames, cid) == "success");
    }
  }
  CHECK(fake->cfg_stat(key, "completed") == users * per_user + 1);
  CHECK(metric(*server, "agentwire_llm_calls_total") == users * per_user + 1);
  CHECK(metric(*server, "agentwire_llm_time_to_first_token_seconds_count") == users * per_user + 1);
  CHECK(metric(*server, "agentwire_llm_tokens_total{direction=\"out\"}") ==
        50 * (users * per_user + 1));
  CHECK(metric(*server, "agentwire_llm_calls_in_flight") == 0);
}

TEST_CASE("model calls: beyond the cap they wait in arrival order, a full queue answers at once") {
  auto fake = start_fake();
  const std::string key = "latency=1200,chunks=6";
  auto server =
      start_server(model_env(cfg_url(*fake, key), {"LLM_MAX_CONCURRENCY=1", "LLM_QUEUE_MAX=2",
                                                   "LLM_FALLBACK=none", "MAX_RUNS_PER_USER=8"}));
  auto c = open_user(*server, "alice");
  c->send(request_json("c-1", "Show quarterly revenue"));
  REQUIRE(eventually([&] { return metric(*server, "agentwire_llm_calls_in_flight") == 1; }));
  c->send(request_json("c-2", "Show quarterly revenue"));
  REQUIRE(eventually([&] { return metric(*server, "agentwire_llm_calls_queued") == 1; }));
  c->send(request_json("c-3", "Show quarterly revenue"));
  REQUIRE(eventually([&] { return metric(*server, "agentwire_llm_calls_queued") == 2; }));
  c->send(request_json("c-4", "Show quarterly revenue"));
  REQUIRE(c->wait_for([](const auto& f) { return completed(f, "c-4"); }, seconds(5)));
  auto frames = c->frames();
  // Refused while c-1 still streams: it never waited silently.
  CHECK_FALSE(completed(frames, "c-1"));
  CHECK(status_of(frames, "c-4") == "error");
  CHECK(error_of(frames, "c-4").find("LLM_UNAVAILABLE") == 0);
  // The user gets the code; the reason is in the log for the operator.
  CHECK(server->wait_log("LLM_QUEUE_MAX", 1, seconds(10)));
  CHECK(metric(*server, "agentwire_llm_queue_rejected_total") == 1);

  REQUIRE(c->wait_for(done_all({"c-1", "c-2", "c-3"}), seconds(30)));
  frames = c->frames();
  std::vector<std::string> order;
  for (const auto& f : frames)
    if (f.type() == "agent_completed") order.push_back(f["correlation_id"].GetString());
  CHECK(order == std::vector<std::string>{"c-4", "c-1", "c-2", "c-3"});
  for (auto cid : {"c-1", "c-2", "c-3"}) CHECK(status_of(frames, cid) == "success");
  CHECK(fake->cfg_stat(key, "max_open") == 1);
  CHECK(fake->cfg_stat(key, "requests") == 3);
  // c-2 and c-3 waited behind the one in flight.
  CHECK(metric(*server, "agentwire_llm_queue_wait_seconds_count") == 3);
  CHECK(metric(*server, "agentwire_llm_queue_wait_seconds_sum") >= 1.0);
}

TEST_CASE("model calls: cancel ends the transfer at once, a cancelled queued call is never sent") {
  auto fake = start_fake();
  const std::string key = "latency=30000,chunks=60";
  auto server = start_server(
      model_env(cfg_url(*fake, key), {"LLM_MAX_CONCURRENCY=1", "MAX_RUNS_PER_USER=8"}));
  auto c = open_user(*server, "alice");
  c->send(request_json("c-1", "Show quarterly revenue"));
  REQUIRE(eventually([&] { return fake->cfg_stat(key, "open") == 1; }));
  c->send(request_json("c-2", "Show quarterly revenue"));
  REQUIRE(eventually([&] { return metric(*server, "agentwire_llm_calls_queued") == 1; }));

  c->send(R"({"type":"cancel","correlation_id":"c-2"})");
  REQUIRE(c->wait_for([](const auto& f) { return completed(f, "c-2"); }, seconds(5)));
  REQUIRE(eventually([&] { return metric(*server, "agentwire_llm_calls_queued") == 0; }));

  auto cancelled_at = std::chrono::steady_clock::now();
  c->send(R"({"type":"cancel","correlation_id":"c-1"})");
  REQUIRE(c->wait_for([](const auto& f) { return completed(f, "c-1"); }, seconds(5)));
  // The endpoint sees the stream closed within a moment, not after 30 s.
  REQUIRE(eventually([&] { return fake->cfg_stat(key, "aborted") == 1; }, seconds(5)));
  CHECK(std::chrono::steady_clock::now() - cancelled_at < seconds(3));
  CHECK(fake->cfg_stat(key, "open") == 0);
  CHECK(metric(*server, "agentwire_llm_calls_in_flight") == 0);
  // The slot is free and nothing took it: c-2 was never sent.
  CHECK(fake->cfg_stat(key, "requests") == 1);
  auto frames = c->frames();
  CHECK(status_of(frames, "c-1") == "cancelled");
  CHECK(status_of(frames, "c-2") == "cancelled");
  CHECK(check_run(frames, "c-1") == "");
  CHECK(check_run(frames, "c-2") == "");
}

TEST_CASE("model calls: a run's timeout ends its transfer") {
  auto fake = start_fake();
  const std::string key = "latency=30000,chunks=60";
  auto server = start_server(model_env(cfg_url(*fake, key), {"CHART_GENERATION_TIMEOUT_S=5"}));
  auto c = open_user(*server, "alice");
  c->send(request_json("c-1", "Show quarterly revenue"));
  REQUIRE(c->wait_for([](const auto& f) { return completed(f, "c-1"); }, seconds(15)));
  CHECK(status_of(c->frames(), "c-1") == "timeout");
  REQUIRE(eventually([&] { return fake->cfg_stat(key, "aborted") == 1; }, seconds(5)));
  CHECK(metric(*server, "agentwire_llm_calls_in_flight") == 0);
}

TEST_CASE("model calls: a Retry-After pauses every new call, and they come back spread out") {
  auto fake = start_fake();
  const std::string key = "status=429,retry_after=2,times=1,latency=200,chunks=4";
  auto server = start_server(model_env(cfg_url(*fake, key), {"MAX_RUNS_PER_USER=20"}));
  auto c = open_user(*server, "alice");
  c->send(request_json("c-0", "Show quarterly revenue"));
  REQUIRE(eventually([&] { return metric(*server, "agentwire_llm_rate_limited_total") == 1; }));
  std::vector<std::string> cids = {"c-0"};
  for (int i = 1; i <= 10; ++i) {
    cids.push_back("c-" + std::to_string(i));
    c->send(request_json(cids.back(), "Show quarterly revenue"));
  }
  REQUIRE(c->wait_for(done_all(cids), seconds(30)));
  auto frames = c->frames();
  for (const auto& cid : cids) CHECK(status_of(frames, cid) == "success");
  auto arrivals = fake->cfg_arrivals(key);
  REQUIRE(arrivals.size() == 12);  // the 429, its retry, and ten others
  std::sort(arrivals.begin(), arrivals.end());
  double first = arrivals[0];
  // Nothing reached the endpoint during the pause ...
  CHECK(arrivals[1] >= first + 1950);
  // ... and afterwards they came spread over a ramp, not all in one instant.
  CHECK(arrivals.back() - arrivals[1] >= 200);
}

TEST_CASE("model calls: a stream cut part-way is retried and its text is shown once") {
  auto fake = start_fake();
  const std::string key = "drop_at=12,times=1,latency=1000,chunks=25";
  auto server = start_server(model_env(cfg_url(*fake, key), {}));
  auto c = open_user(*server, "alice");
  c->send(request_json("c-1", "Show quarterly revenue"));
  REQUIRE(c->wait_for([](const auto& f) { return completed(f, "c-1"); }, seconds(30)));
  auto frames = c->frames();
  CHECK(status_of(frames, "c-1") == "success");
  CHECK(fake->cfg_stat(key, "requests") == 2);
  auto text = partial_text(frames, "c-1");
  // The first attempt had shown some of the answer's prose before it was cut.
  CHECK(count_of(text, "The request asks how revenue moved from quarter to quarter") == 1);
  CHECK(count_of(text, "The model says revenue rose through the year.") == 1);
  CHECK(text.find('{') == std::string::npos);
}

TEST_CASE("model calls: an endless line or body ends the call, and memory stays bounded") {
  auto fake = start_fake();
  auto line = start_server(
      model_env(cfg_url(*fake, "endless=line"), {"LLM_FALLBACK=none", "MAX_RETRIES=0"}));
  long rss_before = proc_status(line->pid(), "VmRSS");
  auto c = open_user(*line, "alice");
  c->send(request_json("c-1", "Show quarterly revenue"));
  REQUIRE(c->wait_for([](const auto& f) { return completed(f, "c-1"); }, seconds(20)));
  CHECK(error_of(c->frames(), "c-1").find("LLM_UNAVAILABLE") == 0);
  CHECK(line->wait_log("line over", 1, seconds(10)));
  CHECK(fake->cfg_stat("endless=line", "bytes") < 16 << 20);  // stopped early, not at 64 MiB
  CHECK(proc_status(line->pid(), "VmRSS") - rss_before < 64 * 1024);

  auto body = start_server(
      model_env(cfg_url(*fake, "endless=body"), {"LLM_FALLBACK=none", "MAX_RETRIES=0"}));
  auto d = open_user(*body, "alice");
  d->send(request_json("c-1", "Show quarterly revenue"));
  REQUIRE(d->wait_for([](const auto& f) { return completed(f, "c-1"); }, seconds(20)));
  CHECK(error_of(d->frames(), "c-1").find("LLM_UNAVAILABLE") == 0);
  CHECK(body->wait_log("longer than", 1, seconds(10)));
  CHECK(fake->cfg_stat("endless=body", "bytes") < 32 << 20);
  CHECK(metric(*body, "agentwire_llm_calls_in_flight") == 0);
}

TEST_CASE("model calls: LLM_RPM and LLM_TPM keep under the quota and say so at once") {
  auto fake = start_fake();
  const std::string key = "latency=100,chunks=4";
  auto server = start_server(
      model_env(cfg_url(*fake, key), {"LLM_RPM=2", "LLM_FALLBACK=none", "MAX_RUNS_PER_USER=8"}));
  auto c = open_user(*server, "alice");
  for (auto cid : {"c-1", "c-2", "c-3"}) c->send(request_json(cid, "Show quarterly revenue"));
  REQUIRE(c->wait_for(done_all({"c-1", "c-2", "c-3"}), seconds(10)));
  auto frames = c->frames();
  int ok = 0;
  std::string refused;
  for (auto cid : {"c-1", "c-2", "c-3"}) {
    if (status_of(frames, cid) == "success")
      ++ok;
    else
      refused = error_of(frames, cid);
  }
  CHECK(ok == 2);
  CHECK(refused.find("LLM_UNAVAILABLE") == 0);
  CHECK(server->wait_log("LLM_RPM reached", 1, seconds(10)));
  CHECK(fake->cfg_stat(key, "requests") == 2);

  auto tight = start_server(model_env(cfg_url(*fake, "tpm"), {"LLM_TPM=50", "LLM_FALLBACK=none"}));
  auto d = open_user(*tight, "alice");
  d->send(request_json("c-1", "Show quarterly revenue"));
  REQUIRE(d->wait_for([](const auto& f) { return completed(f, "c-1"); }, seconds(10)));
  CHECK(error_of(d->frames(), "c-1").find("LLM_UNAVAILABLE") == 0);
  CHECK(tight->wait_log("over LLM_TPM", 1, seconds(10)));
  CHECK(fake->cfg_stat("tpm", "requests") == -1);  // never sent
}

namespace {

// A self-signed certificate for 127.0.0.1 (its own CA), made with openssl in `dir`.
bool make_certificate(const std::string& dir) {
  std::string cmd =
      "timeout 30 openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 "
      "-nodes -days 1 -subj /CN=localhost -addext "
      "subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout " +
      dir + "/key.pem -out " + dir + "/cert.pem >/dev/null 2>&1";
  return std::system(cmd.c_str()) == 0;
}

}  // namespace

TEST_CASE("model calls: over https, TLS is verified and calls share one HTTP/2 connection") {
  char tmpl[] = "/tmp/agentwire-tls.XXXXXX";
  REQUIRE(mkdtemp(tmpl));
  std::string dir = tmpl;
  REQUIRE(make_certificate(dir));
  auto fake = std::make_unique<fake_openai>(dir + "/key.pem", dir + "/cert.pem");
  REQUIRE(fake->wait_listening());
  const std::string url = fake->tls_base_url("/cfg/latency=1500,chunks=10");

  auto server =
      start_server(model_env(url, {"LLM_CA_FILE=" + dir + "/cert.pem", "MAX_RUNS_PER_USER=40"}));
  auto c = open_user(*server, "alice");
  std::vector<std::string> cids;
  for (int i = 0; i < 30; ++i) {
    cids.push_back("c-" + std::to_string(i));
    c->send(request_json(cids.back(), "Show quarterly revenue"));
  }
  REQUIRE(c->wait_for(done_all(cids), seconds(30)));
  auto frames = c->frames();
  for (const auto& cid : cids) CHECK(status_of(frames, cid) == "success");
  CHECK(fake->tls_stat("h2_streams") == 30);
  CHECK(fake->tls_stat("http1_requests") == 0);
  CHECK(fake->tls_stat("sessions") == 1);  // multiplexed on one connection
  CHECK(fake->cfg_stat("latency=1500,chunks=10", "max_open") >= 25);

  // Without the CA the endpoint's certificate is refused: nothing is sent.
  auto strict = start_server(model_env(url, {"LLM_FALLBACK=none", "MAX_RETRIES=0"}));
  auto d = open_user(*strict, "alice");
  d->send(request_json("c-1", "Show quarterly revenue"));
  REQUIRE(d->wait_for([](const auto& f) { return completed(f, "c-1"); }, seconds(20)));
  CHECK(error_of(d->frames(), "c-1").find("LLM_UNAVAILABLE") == 0);
  CHECK(fake->tls_stat("h2_streams") == 30);
  std::system(("rm -rf " + dir).c_str());
}

// (A hung gnuplot would hold the exit up to its 20 s render timeout: a model
// call, which the run's end cancels at once, keeps this test short.)
TEST_CASE("SIGTERM past DRAIN_TIMEOUT_S ends a run still waiting for its model with SHUTTING_DOWN") {
  auto fake = start_fake();
  const std::string key = "latency=30000,chunks=60";
  auto server = start_server(model_env(cfg_url(*fake, key), {"DRAIN_TIMEOUT_S=1"}));
  auto c = open_user(*server, "alice");
  c->send(request_json("c-1", "Show quarterly revenue"));
  REQUIRE(eventually([&] { return fake->cfg_stat(key, "requests") >= 1; }, seconds(10)));
  auto asked = std::chrono::steady_clock::now();
  CHECK(server->stop() == 0);
  // The drain's 1 s, then at most 2 s for the sessions to end their runs.
  CHECK(std::chrono::steady_clock::now() - asked < seconds(8));
  REQUIRE(c->wait_closed());
  CHECK(c->close_code() == 1001);
  auto frames = c->frames();
  CHECK(check_run(frames, "c-1") == "");  // one agent_completed, every tool closed
  CHECK(status_of(frames, "c-1") == "error");
  CHECK(error_of(frames, "c-1").rfind("SHUTTING_DOWN ", 0) == 0);
}
