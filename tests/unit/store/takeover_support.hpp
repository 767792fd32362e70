// The clients of the takeover tests (issue #18): a user's WebSocket URL, and
// its reconnection while its old gateway's lease still holds it elsewhere.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "support/ws_client.hpp"

namespace aw::test {

// A gateway's environment on the shared log at `url` (DURABLE_LOG=1, a 2 s
// lease) as NODE_ID `node`; with `model_url`, asking the (fake) model there,
// whose slowness the URL sets, with timeouts long enough to be in flight.
std::vector<std::string> gateway_env(const std::string& url, const std::string& node,
                                     const std::string& model_url = "");

// ws://127.0.0.1:PORT/ws?user_id=USER&session_id=s, then `query` as given
// (e.g. "&last_seq=3&epoch=...").
std::string user_ws_url(int port, const std::string& user, const std::string& query = "");

// Connects `user` to 127.0.0.1:port until a connection gets a first frame
// (its connection_ack), pausing 100 ms after each attempt that did not (the
// client's retry pause): at most `tries` attempts within `limit`. Null when
// none was acked. Each attempt closed with 1013 (try again later) adds one to
// *refusals when given.
std::unique_ptr<ws_client> connect_until_acked(int port, const std::string& user,
                                               const std::string& query, int tries,
                                               std::chrono::milliseconds limit,
                                               int* refusals = nullptr);

// Connects `user` through 127.0.0.1:port, checks that its connection_ack
// comes from gateway `node`, keeps its epoch in *epoch, and asks run "c-1".
std::unique_ptr<ws_client> open_and_ask(int port, const std::string& user, const std::string& node,
                                        std::string* epoch);

// What each client had received when its gateway was killed (checking that
// no run "c-1" had ended before); the clients are dropped.
std::vector<std::vector<frame>> frames_at_kill(std::vector<std::unique_ptr<ws_client>>& clients);

// `user`'s event frames before the kill, then those of its connection
// resumed on gateway `node`, once checked: the ack from `node` with the same
// `epoch`, no error frame (no RESUME_GAP), seq without gap or duplicate
// across both, and run "c-1" started once and ended once.
std::vector<frame> resumed_events(const std::string& user, const std::vector<frame>& before,
                                  const std::vector<frame>& resumed, const std::string& node,
                                  const std::string& epoch);

}  // namespace aw::test
