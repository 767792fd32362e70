// The operator-facing HTTP answers of the real binary (issue #22): /livez,
// /readyz, one error shape with a code, 426 on plain GET /ws, Allow headers,
// reason phrases and a Server header without a library version.
#include <doctest/doctest.h>

#include <cstdio>
#include <regex>
#include <string>

#include <rapidjson/document.h>

#include "e2e/run_helpers.hpp"
#include "support/http_client.hpp"
#include "support/server_process.hpp"
#include "support/ws_client.hpp"

using namespace aw::test;

namespace {

std::string str(const rapidjson::Value& v, const char* key) {
  return v.HasMember(key) && v[key].IsString() ? v[key].GetString() : "";
}

// A loopback port nothing listens on (bound, never listened, then closed).
const char* dead_store = "STORE_URL=postgresql://agentwire@127.0.0.1:1/agentwire?connect_timeout=2";

}  // namespace

TEST_CASE("livez and readyz: 200 on a node that can serve runs") {
  auto server = start_server();
  auto live = http_request(server->port(), "GET", "/livez");
  CHECK(live.status == 200);
  CHECK(str(json_of(live), "status") == "alive");
  auto ready = http_request(server->port(), "GET", "/readyz");
  CHECK(ready.status == 200);
  auto d = json_of(ready);
  CHECK(str(d, "status") == "ready");
  CHECK(d["reasons"].Size() == 0);
}

TEST_CASE("readyz: 503 naming the store when the store does not answer, livez stays 200") {
  auto server = start_server({dead_store});
  auto ready = http_request(server->port(), "GET", "/readyz");
  CHECK(ready.status == 503);
  CHECK(ready.status_line == "HTTP/1.1 503 Service Unavailable");
  auto d = json_of(ready);
  CHECK(str(d, "status") == "not_ready");
  REQUIRE(d["reasons"].Size() >= 1);
  CHECK(std::string(d["reasons"][0].GetString()).find("store") != std::string::npos);
  CHECK(http_request(server->port(), "GET", "/livez").status == 200);
  // /health stays the detailed 200.
  CHECK(http_request(server->port(), "GET", "/health").status == 200);
  // The log says which setting points at the store, once.
  CHECK(server->log().find("\"setting\":\"STORE_URL (postgresql)\"") != std::string::npos);
  CHECK(server->log_count("\"msg\":\"history store not available") == 1);
}

TEST_CASE("readyz: 503 on a gateway none of whose worker nodes is live") {
  auto server = start_server({"ROLE=gateway", "WORKERS=127.0.0.1:1", "WORKER_TIMEOUT_S=1"});
  auto ready = http_request(server->port(), "GET", "/readyz");
  CHECK(ready.status == 503);
  auto d = json_of(ready);
  bool named = false;
  for (const auto& r : d["reasons"].GetArray())
    named |= std::string(r.GetString()).find("worker node") != std::string::npos;
  CHECK_MESSAGE(named, ready.body);
}

TEST_CASE("REST errors: {error, code}, reason phrases, Allow, 426 on plain GET /ws, Server") {
  auto server = start_server();
  int port = server->port();

  auto missing = http_request(port, "GET", "/nope");
  CHECK(missing.status_line == "HTTP/1.1 404 Not Found");
  CHECK(str(json_of(missing), "code") == "NOT_FOUND");
  CHECK(!str(json_of(missing), "error").empty());

  auto plain_ws = http_request(port, "GET", "/ws?user_id=alice&session_id=s1");
  CHECK(plain_ws.status_line == "HTTP/1.1 426 Upgrade Required");
  CHECK(plain_ws.header("Upgrade") == "websocket");
  CHECK(str(json_of(plain_ws), "code") == "UPGRADE_REQUIRED");
  CHECK(str(json_of(plain_ws), "error").find("WebSocket client") != std::string::npos);
  CHECK(http_request(port, "GET", "/ws/alice/s1").status == 426);

  auto post_page = http_request(port, "POST", "/");
  CHECK(post_page.status_line == "HTTP/1.1 405 Method Not Allowed");
  CHECK(post_page.header("Allow") == "GET, HEAD, OPTIONS");
  CHECK(str(json_of(post_page), "code") == "METHOD_NOT_ALLOWED");
  auto get_agui = http_request(port, "GET", "/agui");
  CHECK(get_agui.status == 405);
  CHECK(get_agui.header("Allow") == "POST, OPTIONS");
  CHECK(http_request(port, "OPTIONS", "/agui").header("Allow") == "POST, OPTIONS");
  CHECK(http_request(port, "OPTIONS", "/health").header("Allow") == "GET, HEAD, OPTIONS");

  // websocketpp has no phrase for 422: ours says it.
  auto unprocessable =
      http_request_with_body(port, "POST", "/agui", R"({"threadId":"t","runId":"r","messages":[]})",
                             {{"Content-Type", "application/json"}});
  CHECK(unprocessable.status_line == "HTTP/1.1 422 Unprocessable Entity");
  CHECK(str(json_of(unprocessable), "code") == "VALIDATION_FAILED");

  for (const auto* r : {&missing, &plain_ws, &post_page})
    CHECK_MESSAGE(r->header("Server") == "agentwire", r->header("Server"));
}

namespace {

// The value of one sample line ("name{labels} value"), or -1.
double sample_value(const std::string& body, const std::string& series) {
  auto at = body.find("\n" + series + " ");
  if (at == std::string::npos) return -1;
  return std::stod(body.substr(at + series.size() + 2));
}

std::string mint(const std::string& secret, const std::string& user) {
  std::string cmd = "AUTH_SECRET=" + secret + " " + agentwire_binary() + " token --user " + user;
  FILE* p = popen(cmd.c_str(), "r");
  char buf[1024] = {0};
  std::string out = std::fgets(buf, sizeof buf, p) ? buf : "";
  pclose(p);
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

}  // namespace

TEST_CASE("metrics: seconds, build info, process, refusals by status, closes by code, HTTP") {
  auto server = start_server({"MAX_CONNECTIONS_PER_USER=1"});
  int port = server->port();
  // One refusal (no user_id: 400), one close 4000 (a second connection of a
  // user allowed one), two HTTP answers.
  int status = 0;
  CHECK(ws_client::connect(server->url("/ws?session_id=s1"), &status) == nullptr);
  CHECK(status == 400);
  auto first = open_user(*server, "alice", "s1");
  auto second = open_user(*server, "alice", "s2");
  CHECK(http_request(port, "GET", "/nope").status == 404);
  CHECK(http_request(port, "GET", "/livez").status == 200);
  CHECK(http_request(port, "GET", "/charts/ch-none").status == 404);
  second->send(request_json("m-1", "Show quarterly revenue"));
  REQUIRE(second->wait_for([](const auto& f) { return completed(f, "m-1"); },
                           std::chrono::seconds(60)));

  std::string body;
  for (int i = 0; i < 200; ++i) {  // the run's counters are bumped just after its last event
    body = http_request(port, "GET", "/metrics").body;
    if (sample_value(body, "agentwire_render_seconds_count") >= 1) break;
  }
  CHECK(body.find("_ms_bucket") == std::string::npos);
  CHECK(body.find("# TYPE agentwire_render_seconds histogram\n") != std::string::npos);
  CHECK(body.find("# TYPE agentwire_run_duration_seconds histogram\n") != std::string::npos);
  CHECK(sample_value(body, "agentwire_render_seconds_count") == 1);
  // Bounds in seconds: 5 ms is le="0.005"; a run of a few ms sums to well under 60 s.
  CHECK(body.find("agentwire_render_seconds_bucket{le=\"0.005\"}") != std::string::npos);
  double sum = sample_value(body, "agentwire_run_duration_seconds_sum");
  CHECK(sum > 0);
  CHECK(sum < 60);
  CHECK(sample_value(body, "agentwire_build_info{version=\"0.1.0\"}") == 1);
  CHECK(sample_value(body, "process_resident_memory_bytes") > 1e6);
  CHECK(sample_value(body, "process_open_fds") >= 3);
  CHECK(sample_value(body, "process_threads") >= 2);
  CHECK(sample_value(body, "process_cpu_seconds_total") > 0);
  CHECK(sample_value(body, "agentwire_handshake_refusals_total{status=\"400\"}") == 1);
  CHECK(sample_value(body, "agentwire_handshake_refusals_total{status=\"401\"}") == 0);
  CHECK(sample_value(body, "agentwire_closes_total{code=\"4000\"}") == 1);
  CHECK(sample_value(body, "agentwire_http_requests_total{route=\"other\",status=\"404\"}") == 1);
  CHECK(sample_value(body, "agentwire_http_requests_total{route=\"/livez\",status=\"200\"}") == 1);
  // Every sample line parses the strict way (no '}' inside label values), a
  // chart route among them.
  CHECK(sample_value(body, "agentwire_http_requests_total{route=\"/charts/:id\",status=\"404\"}") ==
        1);
  std::regex sample_line(R"(^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[^}]*\})? [-+0-9.eE]+(Inf|NaN)?$)");
  std::size_t start = 0;
  while (start < body.size()) {
    auto end = body.find('\n', start);
    std::string l = body.substr(start, end - start);
    start = end == std::string::npos ? body.size() : end + 1;
    if (!l.empty() && l[0] != '#') CHECK_MESSAGE(std::regex_match(l, sample_line), l);
  }
  // Every family has HELP and TYPE.
  std::regex type_line("# TYPE ([a-z_]+) ");
  for (std::sregex_iterator it(body.begin(), body.end(), type_line), end; it != end; ++it)
    CHECK_MESSAGE(body.find("# HELP " + (*it)[1].str() + " ") != std::string::npos, (*it)[1].str());
}

TEST_CASE("metrics: METRICS_TOKEN is the scraper's credential, a user's token does not do") {
  auto server = start_server({"AUTH_SECRET=user-secret-0123456789abcdef0123456789", "METRICS_TOKEN=scrape-secret"});
  int port = server->port();
  auto none = http_request(port, "GET", "/metrics");
  CHECK(none.status == 401);
  CHECK(none.body.find("METRICS_TOKEN") != std::string::npos);
  std::string alice = mint("user-secret-0123456789abcdef0123456789", "alice");
  REQUIRE(alice.size() > 20);
  CHECK(http_request(port, "GET", "/metrics", {{"Authorization", "Bearer " + alice}}).status ==
        401);
  CHECK(http_request(port, "GET", "/metrics", {{"Authorization", "Bearer scrape-secreT"}}).status ==
        401);
  auto ok = http_request(port, "GET", "/metrics", {{"Authorization", "Bearer scrape-secret"}});
  CHECK(ok.status == 200);
  CHECK(ok.body.find("agentwire_build_info") != std::string::npos);
  // The user's token still reads the user's own routes.
  CHECK(http_request(port, "GET", "/conversations/alice", {{"Authorization", "Bearer " + alice}})
            .status == 200);
}

TEST_CASE("logs: the start-up line, refusals with the client address, one line per finished run") {
  auto server = start_server();
  std::string log = server->log();
  for (const char* field :
       {"\"msg\":\"starting\"", "\"version\":\"0.1.0\"", "\"role\":\"all\"", "\"auth\":\"off\"",
        "\"llm_provider\":\"builtin\"", "\"render_pool_size\":\"", "\"store\":\"sqlite"})
    CHECK_MESSAGE(log.find(field) != std::string::npos, field);

  int status = 0;
  CHECK(ws_client::connect(server->url("/ws?session_id=s1"), &status) == nullptr);
  REQUIRE(server->wait_log("\"msg\":\"handshake refused\""));
  CHECK(std::regex_search(server->log(),
                          std::regex(R"("msg":"handshake refused".*"client":"127\.0\.0\.1:\d+")")));

  auto c = open_user(*server, "alice");
  c->send(request_json("l-1", "Show quarterly revenue", "\"chart_preference\":\"pie_chart\""));
  REQUIRE(c->wait_for([](const auto& f) { return completed(f, "l-1"); }, std::chrono::seconds(60)));
  REQUIRE(server->wait_log("\"msg\":\"run finished\""));
  std::smatch m;
  std::string after = server->log();
  REQUIRE(std::regex_search(after, m, std::regex(R"(\{[^\n]*"msg":"run finished"[^\n]*\})")));
  std::string line = m.str();
  for (const char* field :
       {"\"user\":\"alice\"", "\"correlation_id\":\"l-1\"", "\"chart_type\":\"pie_chart\"",
        "\"status\":\"success\"", "\"error_code\":\"\"", "\"run\":\"run-"})
    CHECK_MESSAGE(line.find(field) != std::string::npos, field << " in " << line);
  CHECK(std::regex_search(line, std::regex(R"("duration_ms":"\d+")")));
  CHECK(std::regex_search(line, std::regex(R"("tokens_in":"\d+")")));
  CHECK(server->log_count("\"msg\":\"run finished\"") == 1);
}
