#include "takeover_support.hpp"

#include <thread>

namespace aw::test {

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

}  // namespace aw::test
