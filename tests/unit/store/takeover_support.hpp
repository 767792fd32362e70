// The clients of the takeover tests (issue #18): a user's WebSocket URL, and
// its reconnection while its old gateway's lease still holds it elsewhere.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "support/ws_client.hpp"

namespace aw::test {

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

}  // namespace aw::test
