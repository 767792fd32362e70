// End-to-end on loopback: one gateway and worker nodes as separate processes
// of the real binary, talking over CAF's remote actor layer (issue #6).
#include <doctest/doctest.h>

#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <memory>
#include <regex>
#include <string>
#include <vector>

#include "analytics/builtin_llm.hpp"
#include "analytics/planner.hpp"
#include "cluster/reply_checks.hpp"
#include "e2e/fake_worker.hpp"
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

// ---- Cluster TLS (issue #17) ----

namespace {

// A CA and node certificates made by deploy/make-dev-ca.sh into `dir`.
void make_pki(const std::filesystem::path& dir, const std::string& names) {
  std::string cmd =
      std::string(AW_DEV_CA_SCRIPT) + " -o " + dir.string() + " -d 2 " + names + " >/dev/null 2>&1";
  REQUIRE_MESSAGE(std::system(cmd.c_str()) == 0, cmd);
}

std::vector<std::string> tls_env(const std::filesystem::path& dir, const std::string& name,
                                 const std::filesystem::path& ca_dir = {}) {
  auto ca = (ca_dir.empty() ? dir : ca_dir) / "ca.pem";
  return {"CLUSTER_TLS_CERT=" + (dir / (name + ".pem")).string(),
          "CLUSTER_TLS_KEY=" + (dir / (name + ".key")).string(), "CLUSTER_TLS_CA=" + ca.string()};
}

std::int64_t rss_kb(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::stoll(line.substr(6));
  return -1;
}

// Sends a BASP client-handshake header announcing `payload_len` bytes, then
// waits up to `wait` for the peer to close; true when it closed.
bool send_basp_header_and_wait_close(int port, std::uint32_t payload_len,
                                     std::chrono::milliseconds wait) {
  int fd = tcp_connect(port);
  if (fd < 0) return false;
  unsigned char hdr[32] = {};
  hdr[0] = 0x01;  // client_handshake; source and destination actor 0
  for (int k = 0; k < 4; ++k) hdr[4 + k] = static_cast<unsigned char>(payload_len >> (24 - 8 * k));
  bool closed = false;
  if (::send(fd, hdr, sizeof hdr, MSG_NOSIGNAL) == static_cast<ssize_t>(sizeof hdr)) {
    auto until = clock_type::now() + wait;
    while (!closed && clock_type::now() < until) {
      pollfd p{fd, POLLIN, 0};
      if (poll(&p, 1, 100) <= 0) continue;
      char buf[4096];
      auto n = ::recv(fd, buf, sizeof buf, 0);
      closed = n <= 0;  // a TLS alert may come first; then the close
    }
  }
  close(fd);
  return closed;
}

// A TLS client on the worker port with `cert` (none when empty): the bytes
// of BASP it gets after the handshake (a worker greets every peer first), or
// -1 when the worker ends the connection instead. Bounded by 5 s.
int tls_probe(int port, const std::filesystem::path& ca, const std::filesystem::path& cert = {},
              const std::filesystem::path& key = {}) {
  std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> ctx(SSL_CTX_new(TLS_client_method()),
                                                        SSL_CTX_free);
  REQUIRE(ctx);
  REQUIRE(SSL_CTX_load_verify_locations(ctx.get(), ca.c_str(), nullptr) == 1);
  SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_PEER, nullptr);
  if (!cert.empty()) {
    REQUIRE(SSL_CTX_use_certificate_chain_file(ctx.get(), cert.c_str()) == 1);
    REQUIRE(SSL_CTX_use_PrivateKey_file(ctx.get(), key.c_str(), SSL_FILETYPE_PEM) == 1);
  }
  int fd = tcp_connect(port);
  REQUIRE(fd >= 0);
  timeval tv{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  std::unique_ptr<SSL, decltype(&SSL_free)> ssl(SSL_new(ctx.get()), SSL_free);
  SSL_set_fd(ssl.get(), fd);
  int got = -1;
  if (SSL_connect(ssl.get()) == 1) {
    char buf[256];
    int n = SSL_read(ssl.get(), buf, sizeof buf);  // TLS 1.3: a refusal comes here
    if (n > 0) got = n;
  }
  ERR_clear_error();
  close(fd);
  return got;
}

}  // namespace

TEST_CASE("cluster TLS: a gateway and a worker with certificates from one CA run charts") {
  temp_dir pki("aw-pki");
  make_pki(pki.path, "gw w1");
  auto w = start_worker("w-tls", 0, tls_env(pki.path, "w1"));
  CHECK(w->log_count("\"tls\":\"on\"") >= 1);
  auto gw = start_gateway(address(*w), tls_env(pki.path, "gw"));
  REQUIRE_MESSAGE(gw->wait_log("\"msg\":\"worker connected\""), gw->log());
  CHECK(w->wait_log("\"msg\":\"gateway connected\""));
  auto load = send_load(*gw, "tls", 2, 2);  // PNG, 1600x1000
  auto runs = finish_load(load);
  CHECK(count_status(runs, "success") == 4);
  // A real gnuplot SVG passes the gateway's reply checks too.
  auto client = ws_client::connect(gw->url("/ws?user_id=tls-svg&session_id=s1"));
  REQUIRE(client);
  client->send(request_json("tls-svg", "Show quarterly revenue growth",
                            "\"format\":\"svg\",\"width\":640,\"height\":400"));
  REQUIRE(
      client->wait_for([](const auto& frames) { return completed(frames, "tls-svg"); }, run_wait));
  auto frames = client->frames();
  CHECK(check_run(frames, "tls-svg") == "");
  for (const auto* f : run_events(frames, "tls-svg"))
    if (f->type() == "agent_completed")
      CHECK_MESSAGE(std::string((*f)["data"]["status"].GetString()) == "success", f->text);
  CHECK(gw->log_count("invalid reply from worker") == 0);
}

TEST_CASE(
    "cluster TLS: peers without a certificate from the CA (another CA's, none, plain BASP) are "
    "refused in the handshake, and a huge announced BASP payload costs the worker no memory") {
  temp_dir pki("aw-pki");
  temp_dir other("aw-pki-other");
  make_pki(pki.path, "gw w1");
  make_pki(other.path, "rogue");
  auto w = start_worker("w-tls", 0, tls_env(pki.path, "w1"));

  // A gateway whose certificate the worker's CA did not sign (it trusts both
  // CAs itself, so it would accept the worker): the worker drops it.
  {
    std::ofstream bundle(other.path / "bundle.pem");
    bundle << std::ifstream(other.path / "ca.pem").rdbuf()
           << std::ifstream(pki.path / "ca.pem").rdbuf();
  }
  auto rogue_env = tls_env(other.path, "rogue");
  rogue_env[2] = "CLUSTER_TLS_CA=" + (other.path / "bundle.pem").string();
  auto rogue = start_gateway(address(*w), rogue_env);
  // A gateway without TLS: its plain BASP never gets past the handshake.
  auto plain = start_gateway(address(*w));
  CHECK_MESSAGE(rogue->wait_log("\"msg\":\"worker not reachable, retrying\""), rogue->log());
  CHECK_MESSAGE(plain->wait_log("\"msg\":\"worker not reachable, retrying\""), plain->log());
  auto rogue_runs_load = send_load(*rogue, "rogue", 1, 1);
  auto rogue_runs = finish_load(rogue_runs_load);
  CHECK(rogue_runs.at(0).code == "WORKER_LOST");

  // A raw peer announcing 256 MB in a BASP header: over plain BASP, CAF 0.17
  // reserves that much before any handshake; on the TLS port the bytes are no
  // ClientHello, so the connection is dropped and nothing is reserved.
  auto before = rss_kb(w->pid());
  REQUIRE(before > 0);
  for (int i = 0; i < 8; ++i)
    CHECK(send_basp_header_and_wait_close(w->port(), 256u << 20, std::chrono::seconds(5)));
  auto after = rss_kb(w->pid());
  MESSAGE("worker RSS " << before << " kB before, " << after
                        << " kB after 8 BASP headers announcing 256 MB each");
  CHECK(after - before < 16 * 1024);

  // A TLS client without a certificate is refused; with one from the CA it
  // gets the worker's BASP greeting (so the refusals above are the CA's doing).
  CHECK(tls_probe(w->port(), pki.path / "ca.pem") == -1);
  CHECK(tls_probe(w->port(), pki.path / "ca.pem", other.path / "rogue.pem",
                  other.path / "rogue.key") == -1);
  CHECK(tls_probe(w->port(), pki.path / "ca.pem", pki.path / "gw.pem", pki.path / "gw.key") > 0);

  CHECK(rogue->log_count("\"msg\":\"worker connected\"") == 0);
  CHECK(plain->log_count("\"msg\":\"worker connected\"") == 0);
  CHECK(w->log_count("\"msg\":\"gateway connected\"") == 0);

  // The worker still serves a gateway with a good certificate.
  auto gw = start_gateway(address(*w), tls_env(pki.path, "gw"));
  REQUIRE_MESSAGE(gw->wait_log("\"msg\":\"worker connected\""), gw->log());
  auto load = send_load(*gw, "ok", 1, 1);
  CHECK(count_status(finish_load(load), "success") == 1);
}

TEST_CASE("cluster TLS: bad settings stop a node at start-up with a clear message") {
  temp_dir pki("aw-pki");
  temp_dir other("aw-pki-other");
  make_pki(pki.path, "w1 w2");
  make_pki(other.path, "rogue");
  auto exits_with = [](std::vector<std::string> env, const std::string& message) {
    env.push_back(lsan_options);
    server_process p(env);
    CHECK_FALSE(p.wait_listening(std::chrono::seconds(20)));
    CHECK(p.stop(std::chrono::seconds(10)) == 2);
    CHECK_MESSAGE(p.log().find(message) != std::string::npos, p.log());
  };
  // A worker on every interface without TLS: refused, never listening.
  exits_with({"ROLE=worker", "WORKER_HOST=0.0.0.0", "WORKER_PORT=0"},
             "WORKER_HOST: listening on 0.0.0.0 without TLS");
  // One of the three files only.
  exits_with({"ROLE=worker", "WORKER_PORT=0", "CLUSTER_TLS_CERT=" + (pki.path / "w1.pem").string()},
             "set all three or none (CLUSTER_TLS_KEY, CLUSTER_TLS_CA not set)");
  // A file that is not there.
  auto env = tls_env(pki.path, "w1");
  env[1] = "CLUSTER_TLS_KEY=" + (pki.path / "missing.key").string();
  env.insert(env.end(), {"ROLE=gateway", "WORKERS=127.0.0.1:9"});
  exits_with(env, "CLUSTER_TLS_KEY: '" + (pki.path / "missing.key").string() + "' cannot be read");
  // Another node's key.
  env = tls_env(pki.path, "w1");
  env[1] = "CLUSTER_TLS_KEY=" + (pki.path / "w2.key").string();
  env.insert(env.end(), {"ROLE=worker", "WORKER_PORT=0"});
  exits_with(env, "is not the key of CLUSTER_TLS_CERT");
  // A certificate the configured CA did not sign.
  env = tls_env(other.path, "rogue", pki.path);
  env.insert(env.end(), {"ROLE=worker", "WORKER_PORT=0"});
  exits_with(env, "does not verify against CLUSTER_TLS_CA");
  // --insecure-cluster is the explicit way out; check-config shows it is
  // accepted without listening anywhere.
  std::string cmd = "ROLE=worker WORKER_HOST=0.0.0.0 " + agentwire_binary() +
                    " check-config --insecure-cluster >/dev/null 2>&1";
  CHECK(std::system(cmd.c_str()) == 0);
}

TEST_CASE(
    "cluster: a worker's invalid image, plan or generation fails that step with the "
    "protocol's error, is logged, and the gateway stays up") {
  fake_worker fake;
  auto gw = start_gateway("127.0.0.1:" + std::to_string(fake.port()));
  REQUIRE_MESSAGE(gw->wait_log("\"msg\":\"worker connected\""), gw->log());
  auto client = ws_client::connect(gw->url("/ws?user_id=bad-replies&session_id=s1"));
  REQUIRE(client);
  int n = 0;
  auto run = [&](const std::string& extra) {
    auto cid = "bad-" + std::to_string(++n);
    client->send(request_json(cid, "Show quarterly revenue growth", extra));
    REQUIRE(client->wait_for([&](const auto& frames) { return completed(frames, cid); }, run_wait));
    auto frames = client->frames();
    CHECK(check_run(frames, cid) == "");
    for (const auto* f : run_events(frames, cid))
      if (f->type() == "agent_completed") {
        const auto& data = (*f)["data"];
        return data.HasMember("error") ? std::string(data["error"]["code"].GetString())
                                       : std::string(data["status"].GetString());
      }
    return std::string("no agent_completed");
  };
  const std::string svg = "\"format\":\"svg\",\"width\":640,\"height\":400";
  const std::string png = "\"format\":\"png\",\"width\":640,\"height\":400";

  fake.answer(fake_reply::not_an_image);
  CHECK(run(png) == "RENDER_FAILED");
  CHECK(gw->wait_log("not a PNG (no PNG signature)"));
  fake.answer(fake_reply::wrong_size);
  CHECK(run(png) == "RENDER_FAILED");
  CHECK(gw->wait_log("a PNG of 1x1, not the 640x400 asked for"));
  fake.answer(fake_reply::good);
  CHECK(run(png) == "RENDER_FAILED");  // an SVG where a PNG was asked
  CHECK(gw->wait_log("not a PNG (no PNG signature)", 2));
  fake.answer(fake_reply::bad_plan);
  CHECK(run(svg) == "GENERATION_FAILED");
  CHECK(gw->wait_log("chart type 99 is not a known type"));
  fake.answer(fake_reply::bad_generation);
  CHECK(run(svg) == "LLM_UNAVAILABLE");
  CHECK(gw->wait_log("narrative is not valid UTF-8"));
  CHECK(gw->log_count("\"msg\":\"invalid reply from worker\"") == 5);
  // The user sees a generic message; the detail is in the log only.
  for (const auto& f : client->frames()) CHECK(f.text.find("not valid UTF-8") == std::string::npos);

  // Streamed "model text" straight from the worker to the run is bounded:
  // 64 KiB a batch, 512 KiB a run.
  fake.answer(fake_reply::huge_partials);
  CHECK(run(svg) == "success");
  std::size_t streamed = 0;
  auto frames = client->frames();  // run_events points into it: kept alive for the loop
  for (const auto* f : run_events(frames, "bad-" + std::to_string(n)))
    if (f->type() == "agent_thinking" && (*f)["data"].HasMember("partial") &&
        (*f)["data"]["partial"].GetBool()) {
      CHECK(f->text.size() < (64 << 10) + 1024);
      streamed += f->text.size();
    }
  CHECK(streamed > (480 << 10));  // 8 batches cut to 64 KiB; the last 2 dropped
  CHECK(streamed < (512 << 10) + 16 * 1024);

  // Still up, the same worker still used: a valid answer completes.
  fake.answer(fake_reply::good);
  CHECK(run(svg) == "success");
  CHECK(gw->log_count("\"msg\":\"worker lost\"") == 0);
}

TEST_CASE("cluster: a worker's step error reaches the gateway's client with its protocol code") {
  // The status crosses as a caf::error of its own category (actors/step_errors.hpp).
  fake_worker fake;
  fake.answer(fake_reply::model_down);
  auto gw = start_gateway("127.0.0.1:" + std::to_string(fake.port()));
  REQUIRE_MESSAGE(gw->wait_log("\"msg\":\"worker connected\""), gw->log());
  auto client = ws_client::connect(gw->url("/ws?user_id=model-down&session_id=s1"));
  REQUIRE(client);
  client->send(request_json("down-1", "Show quarterly revenue growth", "\"format\":\"svg\""));
  REQUIRE(
      client->wait_for([](const auto& frames) { return completed(frames, "down-1"); }, run_wait));
  auto frames = client->frames();
  CHECK(check_run(frames, "down-1") == "");
  std::string code;
  for (const auto* f : run_events(frames, "down-1"))
    if (f->type() == "agent_completed" && (*f)["data"].HasMember("error"))
      code = (*f)["data"]["error"]["code"].GetString();
  CHECK(code == "LLM_UNAVAILABLE");
  // The worker's detail is in the gateway's log, not in what the user sees.
  CHECK(gw->wait_log("the fake model is down (HTTP 503)"));
  for (const auto& f : frames) CHECK(f.text.find("HTTP 503") == std::string::npos);
}

TEST_CASE("cluster: a model's choice of chart type crosses from worker to gateway") {
  // The gateway asks for the type when a model is configured (the worker
  // makes the call); before cluster protocol 2 the choice was lost on the way.
  fake_worker fake;
  fake.answer(fake_reply::model_choice);
  auto gw = start_gateway("127.0.0.1:" + std::to_string(fake.port()),
                          {"LLM_PROVIDER=openai", "OPENAI_API_KEY=unused-on-a-gateway"});
  REQUIRE_MESSAGE(gw->wait_log("\"msg\":\"worker connected\""), gw->log());
  auto client = ws_client::connect(gw->url("/ws?user_id=chooser&session_id=s1"));
  REQUIRE(client);
  client->send(request_json("choice-1", "Show quarterly revenue growth", "\"format\":\"svg\""));
  REQUIRE(
      client->wait_for([](const auto& frames) { return completed(frames, "choice-1"); }, run_wait));
  auto frames = client->frames();
  CHECK(check_run(frames, "choice-1") == "");
  std::string type;
  for (const auto* f : run_events(frames, "choice-1"))
    if (f->type() == "agent_completed") {
      const auto& data = (*f)["data"];
      REQUIRE_MESSAGE(std::string(data["status"].GetString()) == "success", f->text);
      type = data["response"]["metadata"]["chart_type"].GetString();
    }
  CHECK(type == "pie_chart");
}

// The gateway's checks of worker replies, directly (no process).
TEST_CASE("cluster reply checks: images must be a PNG or SVG of the size asked, bounded") {
  using aw::cluster::check_image;
  using aw::render::image_format;
  std::string png("\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\x02\x80\0\0\x01\x90\x08\x02\0\0\0\0\0\0\0",
                  33);
  CHECK(check_image(png, image_format::png, 640, 400) == "");
  CHECK(check_image(png, image_format::png, 640, 401) ==
        "a PNG of 640x400, not the 640x401 asked for");
  CHECK(check_image(png.substr(0, 20), image_format::png, 640, 400).find("not a PNG") == 0);
  CHECK(check_image(png, image_format::svg, 640, 400).find("not an SVG") == 0);
  std::string svg =
      "<?xml version=\"1.0\" encoding=\"utf-8\"  standalone=\"no\"?>\n<!-- x -->\n<svg \n "
      "width=\"640\" height=\"400\"\n viewBox=\"0 0 640 400\"\n "
      "xmlns=\"http://www.w3.org/2000/svg\">\n"
      "<g/>\n</svg>\n\n";
  CHECK(check_image(svg, image_format::svg, 640, 400) == "");
  CHECK(check_image(svg, image_format::svg, 641, 400).find("an SVG of 640x400") == 0);
  CHECK(check_image(svg.substr(0, svg.size() - 8), image_format::svg, 640, 400).find("truncated") !=
        std::string::npos);
  CHECK(check_image("<html><svg width=\"640\" height=\"400\"></svg>", image_format::svg, 640, 400)
            .find("root element is not <svg>") != std::string::npos);
  CHECK(check_image(svg, image_format::png, 640, 400).find("not a PNG") == 0);

  aw::render::render_output out;
  aw::render::chart_spec spec;
  spec.format = image_format::svg;
  spec.width = 640;
  spec.height = 400;
  out.ok = true;
  out.bytes = svg;
  CHECK(aw::cluster::check_render_reply(out, spec, 1 << 20) == "");
  CHECK(aw::cluster::check_render_reply(out, spec, 100).find("at most 100") != std::string::npos);
  out.duration_ms = -1;
  CHECK(aw::cluster::check_render_reply(out, spec, 1 << 20) == "duration_ms is out of range");
  out.duration_ms = 1;
  out.ok = false;
  out.bytes.clear();
  out.error = std::string(5000, 'e');
  CHECK(
      aw::cluster::check_render_reply(out, spec, 1 << 20).find("the render error is 5000 bytes") ==
      0);
}

TEST_CASE("cluster reply checks: plans and generations are checked for types, ranges, lengths") {
  aw::protocol::analytics_payload payload;
  payload.content = "Show quarterly revenue growth";
  auto plan = aw::analytics::make_plan(payload);
  CHECK(aw::cluster::check_plan_reply(plan) == "");
  plan.type = static_cast<aw::protocol::chart_type>(-1);
  CHECK(aw::cluster::check_plan_reply(plan) == "chart type -1 is not a known type");
  plan = aw::analytics::make_plan(payload);
  plan.steps.assign(17, "render_chart");
  CHECK(aw::cluster::check_plan_reply(plan).find("plan.steps has 17 items") == 0);

  for (auto type : aw::protocol::all_chart_types()) {
    auto gen = aw::analytics::builtin_generate(payload, type);
    CHECK_MESSAGE(aw::cluster::check_generation_reply(gen) == "", aw::protocol::to_string(type));
  }
  // User data at the protocol's limits passes too: 10,000 samples for a
  // histogram, 100 groups (more than max_series) for box and violin plots.
  {
    aw::protocol::analytics_payload big = payload;
    big.data.emplace();
    big.data->groups.push_back({"samples", std::vector<double>(10000, 1.5)});
    big.data->groups.back().values[7] = 9;
    auto hist = aw::analytics::builtin_generate(big, aw::protocol::chart_type::histogram);
    CHECK(aw::cluster::check_generation_reply(hist) == "");
    big.data->groups.clear();
    for (int i = 0; i < 100; ++i)
      big.data->groups.push_back({"g" + std::to_string(i), std::vector<double>(100, i)});
    for (auto type : {aw::protocol::chart_type::box_plot, aw::protocol::chart_type::violin_plot})
      CHECK(aw::cluster::check_generation_reply(aw::analytics::builtin_generate(big, type)) == "");
  }
  auto gen = aw::analytics::builtin_generate(payload, aw::protocol::chart_type::line_chart);
  auto bad = gen;
  bad.data.values.push_back(std::nan(""));
  CHECK(aw::cluster::check_generation_reply(bad) ==
        "data.values holds a value that is not a finite number");
  bad = gen;
  bad.title = std::string(20000, 't');
  CHECK(aw::cluster::check_generation_reply(bad).find("is 20000 bytes") != std::string::npos);
  bad = gen;
  bad.data.labels.assign(aw::protocol::max_data_points + 1, "x");
  CHECK(aw::cluster::check_generation_reply(bad).find("data.labels has 10001 items") == 0);
  bad = gen;
  bad.chart_type = static_cast<aw::protocol::chart_type>(aw::protocol::chart_type_count);
  CHECK(aw::cluster::check_generation_reply(bad) == "chart type 23 is not a known type");
  bad = gen;
  bad.decided_by = "worker";
  CHECK(aw::cluster::check_generation_reply(bad) ==
        "decided_by is not one of user, model, builtin");
  bad = gen;
  bad.tokens_out = -5;
  CHECK(aw::cluster::check_generation_reply(bad) == "a token count is negative");
  bad = gen;
  bad.stats.growth_pct = std::numeric_limits<double>::infinity();
  CHECK(aw::cluster::check_generation_reply(bad) == "stats.growth_pct is not a finite number");
}
