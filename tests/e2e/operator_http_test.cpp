// The operator-facing HTTP answers of the real binary (issue #22): /livez,
// /readyz, one error shape with a code, 426 on plain GET /ws, Allow headers,
// reason phrases and a Server header without a library version.
#include <doctest/doctest.h>

#include <string>

#include <rapidjson/document.h>

#include "e2e/run_helpers.hpp"
#include "support/http_client.hpp"
#include "support/server_process.hpp"

using namespace aw::test;

namespace {

rapidjson::Document json_of(const http_response& r) {
  rapidjson::Document d;
  d.Parse(r.body.c_str());
  REQUIRE_MESSAGE(!d.HasParseError(), r.body);
  REQUIRE(d.IsObject());
  return d;
}

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
