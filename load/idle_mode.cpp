#include "load/idle_mode.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>

#include "load/client_pool.hpp"
#include "load/rss.hpp"
#include "load/run_mode.hpp"
#include "load/timestamp.hpp"

namespace aw::load {

namespace {

constexpr double ping_period_ms = 1000;  // each tick pings 1/15 of a thread's connections
constexpr int ping_spread = 15;          // so each connection is pinged every ~15 s
constexpr double connect_phase_max_s = 120;

struct idle_acc {
  std::vector<double> connect_ms;
  std::map<std::string, std::uint64_t> fail_reasons, error_frames;
  std::map<int, std::uint64_t> closes;
  std::uint64_t frames = 0, pongs = 0, pings = 0, failures = 0;
  int connected = 0;
  std::size_t cursor = 0;
  bool holding = true;
};

class idler {
 public:
  explicit idler(const options& o) : o_(o), tag_(random_tag()) {}
  run_result run();

 private:
  void settled() {
    if (settled_.fetch_add(1) + 1 >= o_.connections) {
      std::lock_guard<std::mutex> g(mutex_);
      cv_.notify_all();
    }
  }
  void ping_tick(int t);

  const options& o_;
  std::string tag_;
  std::vector<std::unique_ptr<user_stream>> users_;  // one user per connection
  std::vector<idle_acc> acc_;
  std::vector<violation_log> logs_;
  std::vector<std::vector<int>> by_thread_;
  std::unique_ptr<client_pool> pool_;
  std::atomic<int> settled_{0};  // connections opened (acked) or failed
  std::mutex mutex_;
  std::condition_variable cv_;
};

void idler::ping_tick(int t) {
  auto& a = acc_[t];
  if (!a.holding) return;
  const auto& mine = by_thread_[t];
  std::size_t n = (mine.size() + ping_spread - 1) / ping_spread;
  for (std::size_t i = 0; i < n && !mine.empty(); ++i) {
    int conn = mine[a.cursor++ % mine.size()];
    if (pool_->send(conn, "{\"type\":\"ping\"}")) ++a.pings;
  }
  pool_->after(t, ping_period_ms, [this, t] { ping_tick(t); });
}

run_result idler::run() {
  const int threads = std::max(1, o_.threads);
  const int n = o_.connections;
  acc_.resize(threads);
  logs_.resize(threads);
  by_thread_.resize(threads);
  for (int i = 0; i < n; ++i) {
    users_.push_back(std::make_unique<user_stream>("load-" + tag_ + "-" + std::to_string(i),
                                                   &logs_[i % threads]));
    users_.back()->add_connection();
    by_thread_[i % threads].push_back(i);
  }
  client_pool::handlers h;
  h.on_open = [this, threads](int conn, double ms) {
    auto& a = acc_[conn % threads];
    a.connect_ms.push_back(ms);
    ++a.connected;
  };
  h.on_fail = [this, threads](int conn, int status, const std::string& reason) {
    auto& a = acc_[conn % threads];
    ++a.failures;
    ++a.fail_reasons[status ? "http " + std::to_string(status) : reason];
    users_[conn]->connection(0).set_closed();
    settled();
  };
  h.on_close = [this, threads](int conn, int code, bool expected) {
    users_[conn]->connection(0).set_closed();
    if (!expected) ++acc_[conn % threads].closes[code];
  };
  h.on_message = [this, threads](int conn, std::string_view text) {
    auto& a = acc_[conn % threads];
    ++a.frames;
    auto& c = users_[conn]->connection(0);
    bool was_acked = c.acked();
    frame_info f = c.on_text(text);
    if (f.type == "pong") ++a.pongs;
    if (f.type == "error") ++a.error_frames[f.error_code];
    if (!was_acked && c.acked()) settled();
  };

  run_result r;
  r.mode = "idle";
  r.url = o_.url;
  r.tag = tag_;
  r.users = n;
  r.connections = n;
  r.threads = threads;
  r.server_pid = o_.server_pid;
  r.rss_before_kb = read_rss_kb(o_.server_pid);
  rss_sampler sampler(o_.server_pid, 250);
  pool_ = std::make_unique<client_pool>(threads, n, o_.max_handshakes, h);
  pool_->start();
  const double t0 = mono_ms();
  for (int i = 0; i < n; ++i)
    pool_->connect(i, i % threads, connect_url(o_.url, users_[i]->user_id(), "s0"));
  {
    std::unique_lock<std::mutex> lock(mutex_);
    r.deadline_hit = !cv_.wait_for(lock, std::chrono::duration<double>(connect_phase_max_s),
                                   [&] { return settled_.load() >= n; });
  }
  for (int t = 0; t < threads; ++t) pool_->after(t, ping_period_ms, [this, t] { ping_tick(t); });
  {
    // Hold: nothing to wake us early but the time.
    std::unique_lock<std::mutex> lock(mutex_);
    cv_.wait_for(lock, std::chrono::duration<double>(o_.hold_s), [] { return false; });
  }
  r.rss_after_kb = read_rss_kb(o_.server_pid);
  for (int t = 0; t < threads; ++t) pool_->post(t, [this, t] { acc_[t].holding = false; });
  r.elapsed_s = (mono_ms() - t0) / 1000.0;
  pool_->shutdown(3000);
  sampler.stop();
  r.rss_samples = sampler.samples();
  for (auto& a : acc_) {
    r.connect_ms.insert(r.connect_ms.end(), a.connect_ms.begin(), a.connect_ms.end());
    for (auto& [k, v] : a.fail_reasons) r.connect_failure_reasons[k] += v;
    for (auto& [k, v] : a.error_frames) r.error_frames[k] += v;
    for (auto& [k, v] : a.closes) r.unexpected_closes[k] += v;
    r.frames_received += a.frames;
    r.pongs += a.pongs;
    r.pings_sent += a.pings;
    r.connect_failures += a.failures;
    r.connected += a.connected;
  }
  for (auto& u : users_) u->finish(false);
  for (auto& l : logs_) r.violations.merge(l);
  if (o_.server_pid && r.rss_before_kb >= 0 && r.rss_after_kb >= 0 && r.connected > 0)
    r.rss_per_conn_kb = static_cast<double>(r.rss_after_kb - r.rss_before_kb) / r.connected;
  pool_.reset();
  return r;
}

}  // namespace

run_result idle_load(const options& o) {
  idler i(o);
  return i.run();
}

}  // namespace aw::load
