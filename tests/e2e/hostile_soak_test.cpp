// A bounded soak against the real binary (issue #17): hostile clients of five
// kinds work on the server while a normal user's runs go on. The server must
// stay up, its memory bounded, and the normal user's p99 time to
// agent_completed within 3x of the same user's p99 measured just before.
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "e2e/run_helpers.hpp"
#include "support/http_client.hpp"
#include "support/raw_ws.hpp"
#include "support/server_process.hpp"
#include "support/ws_client.hpp"

using namespace aw::test;
using std::chrono::milliseconds;
using std::chrono::seconds;
using std::chrono::steady_clock;

namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr bool sanitized = true;  // slower and bigger: run short, check only that all survives
#else
constexpr bool sanitized = false;
#endif

long rss_kb(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  return -1;
}

// Sequential runs of one user for `span` (at most `max_runs`); the time from
// send to agent_completed of each, in ms. A new connection per 40 runs keeps
// the client's frame list short.
std::vector<double> normal_runs(const server_process& s, const std::string& tag, milliseconds span,
                                int max_runs, int* failed) {
  std::vector<double> ms;
  auto until = steady_clock::now() + span;
  std::unique_ptr<ws_client> c;
  for (int i = 0; i < max_runs && steady_clock::now() < until; ++i) {
    if (i % 40 == 0) c = open_user(s, "normal-" + tag, "s" + std::to_string(i));
    std::string cid = tag + "-" + std::to_string(i);
    auto t0 = steady_clock::now();
    c->send(request_json(cid, "Show quarterly revenue growth for 2024"));
    if (!c->wait_for([&](const auto& f) { return completed(f, cid); }, seconds(10))) {
      ++*failed;
      continue;
    }
    ms.push_back(std::chrono::duration<double, std::milli>(steady_clock::now() - t0).count());
  }
  return ms;
}

double p99(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(0.99 * static_cast<double>(v.size())))];
}

}  // namespace

TEST_CASE("soak: hostile clients while a normal user's runs go on, RSS bounded, p99 within 3x") {
  // The server closes hostile sockets while they write: EPIPE, not a signal.
  std::signal(SIGPIPE, SIG_IGN);
  // The normal user is legitimate: no rate limit in the way of its runs.
  auto server = start_server({"RATE_LIMIT_REQUESTS=1000000"});
  const int port = server->port();
  const milliseconds phase = sanitized ? seconds(2) : seconds(4);
  int failed = 0;
  auto baseline = normal_runs(*server, "base", phase, 2000, &failed);
  REQUIRE(baseline.size() >= 20);
  const long rss_before = rss_kb(server->pid());

  std::atomic<bool> stop{false};
  std::vector<std::thread> hostile;
  // 1. Garbage frames: broken JSON, unknown types, binary-looking text, empty.
  hostile.emplace_back([&] {
    for (int round = 0; !stop && round < 10000; ++round) {
      raw_ws ws(port, "/ws?user_id=garbage-" + std::to_string(round % 4) + "&session_id=g");
      for (int i = 0; ws.ok() && i < 50; ++i) {
        static const char* junk[] = {"{{{",
                                     "{\"type\":\"nope\"}",
                                     "\x01\x02\xff",
                                     "",
                                     "{\"type\":\"analytics_request\",\"payload\":7}",
                                     "[1,2,3]"};
        ws.send_text(junk[i % 6]);
      }
      // Paced so that the test's own threads leave the 2 cores to the server.
      std::this_thread::sleep_for(milliseconds(10));
    }
  });
  // 2. Resume floods on connections that never read.
  hostile.emplace_back([&] {
    for (int round = 0; !stop && round < 1000; ++round) {
      raw_ws ws(port, "/ws?user_id=flood&session_id=f" + std::to_string(round % 3), 4096);
      for (int i = 0; ws.ok() && !stop && i < 2000; ++i) {
        if (!ws.send_text(R"({"type":"resume","last_seq":0})")) break;
        if (i % 100 == 99) std::this_thread::sleep_for(milliseconds(5));  // paced, as above
      }
    }
  });
  // 3. Slowloris: request headers a byte at a time, never finished.
  hostile.emplace_back([&] {
    std::vector<int> fds;
    const std::string head = "GET /health HTTP/1.1\r\nHost: localhost\r\nX-Slow: ";
    for (int i = 0; i < 20; ++i) fds.push_back(tcp_connect(port));
    for (std::size_t k = 0; !stop && k < 100000; ++k) {
      for (int fd : fds)
        if (fd >= 0) ::send(fd, &head[k % head.size()], 1, MSG_NOSIGNAL);
      std::this_thread::sleep_for(milliseconds(100));  // the attack's own pace
    }
    for (int fd : fds)
      if (fd >= 0) ::close(fd);
  });
  // 4. HTTP clients that ask for history pages and never read the answer.
  hostile.emplace_back([&] {
    std::vector<int> fds;
    for (int round = 0; !stop && round < 1000; ++round) {
      int fd = tcp_connect(port, 4096);
      if (fd < 0) continue;
      std::string req = "GET /conversations/normal-base HTTP/1.1\r\nHost: localhost\r\n\r\n";
      ::send(fd, req.data(), req.size(), MSG_NOSIGNAL);
      fds.push_back(fd);
      if (fds.size() > 50) {
        ::close(fds.front());
        fds.erase(fds.begin());
      }
      std::this_thread::sleep_for(milliseconds(20));  // the attack's own pace
    }
    for (int fd : fds) ::close(fd);
  });
  // 5. WebSocket clients that start runs and never read their events.
  hostile.emplace_back([&] {
    for (int round = 0; !stop && round < 1000; ++round) {
      raw_ws ws(port, "/ws?user_id=deaf-" + std::to_string(round % 5) + "&session_id=d", 4096);
      for (int i = 0; ws.ok() && i < 3; ++i)
        ws.send_text(request_json("deaf-" + std::to_string(round) + "-" + std::to_string(i),
                                  "Show monthly orders for 2024 as a line"));
      ws.read_until_close(milliseconds(1500));
    }
  });

  auto under_attack = normal_runs(*server, "load", phase, 2000, &failed);
  stop = true;
  for (auto& t : hostile) t.join();

  const long rss_after = rss_kb(server->pid());
  MESSAGE("normal runs: baseline " << baseline.size() << " p99 " << p99(baseline)
                                   << " ms, under attack " << under_attack.size() << " p99 "
                                   << p99(under_attack) << " ms; RSS " << rss_before / 1024
                                   << " -> " << rss_after / 1024 << " MB");
  CHECK(failed == 0);
  CHECK(under_attack.size() >= 10);
  CHECK(http_request(port, "GET", "/health").status == 200);
  if (!sanitized) {
    CHECK(p99(under_attack) <= 3 * p99(baseline));
    // The bound: the baseline plus 150 MB (the send queues, resume buffers and
    // history the attack may legitimately fill, each bounded by its limit).
    CHECK(rss_after <= rss_before + 150 * 1024);
  }
}
