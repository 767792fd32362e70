// End-to-end: with AUTH_SECRET, an open WebSocket whose token expires is
// closed with 4003 unless the client sent a fresh token for the same user
// ({"type":"auth","token":...}, PROTOCOL.md sections 2 and 5).
#include <doctest/doctest.h>

#include <chrono>
#include <string>

#include "auth/jwt.hpp"
#include "e2e/run_helpers.hpp"
#include "support/server_process.hpp"
#include "support/ws_client.hpp"

using namespace aw::test;

namespace {

const std::string secret = "token-expiry-test-secret-0123456789abcdef";

std::int64_t now_s() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string token_for(const std::string& user, int ttl_s) {
  return aw::auth::mint_hs256(secret, user, now_s() + ttl_s, now_s());
}

std::unique_ptr<ws_client> connect_with(const server_process& s, const std::string& user,
                                        const std::string& token) {
  auto c = ws_client::connect(s.url("/ws?user_id=" + user + "&session_id=s1&token=" + token));
  REQUIRE(c);
  REQUIRE(c->wait_for([](const std::vector<frame>& f) {
    for (const auto& x : f)
      if (x.type() == "connection_ack") return true;
    return false;
  }));
  return c;
}

bool has_error(const std::vector<frame>& frames, const std::string& needle) {
  for (const auto& f : frames)
    if (f.type() == "error" && f.text.find(needle) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("an expired token closes its connection 4003 unless a fresh one was sent") {
  auto server = start_server({"AUTH_SECRET=" + secret, "AUTH_LEEWAY_S=0"});
  // 4 s: bob must renew before his first token expires, also on a loaded machine.
  auto expiring = connect_with(*server, "alice", token_for("alice", 4));
  auto renewed = connect_with(*server, "bob", token_for("bob", 4));

  // Someone else's token, or a bad one, is refused and changes nothing.
  renewed->send(R"({"type":"auth","token":")" + token_for("mallory", 60) + R"("})");
  renewed->send(R"({"type":"auth","token":"not.a.token"})");
  REQUIRE(renewed->wait_for(
      [](const auto& f) { return has_error(f, "another user") && has_error(f, "token:"); }));
  renewed->send(R"({"type":"auth","token":")" + token_for("bob", 60) + R"("})");

  REQUIRE(expiring->wait_closed(std::chrono::seconds(10)));
  CHECK(expiring->close_code() == 4003);
  // bob's first token expired at the same moment: his connection is still open.
  CHECK(renewed->is_open());
  renewed->send(R"({"type":"ping"})");
  CHECK(renewed->wait_for([](const auto& f) {
    for (const auto& x : f)
      if (x.type() == "pong") return true;
    return false;
  }));
  CHECK(server->log_count("token expired") == 1);
}

TEST_CASE("without AUTH_SECRET an auth message is accepted and nothing closes") {
  auto server = start_server();
  auto c = open_user(*server, "alice");
  c->send(R"({"type":"auth","token":"anything"})");
  c->send(R"({"type":"auth"})");
  REQUIRE(c->wait_for([](const auto& f) { return has_error(f, "token is required"); }));
  CHECK_FALSE(has_error(c->frames(), "UNKNOWN_TYPE"));
  CHECK(c->is_open());
}
