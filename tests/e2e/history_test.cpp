// End-to-end, issue #8 over HTTP: runs made over WebSocket are read back
// through the REST history API (also after a restart on the same DATA_DIR),
// chart files, auth, CORS, /metrics names and the /health shape.
#include <doctest/doctest.h>

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <thread>

#include <rapidjson/document.h>

#include "e2e/run_helpers.hpp"
#include "support/http_client.hpp"
#include "support/server_process.hpp"
#include "support/ws_client.hpp"

using namespace aw::test;
namespace fs = std::filesystem;

namespace {

std::string request(const std::string& cid, const std::string& conversation,
                    const std::string& content) {
  return R"({"type":"analytics_request","correlation_id":")" + cid + R"(","conversation_id":")" +
         conversation + R"(","payload":{"content":")" + content + R"("}})";
}

// Sends one request and waits for its agent_completed; returns the inline chart's bytes.
std::string run(ws_client& c, const std::string& cid, const std::string& conversation,
                std::string* chart_url = nullptr) {
  c.send(request(cid, conversation, "Show quarterly revenue " + cid));
  REQUIRE(c.wait_for([&](const auto& f) { return completed(f, cid); }, std::chrono::seconds(60)));
  auto frames = c.frames();  // run_events points into it: keep it alive
  for (const auto* f : run_events(frames, cid)) {
    if (f->type() != "agent_completed") continue;
    const auto& response = (*f)["data"]["response"];
    std::string uri = response["chart"].GetString();
    if (chart_url) *chart_url = response["chart_url"].GetString();
    return base64_decode(uri.substr(uri.find(',') + 1));
  }
  FAIL("no agent_completed for " << cid);
  return "";
}

// Polls GET `path` until `done` holds on a 200 answer (the history writer is
// asynchronous), within a deadline.
http_response poll_get(const server_process& s, const std::string& path,
                       const std::function<bool(const rapidjson::Document&)>& done,
                       const http_headers& headers = {}) {
  http_response last;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  for (int i = 0; i < 1500 && std::chrono::steady_clock::now() < deadline; ++i) {
    last = http_request(s.port(), "GET", path, headers);
    if (last.status == 200) {
      rapidjson::Document d;
      d.Parse(last.body.c_str());
      if (!d.HasParseError() && d.IsObject() && done(d)) return last;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));  // poll interval, not a wait-for
  }
  FAIL("condition not reached on " << path << ": " << last.status << " " << last.body);
  return last;
}

bool all_completed(const rapidjson::Document& d, unsigned count) {
  if (!d.HasMember("messages") || d["messages"].Size() != count) return false;
  for (const auto& m : d["messages"].GetArray())
    if (!m["status"].IsString()) return false;
  return true;
}

std::string cid_of(const rapidjson::Value& message) {
  return message["correlation_id"].GetString();
}

}  // namespace

TEST_CASE(
    "history: runs read back in order, paginated, without image bytes, and chart_url serves them") {
  temp_dir dir("aw-history-e2e");
  auto server = start_in(dir.path);
  auto alice = open_user(*server, "alice");
  std::string url1;
  std::string chart1 = run(*alice, "h-1", "conv-a", &url1);
  run(*alice, "h-2", "conv-a");
  run(*alice, "h-3", "conv-a");
  run(*alice, "h-4", "conv-b");

  auto page = poll_get(*server, "/conversations/alice/conv-a/messages",
                       [](const auto& d) { return all_completed(d, 3); });
  CHECK(page.header("Content-Type") == "application/json");
  CHECK(page.body.find("base64") == std::string::npos);
  CHECK(page.body.find("data:image") == std::string::npos);
  auto d = json_of(page);
  CHECK(std::string(d["user_id"].GetString()) == "alice");
  CHECK(std::string(d["conversation_id"].GetString()) == "conv-a");
  const auto& msgs = d["messages"];
  CHECK(cid_of(msgs[0]) == "h-1");
  CHECK(cid_of(msgs[1]) == "h-2");
  CHECK(cid_of(msgs[2]) == "h-3");
  CHECK(d["next_before"].IsNull());
  const auto& first = msgs[0];
  CHECK(std::string(first["run_id"].GetString()).rfind("run-", 0) == 0);
  CHECK(std::string(first["status"].GetString()) == "success");
  CHECK(std::string(first["request"]["content"].GetString()) == "Show quarterly revenue h-1");
  CHECK(std::string(first["created_at"].GetString()).back() == 'Z');
  CHECK(first["completed_at"].IsString());
  REQUIRE(first["response"].IsObject());
  CHECK(!first["response"].HasMember("chart"));
  REQUIRE(first["response"].HasMember("chart_url"));
  std::string url = first["response"]["chart_url"].GetString();
  CHECK(url == url1);
  // The user rides along, so a proxy that hashes on ?user_id= routes it (deploy/).
  CHECK(url == "/charts/" + url.substr(8, url.find('?') - 8) + "?user_id=alice");
  auto image = http_request(server->port(), "GET", url);
  CHECK(image.status == 200);
  CHECK(image.header("Content-Type") == "image/png");
  CHECK(image.header("Cache-Control") == "private, max-age=86400, immutable");
  CHECK(image.body == chart1);

  // Pages of two, then the rest: the newest two first, listed oldest first.
  auto p1 =
      json_of(http_request(server->port(), "GET", "/conversations/alice/conv-a/messages?limit=2"));
  REQUIRE(p1["messages"].Size() == 2);
  CHECK(cid_of(p1["messages"][0]) == "h-2");
  CHECK(cid_of(p1["messages"][1]) == "h-3");
  REQUIRE(p1["next_before"].IsInt64());
  REQUIRE(p1["next_before_id"].IsString());
  CHECK(std::string(p1["next_before_id"].GetString()) == p1["messages"][0]["run_id"].GetString());
  auto p2 = json_of(http_request(server->port(), "GET",
                              "/conversations/alice/conv-a/messages?limit=2&before=" +
                                  std::to_string(p1["next_before"].GetInt64()) +
                                  "&before_id=" + p1["next_before_id"].GetString()));
  REQUIRE(p2["messages"].Size() == 1);
  CHECK(cid_of(p2["messages"][0]) == "h-1");
  CHECK(p2["next_before"].IsNull());

  // Conversations: newest first, paginated the same way (once conv-b's last
  // write is in, so that its updated_at no longer moves).
  poll_get(*server, "/conversations/alice/conv-b/messages",
           [](const auto& d) { return all_completed(d, 1); });
  auto convs = poll_get(*server, "/conversations/alice",
                        [](const auto& c) { return c["conversations"].Size() == 2; });
  auto c = json_of(convs);
  CHECK(std::string(c["conversations"][0]["conversation_id"].GetString()) == "conv-b");
  CHECK(std::string(c["conversations"][1]["conversation_id"].GetString()) == "conv-a");
  CHECK(c["conversations"][1]["message_count"].GetInt64() == 3);
  auto c1 = json_of(http_request(server->port(), "GET", "/conversations/alice?limit=1"));
  REQUIRE(c1["conversations"].Size() == 1);
  REQUIRE(c1["next_before"].IsInt64());
  REQUIRE(c1["next_before_id"].IsString());
  auto c2 = json_of(http_request(
      server->port(), "GET",
      "/conversations/alice?limit=1&before=" + std::to_string(c1["next_before"].GetInt64()) +
          "&before_id=" + c1["next_before_id"].GetString()));
  REQUIRE(c2["conversations"].Size() == 1);
  CHECK(std::string(c2["conversations"][0]["conversation_id"].GetString()) == "conv-a");

  // A user with no history: 200 and an empty list.
  auto none = json_of(http_request(server->port(), "GET", "/conversations/nobody"));
  CHECK(none["conversations"].Size() == 0);
  CHECK(none["next_before"].IsNull());
}

TEST_CASE("history: 404 for an unknown conversation, 400 for bad ids, limits and cursors") {
  temp_dir dir("aw-history-e2e");
  auto server = start_in(dir.path);
  auto get = [&](const std::string& path) { return http_request(server->port(), "GET", path); };
  auto unknown = get("/conversations/alice/nope/messages");
  CHECK(unknown.status == 404);
  CHECK(json_of(unknown).HasMember("error"));
  for (const char* bad :
       {"/conversations/alice?limit=0", "/conversations/alice?limit=201",
        "/conversations/alice?limit=x", "/conversations/alice?before=-1",
        "/conversations/alice/c/messages?before=soon", "/conversations/bad%20user",
        "/conversations/a/b%2Fc/messages", "/conversations/a%zz"}) {
    auto r = get(bad);
    CHECK_MESSAGE(r.status == 400, bad, " -> ", r.status);
    CHECK_MESSAGE(r.header("Content-Type") == "application/json", bad);
  }
  CHECK(get("/conversations/alice/c/other").status == 404);
  CHECK(get("/charts/ch-none").status == 404);
  CHECK(http_request(server->port(), "DELETE", "/conversations/alice").status == 405);
}

TEST_CASE(
    "history with AUTH_SECRET: a user reads only their own (401 without a token, 403 for "
    "another)") {
  temp_dir dir("aw-history-e2e");
  const std::string secret = "history-test-secret-0123456789abcdef";
  auto server = start_in(dir.path, {"AUTH_SECRET=" + secret});
  auto mint = [&](const std::string& user) {
    std::string cmd =
        "AUTH_SECRET=" + secret + " " + agentwire_binary() + " token --user " + user + " --ttl 600";
    FILE* p = popen(cmd.c_str(), "r");
    char buf[1024] = {0};
    std::string out = std::fgets(buf, sizeof buf, p) ? buf : "";
    pclose(p);
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
    return out;
  };
  std::string alice = mint("alice");
  std::string bob = mint("bob");
  REQUIRE(alice.size() > 20);
  auto ws = open_user(*server, "alice", "s1", "&token=" + alice);
  std::string url;
  std::string chart = run(*ws, "a-1", "conv-1", &url);
  auto as = [](const std::string& token) {
    return http_headers{{"Authorization", "Bearer " + token}};
  };
  auto own = poll_get(
      *server, "/conversations/alice/conv-1/messages",
      [](const auto& d) { return all_completed(d, 1); }, as(alice));
  CHECK(own.status == 200);
  CHECK(http_request(server->port(), "GET", "/conversations/alice").status == 401);
  CHECK(http_request(server->port(), "GET", "/conversations/alice", as(alice + "x")).status == 401);
  CHECK(http_request(server->port(), "GET", "/conversations/alice", as(bob)).status == 403);
  CHECK(
      http_request(server->port(), "GET", "/conversations/alice/conv-1/messages", as(bob)).status ==
      403);
  CHECK(http_request(server->port(), "GET", "/conversations/bob", as(bob)).status == 200);
  // Charts: only the owner.
  auto mine = http_request(server->port(), "GET", url, as(alice));
  CHECK(mine.status == 200);
  CHECK(mine.body == chart);
  CHECK(http_request(server->port(), "GET", url, as(bob)).status == 404);
  CHECK(http_request(server->port(), "GET", url).status == 401);
}

TEST_CASE("CORS: listed origins get headers and answered preflights, others get none") {
  temp_dir dir("aw-history-e2e");
  auto server = start_in(dir.path, {"CORS_ORIGINS=https://chat.example.com, https://b.example"});
  auto pre = http_request(server->port(), "OPTIONS", "/conversations/alice",
                          {{"Origin", "https://chat.example.com"},
                           {"Access-Control-Request-Method", "GET"},
                           {"Access-Control-Request-Headers", "authorization"}});
  CHECK(pre.status == 204);
  CHECK(pre.header("Access-Control-Allow-Origin") == "https://chat.example.com");
  CHECK(pre.header("Access-Control-Allow-Methods").find("GET") != std::string::npos);
  CHECK(pre.header("Access-Control-Allow-Methods").find("POST") != std::string::npos);
  CHECK(pre.header("Access-Control-Allow-Headers").find("Authorization") != std::string::npos);
  CHECK(!pre.header("Access-Control-Max-Age").empty());
  CHECK(pre.header("Vary") == "Origin");
  auto get = http_request(server->port(), "GET", "/health", {{"Origin", "https://b.example"}});
  CHECK(get.status == 200);
  CHECK(get.header("Access-Control-Allow-Origin") == "https://b.example");
  CHECK(get.header("Vary") == "Origin");
  auto missing = http_request(server->port(), "GET", "/conversations/alice/x/messages",
                              {{"Origin", "https://chat.example.com"}});
  CHECK(missing.status == 404);  // error answers carry CORS too, so a page can read them
  CHECK(missing.header("Access-Control-Allow-Origin") == "https://chat.example.com");
  for (const char* method : {"GET", "OPTIONS"}) {
    auto evil =
        http_request(server->port(), method, "/health", {{"Origin", "https://evil.example"}});
    CHECK(evil.header("Access-Control-Allow-Origin").empty());
    CHECK(evil.header("Access-Control-Allow-Methods").empty());
  }
  CHECK(
      http_request(server->port(), "GET", "/health").header("Access-Control-Allow-Origin").empty());
}

TEST_CASE("/metrics names every family, /health reports the store and the render pool") {
  temp_dir dir("aw-history-e2e");
  auto server = start_in(dir.path);
  auto c = open_user(*server, "m1");
  run(*c, "m-1", "conv");
  // The run's counters are bumped as it ends, just after its last event: poll for them.
  http_response metrics;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  for (int i = 0; i < 1000 && std::chrono::steady_clock::now() < deadline; ++i) {
    metrics = http_request(server->port(), "GET", "/metrics");
    if (metrics.body.find("agentwire_runs_total{status=\"success\"} 1\n") != std::string::npos)
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  REQUIRE(metrics.status == 200);
  CHECK(metrics.header("Content-Type").rfind("text/plain", 0) == 0);
  for (const char* family :
       {"agentwire_connections gauge", "agentwire_users gauge", "agentwire_runs_total counter",
        "agentwire_events_sent_total counter", "agentwire_event_delivery_seconds histogram",
        "agentwire_run_duration_seconds histogram", "agentwire_render_seconds histogram",
        "agentwire_llm_seconds histogram", "agentwire_errors_total counter",
        "agentwire_slow_consumer_closes_total counter", "agentwire_store_write_seconds histogram",
        "agentwire_store_up gauge", "agentwire_workers_live gauge"}) {
    CHECK_MESSAGE(metrics.body.find(std::string("# TYPE ") + family + "\n") != std::string::npos,
                  family);
    std::string name = std::string(family).substr(0, std::string(family).find(' '));
    CHECK_MESSAGE(metrics.body.find("# HELP " + name + " ") != std::string::npos, name);
  }
  CHECK(metrics.body.find("agentwire_runs_total{status=\"success\"} 1\n") != std::string::npos);
  CHECK(metrics.body.find("agentwire_render_seconds_count 1\n") != std::string::npos);

  auto health = http_request(server->port(), "GET", "/health");
  REQUIRE(health.status == 200);
  auto h = json_of(health);
  CHECK(std::string(h["status"].GetString()) == "healthy");
  CHECK(h["active_connections"].GetInt() == 1);
  CHECK(h["uptime_s"].IsNumber());
  CHECK(std::string(h["store"]["backend"].GetString()) == "sqlite");
  CHECK(h["store"]["up"].GetBool());
  CHECK(h["render_pool"]["workers"].GetInt() >= 1);
  CHECK(h["render_pool"]["up"].GetInt() >= 1);
  CHECK(http_request(server->port(), "HEAD", "/health").body.empty());
}

TEST_CASE("a store that does not answer: /health says degraded (still 200), history answers 503") {
  temp_dir dir("aw-history-e2e");
  // Nothing listens on port 1 of loopback: the connection is refused at once.
  auto server = start_in(dir.path, {"STORE_URL=postgresql://aw@127.0.0.1:1/aw?connect_timeout=2"});
  auto health = http_request(server->port(), "GET", "/health");
  REQUIRE(health.status == 200);
  auto h = json_of(health);
  CHECK(std::string(h["status"].GetString()) == "degraded");
  CHECK(std::string(h["store"]["backend"].GetString()) == "postgresql");
  CHECK_FALSE(h["store"]["up"].GetBool());
  CHECK(http_request(server->port(), "GET", "/conversations/alice").status == 503);
}

TEST_CASE("restart keeps history and chart files, and old chart files go by RETENTION_DAYS") {
  temp_dir dir("aw-history-e2e");
  std::string url;
  std::string chart;
  {
    auto server = start_in(dir.path);
    auto c = open_user(*server, "carol");
    chart = run(*c, "r-1", "conv-r", &url);
    run(*c, "r-2", "conv-r");
    poll_get(*server, "/conversations/carol/conv-r/messages",
             [](const auto& d) { return all_completed(d, 2); });
    c->close();
    CHECK(server->stop() == 0);
  }
  // An old chart left from long ago, and a fresh one: only the old one goes.
  fs::path charts = dir.path / "charts";
  REQUIRE(fs::is_directory(charts));
  std::ofstream(charts / "ch-old-1.png") << "old";
  std::ofstream(charts / "ch-old-1.meta") << "carol\nimage/png\n";
  auto long_ago = fs::file_time_type::clock::now() - std::chrono::hours(24 * 10);
  fs::last_write_time(charts / "ch-old-1.png", long_ago);
  fs::last_write_time(charts / "ch-old-1.meta", long_ago);

  auto server = start_in(dir.path, {"RETENTION_DAYS=5"});
  auto d = json_of(http_request(server->port(), "GET", "/conversations/carol/conv-r/messages"));
  REQUIRE(d["messages"].Size() == 2);
  CHECK(cid_of(d["messages"][0]) == "r-1");
  CHECK(cid_of(d["messages"][1]) == "r-2");
  CHECK(std::string(d["messages"][1]["status"].GetString()) == "success");
  auto image = http_request(server->port(), "GET", url);  // from disk now
  CHECK(image.status == 200);
  CHECK(image.header("Content-Type") == "image/png");
  CHECK(!image.header("ETag").empty());
  CHECK(image.body == chart);
  auto head = http_request(server->port(), "HEAD", url);
  CHECK(head.status == 200);
  CHECK(head.body.empty());
  CHECK(head.header("Content-Length") == std::to_string(chart.size()));
  auto again = http_request(server->port(), "GET", url, {{"If-None-Match", image.header("ETag")}});
  CHECK(again.status == 304);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (fs::exists(charts / "ch-old-1.png") && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  CHECK(!fs::exists(charts / "ch-old-1.png"));
  CHECK(!fs::exists(charts / "ch-old-1.meta"));
  CHECK(http_request(server->port(), "GET", url).status == 200);  // 5 days are not up for it
}

TEST_CASE("an SVG chart is served with a sandboxing CSP and nosniff") {
  temp_dir dir("aw-history-e2e");
  auto server = start_in(dir.path);
  auto c = open_user(*server, "alice");
  c->send(R"({"type":"analytics_request","correlation_id":"svg-1","payload":)"
          R"({"content":"Show quarterly revenue","format":"svg"}})");
  REQUIRE(
      c->wait_for([](const auto& f) { return completed(f, "svg-1"); }, std::chrono::seconds(60)));
  auto frames = c->frames();
  std::string url;
  for (const auto* f : run_events(frames, "svg-1"))
    if (f->type() == "agent_completed") url = (*f)["data"]["response"]["chart_url"].GetString();
  REQUIRE(!url.empty());
  auto image = http_request(server->port(), "GET", url);
  CHECK(image.status == 200);
  CHECK(image.header("Content-Type") == "image/svg+xml");
  CHECK(image.header("Content-Security-Policy") ==
        "default-src 'none'; style-src 'unsafe-inline'; sandbox");
  CHECK(image.header("X-Content-Type-Options") == "nosniff");
}
