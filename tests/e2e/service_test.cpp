// End-to-end: the real agentwire binary on an ephemeral loopback port, driven
// by real WebSocket clients.
#include <doctest/doctest.h>

#include <cstdio>
#include <memory>

#include "e2e/run_helpers.hpp"
#include "support/png_check.hpp"
#include "support/server_process.hpp"
#include "support/ws_client.hpp"

using namespace aw::test;

namespace {

const rapidjson::Value* completion(const std::vector<frame>& frames, const std::string& cid) {
  for (const auto* f : run_events(frames, cid))
    if (f->type() == "agent_completed") return &(*f)["data"];
  return nullptr;
}

std::string chart_bytes(const rapidjson::Value& response) {
  std::string uri = response["chart"].GetString();
  auto comma = uri.find(',');
  return base64_decode(uri.substr(comma + 1));
}

// PNG_PATH=pngcairo-fast (the default): the PNG was written by our writer
// preloaded into gnuplot, whose zlib stream starts 78 01 with a fixed-Huffman
// block (cairo's own writer, through libpng, starts otherwise).
bool written_by_preloaded_writer(const std::string& png) {
  auto at = png.find("IDAT");
  if (at == std::string::npos || at + 7 > png.size()) return false;
  auto b = [&](std::size_t i) { return static_cast<unsigned char>(png[at + 4 + i]); };
  return b(0) == 0x78 && b(1) == 0x01 && ((b(2) >> 1) & 3) == 1;
}

}  // namespace

TEST_CASE("two users run concurrently: complete ordered runs, no frame crosses users") {
  auto server = start_server();
  auto a1 = open_user(*server, "alice", "s1");
  auto a2 = open_user(*server, "alice", "s2");
  auto b1 = open_user(*server, "bob", "s1");

  a1->send(request_json("a-1", "Show quarterly revenue growth for 2024",
                        "\"width\":640,\"height\":400"));
  b1->send(request_json("b-1", "Show monthly signups", "\"chart_preference\":\"line_chart\""));
  a2->send(request_json("a-2", "Share of sales by region", "\"chart_preference\":\"pie_chart\""));
  b1->send(request_json("b-2", "Weekly orders", "\"chart_preference\":\"bar_chart_horizontal\""));

  auto alice_done = [](const auto& f) { return completed(f, "a-1") && completed(f, "a-2"); };
  auto bob_done = [](const auto& f) { return completed(f, "b-1") && completed(f, "b-2"); };
  REQUIRE(a1->wait_for(alice_done, std::chrono::seconds(60)));
  REQUIRE(a2->wait_for(alice_done, std::chrono::seconds(60)));
  REQUIRE(b1->wait_for(bob_done, std::chrono::seconds(60)));

  for (auto* c : {a1.get(), a2.get()}) {
    auto frames = c->frames();
    CHECK(check_run(frames, "a-1") == "");
    CHECK(check_run(frames, "a-2") == "");
    CHECK(check_seq(frames) == "");
    for (const auto& f : frames) {
      if (f.has("user_id")) CHECK(std::string(f["user_id"].GetString()) == "alice");
      if (f.has("correlation_id")) CHECK(std::string(f["correlation_id"].GetString())[0] == 'a');
    }
  }
  // Both of alice's connections saw the identical event stream.
  auto seqs = [](const std::vector<frame>& frames) {
    std::vector<std::string> out;
    for (const auto& f : frames)
      if (f.has("seq")) out.push_back(f["event_id"].GetString());
    return out;
  };
  CHECK(seqs(a1->frames()) == seqs(a2->frames()));
  auto bob = b1->frames();
  CHECK(check_run(bob, "b-1") == "");
  CHECK(check_run(bob, "b-2") == "");
  for (const auto& f : bob)
    if (f.has("user_id")) CHECK(std::string(f["user_id"].GetString()) == "bob");

  const auto* done = completion(a1->frames(), "a-1");
  REQUIRE(done);
  REQUIRE(std::string((*done)["status"].GetString()) == "success");
  const auto& response = (*done)["response"];
  auto png = decode_png(chart_bytes(response));
  REQUIRE_MESSAGE(png.ok, png.error);
  CHECK(png.width == 640);
  CHECK(png.height == 400);
  CHECK(png.distinct_colours > 8);
  CHECK(written_by_preloaded_writer(chart_bytes(response)));
  CHECK(std::string(response["metadata"]["chart_type"].GetString()) != "");

  const auto* pie = completion(a1->frames(), "a-2");
  REQUIRE(pie);
  CHECK(std::string((*pie)["response"]["metadata"]["chart_type"].GetString()) == "pie_chart");

  // chart_url serves the same bytes with the image's content type.
  std::string body, type;
  CHECK(http_get(server->port(), response["chart_url"].GetString(), &body, &type) == 200);
  CHECK(type == "image/png");
  CHECK(body == chart_bytes(response));
  CHECK(server->stop() == 0);
}

TEST_CASE("the handshake refuses bad ids with HTTP 400 and accepts the path form") {
  auto server = start_server();
  std::vector<std::string> bad_urls = {"/ws?user_id=bad%20user&session_id=s",
                                       "/ws?session_id=s",
                                       "/ws?user_id=&session_id=s",
                                       "/ws?user_id=u&session_id=a%2Fb",
                                       "/ws/bad%20user/s",
                                       "/ws?user_id=" + std::string(129, 'u') + "&session_id=s"};
  for (const auto& bad : bad_urls) {
    int status = 0;
    auto c = ws_client::connect(server->url(bad), &status);
    CHECK_MESSAGE(!c, bad);
    CHECK_MESSAGE(status == 400, bad);
  }
  auto ok = ws_client::connect(server->url("/ws/" + std::string(128, 'u') + "/sess-1"));
  REQUIRE(ok);
  REQUIRE(ok->wait_for([](const auto& f) { return !f.empty(); }));
  auto ack = ok->frames().front();
  CHECK(ack.type() == "connection_ack");
  CHECK(ack["last_seq"].GetInt64() == 0);
  CHECK(ack["chart_types"].Size() == 23);

  std::string body, type;
  REQUIRE(http_get(server->port(), "/health", &body, &type) == 200);
  CHECK(type == "application/json");
  CHECK_MESSAGE(body.find("\"active_connections\":1") != std::string::npos, body);
  CHECK_MESSAGE(body.find("\"status\":\"healthy\"") != std::string::npos, body);
  CHECK(http_get(server->port(), "/charts/ch-nope", &body, &type) == 404);
}

TEST_CASE("bad frames get the protocol's errors and the connection stays open") {
  auto server = start_server();
  auto c = open_user(*server, "carol", "s1");
  struct bad_case {
    std::string frame;
    std::string code;
  };
  std::vector<bad_case> cases = {
      {"not json", "INVALID_JSON"},
      {"[1,2]", "INVALID_JSON"},
      {R"({"type":"frobnicate"})", "UNKNOWN_TYPE"},
      {R"({"type":"analytics_request","correlation_id":"x1","payload":{}})", "VALIDATION_FAILED"},
      {R"({"type":"analytics_request","correlation_id":"x2","payload":{"content":"a","width":10}})",
       "VALIDATION_FAILED"},
      {R"({"type":"analytics_request","correlation_id":"x3","payload":{"content":"a","chart_preference":"nope"}})",
       "UNSUPPORTED_CHART_TYPE"},
      {R"({"type":"cancel","correlation_id":"never"})", "NOT_FOUND"},
  };
  for (const auto& k : cases) {
    auto before = c->frames().size();
    c->send(k.frame);
    REQUIRE_MESSAGE(c->wait_for([before](const auto& f) { return f.size() > before; }), k.frame);
    auto f = c->frames().back();
    CHECK_MESSAGE(f.type() == "error", k.frame);
    CHECK_MESSAGE(std::string(f["code"].GetString()) == k.code, k.frame);
  }
  auto before = c->frames().size();
  c->send(R"({"type":"ping"})");
  REQUIRE(c->wait_for([before](const auto& f) { return f.size() > before; }));
  CHECK(c->frames().back().type() == "pong");
  CHECK(c->is_open());
}

TEST_CASE("a bad configuration value stops the binary with a clear message") {
  std::string cmd = agentwire_binary() + " --port 80 --chart-generation-timeout-s 1 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p);
  std::string out;
  char buf[512];
  while (std::fgets(buf, sizeof buf, p)) out += buf;
  int status = pclose(p);
  CHECK(WEXITSTATUS(status) == 2);
  CHECK(out.find("PORT") != std::string::npos);
  CHECK(out.find("CHART_GENERATION_TIMEOUT_S") != std::string::npos);
}
