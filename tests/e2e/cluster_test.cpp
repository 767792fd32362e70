// End-to-end on loopback: one gateway and worker nodes as separate processes
// of the real binary, talking over CAF's remote actor layer (issue #6).
#include <doctest/doctest.h>

#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <regex>
#include <string>
#include <vector>

#include "e2e/run_helpers.hpp"
#include "support/server_process.hpp"
#include "support/ws_client.hpp"

using namespace aw::test;
using clock_type = std::chrono::steady_clock;

namespace {

constexpr auto run_wait = std::chrono::seconds(60);

// Under LeakSanitizer: CAF's own remoting cycle at exit is not reported
// (caf_remoting_exit.supp says why and how narrowly).
const std::string lsan_options =
    "LSAN_OPTIONS=suppressions=" CAF_REMOTING_SUPPRESSIONS ":malloc_context_size=2";

std::unique_ptr<server_process> start_worker(const std::string& node, int port = 0,
                                             std::vector<std::string> extra = {}) {
  std::vector<std::string> env{
      "ROLE=worker",     "WORKER_HOST=127.0.0.1", "WORKER_PORT=" + std::to_string(port),
      "NODE_ID=" + node, "RENDER_POOL_SIZE=1",    lsan_options};
  env.insert(env.end(), extra.begin(), extra.end());
  auto w = std::make_unique<server_process>(env);
  REQUIRE_MESSAGE(w->wait_listening(), w->log());
  return w;
}

std::unique_ptr<server_process> start_gateway(const std::string& workers,
                                              std::vector<std::string> extra = {}) {
  std::vector<std::string> env{"ROLE=gateway", "WORKERS=" + workers, "NODE_ID=gw-test",
                               lsan_options};
  env.insert(env.end(), extra.begin(), extra.end());
  auto gw = std::make_unique<server_process>(env);
  REQUIRE_MESSAGE(gw->wait_listening(), gw->log());
  return gw;
}

std::string address(const server_process& worker) {
  return "127.0.0.1:" + std::to_string(worker.port());
}

// A port nobody listens on now (bound, read, released).
int free_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

struct user_load {
  std::unique_ptr<ws_client> client;
  std::vector<std::string> cids;
};

// `users` connections, each sending `per_user` requests at once.
std::vector<user_load> send_load(const server_process& gw, const std::string& tag, int users,
                                 int per_user) {
  std::vector<user_load> load;
  for (int u = 0; u < users; ++u) {
    user_load l;
    l.client = ws_client::connect(gw.url("/ws?user_id=" + tag + "-u" + std::to_string(u) +
                                         "&session_id=s" + std::to_string(u)));
    REQUIRE(l.client);
    for (int r = 0; r < per_user; ++r) {
      l.cids.push_back(tag + "-" + std::to_string(u) + "-" + std::to_string(r));
      l.client->send(request_json(l.cids.back(),
                                  "Show quarterly revenue growth " + std::to_string(u * 100 + r),
                                  "\"width\":1600,\"height\":1000"));
    }
    load.push_back(std::move(l));
  }
  return load;
}

struct outcome {
  std::string status;
  std::string code;  // error.code when not success
  double duration_ms = 0;
  clock_type::time_point seen;
};

// Waits for every run of the load to end; checks each ended exactly once
// and in order, and returns how each ended.
std::vector<outcome> finish_load(std::vector<user_load>& load) {
  std::vector<outcome> out;
  for (auto& l : load) {
    auto cids = l.cids;
    bool all = l.client->wait_for(
        [&cids](const auto& frames) {
          return std::all_of(cids.begin(), cids.end(),
                             [&](const std::string& c) { return completed(frames, c); });
        },
        run_wait);
    auto seen = clock_type::now();
    REQUIRE_MESSAGE(all, "runs did not all complete");
    auto frames = l.client->frames();
    CHECK(check_seq(frames) == "");
    for (const auto& cid : cids) {
      CHECK(check_run(frames, cid) == "");
      for (const auto* f : run_events(frames, cid)) {
        if (f->type() != "agent_completed") continue;
        const auto& data = (*f)["data"];
        outcome o;
        o.status = data["status"].GetString();
        if (data.HasMember("error")) o.code = data["error"]["code"].GetString();
        o.duration_ms = data["duration_ms"].GetDouble();
        o.seen = seen;
        out.push_back(o);
      }
    }
  }
  return out;
}

int count_status(const std::vector<outcome>& runs, const std::string& status,
                 const std::string& code = "") {
  return static_cast<int>(std::count_if(runs.begin(), runs.end(), [&](const outcome& o) {
    return o.status == status && (code.empty() || o.code == code);
  }));
}

double max_duration(const std::vector<outcome>& runs) {
  double m = 0;
  for (const auto& o : runs) m = std::max(m, o.duration_ms);
  return m;
}

// Waits until the first run of `load` completes, so that steps are queued
// on the workers when the caller kills one.
void wait_first_completion(std::vector<user_load>& load) {
  auto cid = load.front().cids.front();
  REQUIRE(load.front().client->wait_for(
      [&cid](const auto& frames) { return completed(frames, cid); }, run_wait));
}

int steps_in_flight_at_loss(const server_process& gw, int nth) {
  static const std::regex lost(R"re("msg":"worker lost".*"steps_in_flight":"(\d+)")re");
  auto log = gw.log();
  int i = 0;
  for (std::sregex_iterator it(log.begin(), log.end(), lost), end; it != end; ++it)
    if (++i == nth) return std::stoi((*it)[1]);
  return -1;
}

}  // namespace

TEST_CASE(
    "cluster: a worker killed mid-run - its steps retried on the survivor, the restarted "
    "worker used again, WORKER_LOST at once when none is left") {
  auto w1 = start_worker("w1");
  auto w2 = start_worker("w2");
  int w1_port = w1->port();
  auto gw = start_gateway(address(*w1) + "," + address(*w2));
  REQUIRE_MESSAGE(gw->wait_log("\"msg\":\"worker connected\"", 2), gw->log());

  // 1. Two workers, load from 20 users, kill -9 one in the middle.
  auto load = send_load(*gw, "a", 20, 4);
  wait_first_completion(load);
  w1->kill_hard();
  auto killed_at = clock_type::now();
  auto runs = finish_load(load);
  REQUIRE(runs.size() == 80);
  REQUIRE(gw->wait_log("\"msg\":\"worker lost\"", 1));
  CHECK_MESSAGE(steps_in_flight_at_loss(*gw, 1) > 0, gw->log());
  // Every step the dead worker held went once more to the survivor.
  CHECK(count_status(runs, "success") == 80);
  MESSAGE("2 workers, one killed: 80 runs, slowest "
          << max_duration(runs) << " ms, all done "
          << std::chrono::duration<double, std::milli>(clock_type::now() - killed_at).count()
          << " ms after the kill");

  // 2. The killed worker comes back on its port and is used again: with the
  // other one gone, every run must be served by it.
  w1 = start_worker("w1-again", w1_port);
  REQUIRE_MESSAGE(gw->wait_log("\"msg\":\"worker connected\"", 3), gw->log());
  w2->kill_hard();
  REQUIRE(gw->wait_log("\"msg\":\"worker lost\"", 2));
  auto again = send_load(*gw, "b", 3, 3);
  auto again_runs = finish_load(again);
  CHECK(count_status(again_runs, "success") == 9);

  // 3. The last worker dies mid-run: the runs it held end with WORKER_LOST at
  // once, each exactly once (finish_load checks), none waits for a timeout.
  auto last = send_load(*gw, "c", 20, 2);
  wait_first_completion(last);
  w1->kill_hard();
  auto last_runs = finish_load(last);
  auto lost = count_status(last_runs, "error", "WORKER_LOST");
  CHECK(lost > 0);
  CHECK(lost + count_status(last_runs, "success") == 40);
  CHECK(max_duration(last_runs) < 5000);  // the step timeouts are 10 s and more

  // 4. No worker at all: a new run fails at once, not after a timeout.
  auto none = send_load(*gw, "d", 1, 1);
  auto none_runs = finish_load(none);
  REQUIRE(none_runs.size() == 1);
  CHECK(none_runs[0].code == "WORKER_LOST");
  CHECK(none_runs[0].duration_ms < 1000);
}

TEST_CASE("cluster: a worker started after the gateway is picked up") {
  int port = free_port();
  auto gw = start_gateway("127.0.0.1:" + std::to_string(port));
  auto before = send_load(*gw, "e", 1, 1);
  auto before_runs = finish_load(before);
  CHECK(before_runs.at(0).code == "WORKER_LOST");

  auto w = start_worker("late", port);
  REQUIRE_MESSAGE(gw->wait_log("\"msg\":\"worker connected\""), gw->log());
  auto after = send_load(*gw, "f", 2, 2);
  auto after_runs = finish_load(after);
  CHECK(count_status(after_runs, "success") == 4);
}

TEST_CASE("cluster: a worker of another cluster protocol version is refused on both sides") {
  auto w = start_worker("odd", 0, {"CLUSTER_VERSION=99"});
  auto gw = start_gateway(address(*w));
  CHECK_MESSAGE(gw->wait_log("\"msg\":\"worker refused this gateway\""), gw->log());
  CHECK_MESSAGE(w->wait_log("\"msg\":\"refusing gateway\""), w->log());
  CHECK(gw->log().find("differs from this worker's 99") != std::string::npos);
  auto runs_load = send_load(*gw, "g", 1, 1);
  auto runs = finish_load(runs_load);
  CHECK(runs.at(0).code == "WORKER_LOST");
}

TEST_CASE(
    "cluster: a frozen worker (SIGSTOP) is declared lost by heartbeat, and used again after "
    "SIGCONT") {
  auto w1 = start_worker("frozen");
  auto w2 = start_worker("steady");
  auto gw = start_gateway(address(*w1) + "," + address(*w2), {"WORKER_TIMEOUT_S=2"});
  REQUIRE_MESSAGE(gw->wait_log("\"msg\":\"worker connected\"", 2), gw->log());

  // Its sockets stay open: only the missing heartbeat answers can tell.
  w1->send_signal(SIGSTOP);
  auto load = send_load(*gw, "h", 10, 2);
  auto stopped_at = clock_type::now();
  REQUIRE_MESSAGE(gw->wait_log("\"msg\":\"worker lost\"", 1, std::chrono::seconds(15)), gw->log());
  auto noticed_ms =
      std::chrono::duration<double, std::milli>(clock_type::now() - stopped_at).count();
  auto runs = finish_load(load);
  CHECK(count_status(runs, "success") == 20);  // its steps were retried on the other worker
  MESSAGE("frozen worker noticed after " << noticed_ms << " ms (WORKER_TIMEOUT_S=2), slowest run "
                                         << max_duration(runs) << " ms");

  w1->send_signal(SIGCONT);
  REQUIRE_MESSAGE(gw->wait_log("\"msg\":\"worker connected\"", 3, std::chrono::seconds(20)),
                  gw->log());
  w2->kill_hard();
  REQUIRE(gw->wait_log("\"msg\":\"worker lost\"", 2));
  auto after = send_load(*gw, "i", 2, 2);
  auto after_runs = finish_load(after);
  CHECK(count_status(after_runs, "success") == 4);
}
