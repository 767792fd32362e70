// Sockets against the real binary: counted and capped at accept, no spin when
// out of file descriptors, and deferred HTTP answers cut at their deadline
// (issue #17 items 9 and 10).
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "e2e/run_helpers.hpp"
#include "support/http_client.hpp"
#include "support/server_process.hpp"

using namespace aw::test;
using std::chrono::milliseconds;
using std::chrono::seconds;
using std::chrono::steady_clock;

namespace {

// True when the server closed `fd` (EOF or reset) within `limit`.
bool closed_within(int fd, milliseconds limit) {
  pollfd p{fd, POLLIN, 0};
  if (::poll(&p, 1, static_cast<int>(limit.count())) <= 0) return false;
  char byte;
  return ::recv(fd, &byte, 1, MSG_DONTWAIT) <= 0;
}

// User + system CPU seconds of a process, from /proc/<pid>/stat.
double cpu_seconds(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::istringstream rest(stat.substr(stat.rfind(')') + 2));
  std::string field;
  double utime = 0, stime = 0;
  for (int i = 3; i <= 15 && rest >> field; ++i) {
    if (i == 14) utime = std::stod(field);
    if (i == 15) stime = std::stod(field);
  }
  return (utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

double metric(const server_process& s, const std::string& name) {
  auto r = http_request(s.port(), "GET", "/metrics");
  if (r.status != 200) return -1;
  std::istringstream in(r.body);
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(name + " ", 0) == 0) return std::stod(line.substr(name.size() + 1));
  return -1;
}

struct fds {
  std::vector<int> list;
  ~fds() {
    for (int fd : list) ::close(fd);
  }
};

}  // namespace

TEST_CASE("accept: sockets over MAX_TOTAL_CONNECTIONS plus head-room are closed at accept") {
  auto server = start_server({"MAX_TOTAL_CONNECTIONS=4"});
  // 4 + 64 head-room are held (websocketpp's handshake timer closes them
  // after 5 s); the rest are closed at once, before anything is read.
  fds open;
  for (int i = 0; i < 80; ++i) {
    int fd = tcp_connect(server->port());
    REQUIRE(fd >= 0);
    open.list.push_back(fd);
  }
  int closed = 0;
  auto until = steady_clock::now() + milliseconds(3000);
  for (int fd : open.list) {
    auto left = std::chrono::duration_cast<milliseconds>(until - steady_clock::now());
    if (closed_within(fd, std::max(milliseconds(1), left))) ++closed;
  }
  CHECK(closed >= 80 - 4 - 64);
  CHECK(closed <= 80 - 4 - 64 + 2);  // the idle ones are not closed before the 5 s handshake timer
  for (int fd : open.list) ::close(fd);
  open.list.clear();
  // Once they are gone, the server answers again, and counted the refusals.
  double refusals = -1;
  for (int i = 0; i < 100 && refusals < 0; ++i) {
    refusals = metric(*server, "agentwire_accept_refusals_total");
    if (refusals < 0) std::this_thread::sleep_for(milliseconds(50));
  }
  CHECK(refusals >= 80 - 4 - 64);
}

TEST_CASE("accept: out of file descriptors the accept loop backs off, then recovers") {
#if defined(__SANITIZE_ADDRESS__)
  // The sanitizers' runtime needs free descriptors for its own checks (UBSan's
  // vptr check opens a pipe to probe memory), so a sanitized server out of fds
  // reports false findings. The release suite runs this test.
  MESSAGE("skipped under the sanitizers");
  return;
#endif
  // The server inherits a low open-files limit; the test keeps its own.
  rlimit mine{};
  REQUIRE(::getrlimit(RLIMIT_NOFILE, &mine) == 0);
  rlimit low = mine;
  low.rlim_cur = 160;
  REQUIRE(::setrlimit(RLIMIT_NOFILE, &low) == 0);
  auto server = start_server();
  REQUIRE(::setrlimit(RLIMIT_NOFILE, &mine) == 0);

  fds open;
  for (int i = 0; i < 300; ++i) {
    int fd = tcp_connect(server->port());
    if (fd >= 0) open.list.push_back(fd);
  }
  REQUIRE(server->wait_log("accept failed; backing off", 1, seconds(5)));
  // Out of descriptors with connections waiting: a spinning loop would burn a
  // whole core; backing off uses next to nothing.
  double before = cpu_seconds(server->pid());
  std::this_thread::sleep_for(seconds(2));  // the measurement window, not a synchronisation
  double used = cpu_seconds(server->pid()) - before;
  MESSAGE("server CPU while out of fds: " << used << " s in 2 s");
  CHECK(used < 0.5);

  for (int fd : open.list) ::close(fd);
  open.list.clear();
  http_response health;
  auto until = steady_clock::now() + seconds(15);
  do {
    health = http_request(server->port(), "GET", "/health", {}, seconds(2));
  } while (health.status != 200 && steady_clock::now() < until);
  CHECK(health.status == 200);
  CHECK(metric(*server, "agentwire_accept_errors_total") >= 1);
}

TEST_CASE("HTTP: a deferred answer not ready within HTTP_RESPONSE_TIMEOUT_S is cut") {
  // A store that accepts the connection and never answers: history queries
  // hang in libpq for connect_timeout (4 s; start-up waits for it once, for
  // the chart store).
  int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  REQUIRE(listener >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  REQUIRE(::listen(listener, 64) == 0);
  socklen_t len = sizeof addr;
  REQUIRE(::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
  const int store_port = ntohs(addr.sin_port);

  auto server = start_server({"HTTP_RESPONSE_TIMEOUT_S=1",
                              "STORE_URL=postgresql://aw@127.0.0.1:" + std::to_string(store_port) +
                                  "/aw?connect_timeout=4"});
  auto t0 = steady_clock::now();
  auto r = http_request(server->port(), "GET", "/conversations/alice", {}, seconds(15));
  auto took = std::chrono::duration_cast<milliseconds>(steady_clock::now() - t0);
  MESSAGE("cut after " << took.count() << " ms");
  CHECK(r.status == -1);  // closed without an answer
  CHECK(took < seconds(5));
  CHECK(server->wait_log("HTTP answer cut", 1, seconds(5)));
  CHECK(metric(*server, "agentwire_http_timeouts_total") >= 1);
  ::close(listener);
}
