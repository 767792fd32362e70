#include "load/run_mode.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <random>
#include <unordered_map>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "load/client_pool.hpp"
#include "load/rss.hpp"
#include "load/timestamp.hpp"
#include "protocol/chart_types.hpp"

namespace aw::load {

namespace {

const char* const prompts[] = {
    "Show quarterly revenue growth for 2024",
    "Compare monthly active users for 2023 and 2024",
    "Break down operating costs by department",
    "Show weekly order volume over the last quarter",
    "Plot customer satisfaction scores by region",
    "Show the distribution of support ticket resolution times",
};

// Everything one client thread measures; merged after the threads stopped.
struct thread_acc {
  std::array<std::vector<double>, event_type_count> to_event;
  std::vector<double> lag, connect_ms, event_times;
  std::vector<std::pair<double, double>> completions;
  std::map<std::string, std::uint64_t> failed_runs, error_frames, fail_reasons;
  std::map<int, std::uint64_t> closes;
  std::uint64_t events = 0, frames = 0, pongs = 0, completed = 0, success = 0, failures = 0;
  int connected = 0;
  double first_send = -1, last_done = -1;  // mono ms
};

struct user_ctx {
  std::unique_ptr<user_stream> stream;
  std::vector<int> conns;
  int thread = 0;
  int acked = 0, next_req = 0, in_flight = 0, rr = 0;
  bool done = false, aborted = false;
  std::unordered_map<std::string, double> sent_at;  // cid -> mono ms
};

struct conn_ctx {
  int user = 0;
  conn_stream* checker = nullptr;
};

class runner {
 public:
  runner(const options& o) : o_(o), tag_(random_tag()) {}
  run_result run();

 private:
  void on_message(int conn, std::string_view text);
  void start_user(int u);
  void send_next(int u);
  void maybe_done(int u);
  void finish_user(int u);

  const options& o_;
  std::string tag_;
  std::vector<user_ctx> users_;
  std::vector<conn_ctx> conns_;
  std::vector<thread_acc> acc_;
  std::vector<violation_log> logs_;  // one per thread
  std::unique_ptr<client_pool> pool_;
  double t0_ = 0;
  std::atomic<int> users_done_{0};
  std::mutex mutex_;
  std::condition_variable all_done_;
};

run_result runner::run() {
  const int threads = std::max(1, o_.threads);
  const int n_users = o_.users, per_user = o_.conns_per_user;
  acc_.resize(threads);
  logs_.resize(threads);
  users_.resize(n_users);
  conns_.resize(static_cast<std::size_t>(n_users) * per_user);
  for (int u = 0; u < n_users; ++u) {
    auto& uc = users_[u];
    uc.thread = u % threads;
    uc.stream =
        std::make_unique<user_stream>("load-" + tag_ + "-" + std::to_string(u), &logs_[uc.thread]);
    for (int c = 0; c < per_user; ++c) {
      int id = u * per_user + c;
      uc.conns.push_back(id);
      conns_[id] = {u, &uc.stream->add_connection()};
    }
  }
  client_pool::handlers h;
  h.on_open = [this](int conn, double ms) {
    auto& a = acc_[users_[conns_[conn].user].thread];
    a.connect_ms.push_back(ms);
    ++a.connected;
  };
  h.on_fail = [this](int conn, int status, const std::string& reason) {
    int u = conns_[conn].user;
    auto& a = acc_[users_[u].thread];
    ++a.failures;
    ++a.fail_reasons[status ? "http " + std::to_string(status) : reason];
    conns_[conn].checker->set_closed();
    users_[u].aborted = true;
    finish_user(u);
  };
  h.on_close = [this](int conn, int code, bool expected) {
    int u = conns_[conn].user;
    conns_[conn].checker->set_closed();
    if (expected) return;
    ++acc_[users_[u].thread].closes[code];
    users_[u].aborted = true;
    finish_user(u);
  };
  h.on_message = [this](int conn, std::string_view text) { on_message(conn, text); };

  run_result r;
  r.mode = "run";
  r.url = o_.url;
  r.tag = tag_;
  r.users = n_users;
  r.connections = n_users * per_user;
  r.requests_per_user = o_.requests;
  r.concurrency = o_.concurrency;
  r.threads = threads;
  r.chart = o_.chart;
  r.server_pid = o_.server_pid;
  r.rss_before_kb = read_rss_kb(o_.server_pid);
  rss_sampler sampler(o_.server_pid, 250);

  pool_ = std::make_unique<client_pool>(threads, r.connections, o_.max_handshakes, h);
  pool_->start();
  t0_ = mono_ms();
  for (int u = 0; u < n_users; ++u)
    for (std::size_t c = 0; c < users_[u].conns.size(); ++c)
      pool_->connect(users_[u].conns[c], users_[u].thread,
                     connect_url(o_.url, users_[u].stream->user_id(), "s" + std::to_string(c)));
  {
    std::unique_lock<std::mutex> lock(mutex_);
    r.deadline_hit = !all_done_.wait_for(lock, std::chrono::duration<double>(o_.duration_max_s),
                                         [&] { return users_done_.load() >= n_users; });
  }
  r.elapsed_s = (mono_ms() - t0_) / 1000.0;
  r.rss_after_kb = read_rss_kb(o_.server_pid);
  pool_->shutdown(2000);  // joins the client threads: their state is ours now
  sampler.stop();
  r.rss_samples = sampler.samples();

  double first_send = -1, last_done = -1;
  for (int t = 0; t < threads; ++t) {
    auto& a = acc_[t];
    for (int e = 0; e < event_type_count; ++e)
      r.to_event_ms[e].insert(r.to_event_ms[e].end(), a.to_event[e].begin(), a.to_event[e].end());
    r.lag_ms.insert(r.lag_ms.end(), a.lag.begin(), a.lag.end());
    r.connect_ms.insert(r.connect_ms.end(), a.connect_ms.begin(), a.connect_ms.end());
    r.event_times_s.insert(r.event_times_s.end(), a.event_times.begin(), a.event_times.end());
    r.completions.insert(r.completions.end(), a.completions.begin(), a.completions.end());
    for (auto& [k, v] : a.failed_runs) r.failed_runs[k] += v;
    for (auto& [k, v] : a.error_frames) r.error_frames[k] += v;
    for (auto& [k, v] : a.fail_reasons) r.connect_failure_reasons[k] += v;
    for (auto& [k, v] : a.closes) r.unexpected_closes[k] += v;
    r.events_received += a.events;
    r.frames_received += a.frames;
    r.pongs += a.pongs;
    r.runs_success += a.success;
    r.connect_failures += a.failures;
    r.connected += a.connected;
    if (a.first_send >= 0 && (first_send < 0 || a.first_send < first_send))
      first_send = a.first_send;
    last_done = std::max(last_done, a.last_done);
  }
  for (auto& uc : users_) {
    auto s = uc.stream->finish(uc.done && !uc.aborted);
    r.requests_sent += s.sent;
    r.runs_completed += s.completed;
    r.runs_rejected += s.rejected;
    r.runs_lost += s.lost;
    r.requests_not_sent += static_cast<std::uint64_t>(o_.requests - uc.next_req);
  }
  for (auto& l : logs_) r.violations.merge(l);
  r.active_s = first_send >= 0 && last_done > first_send ? (last_done - first_send) / 1000.0 : 0;
  if (o_.server_pid && r.rss_before_kb >= 0 && r.rss_after_kb >= 0 && r.connected > 0)
    r.rss_per_conn_kb = static_cast<double>(r.rss_after_kb - r.rss_before_kb) / r.connected;
  pool_.reset();
  return r;
}

void runner::on_message(int conn, std::string_view text) {
  const double recv_wall = wall_ms(), recv_mono = mono_ms();
  int u = conns_[conn].user;
  auto& uc = users_[u];
  auto& a = acc_[uc.thread];
  ++a.frames;
  const bool was_acked = conns_[conn].checker->acked();
  const std::size_t rejected_before = uc.stream->rejected();
  frame_info f = conns_[conn].checker->on_text(text);
  if (f.type == "connection_ack" && !was_acked && conns_[conn].checker->acked()) {
    if (++uc.acked == static_cast<int>(uc.conns.size())) start_user(u);
    return;
  }
  if (f.type == "pong") ++a.pongs;
  if (f.type == "error") {
    ++a.error_frames[f.error_code.empty() ? "(none)" : f.error_code];
    if (uc.stream->rejected() > rejected_before) {
      --uc.in_flight;
      send_next(u);
    }
    maybe_done(u);
    return;
  }
  if (f.event < 0) return;
  ++a.events;
  a.event_times.push_back((recv_mono - t0_) / 1000.0);
  if (f.timestamp_ms) a.lag.push_back(recv_wall - *f.timestamp_ms);
  auto sent = uc.sent_at.find(f.correlation_id);
  if (f.first_for_user && sent != uc.sent_at.end())
    a.to_event[f.event].push_back(recv_mono - sent->second);
  if (f.run_done) {
    double ms = sent != uc.sent_at.end() ? recv_mono - sent->second : 0;
    a.completions.emplace_back((recv_mono - t0_) / 1000.0, ms);
    a.last_done = std::max(a.last_done, recv_mono);
    if (f.status == "success")
      ++a.success;
    else
      ++a.failed_runs[f.status + "/" + (f.error_code.empty() ? "-" : f.error_code)];
    --uc.in_flight;
    send_next(u);
  }
  maybe_done(u);
}

void runner::start_user(int u) {
  auto& uc = users_[u];
  for (int i = 0; i < o_.concurrency && uc.next_req < o_.requests; ++i) send_next(u);
  maybe_done(u);
}

void runner::send_next(int u) {
  auto& uc = users_[u];
  if (uc.done || uc.aborted || uc.next_req >= o_.requests || uc.in_flight >= o_.concurrency) return;
  const int k = uc.next_req++;
  const int global = u * o_.requests + k;
  std::string chart = o_.chart;
  if (chart == "mixed") {
    const auto& all = protocol::all_chart_types();
    chart = std::string(protocol::to_string(all[global % all.size()]));
  }
  const std::string cid = tag_ + "-u" + std::to_string(u) + "-r" + std::to_string(k);
  const int conn = uc.conns[uc.rr++ % uc.conns.size()];
  const double now = mono_ms();
  if (!pool_->send(conn,
                   request_json(cid, global, chart, o_.width, o_.height, o_.titles == "unique"))) {
    --uc.next_req;  // counted as not sent
    uc.aborted = true;
    finish_user(u);
    return;
  }
  uc.stream->expect_request(cid);
  uc.sent_at[cid] = now;
  ++uc.in_flight;
  auto& a = acc_[uc.thread];
  if (a.first_send < 0) a.first_send = now;
}

void runner::maybe_done(int u) {
  auto& uc = users_[u];
  if (!uc.done && uc.next_req >= o_.requests && uc.in_flight <= 0 && uc.stream->all_done())
    finish_user(u);
}

void runner::finish_user(int u) {
  auto& uc = users_[u];
  if (uc.done) return;
  uc.done = true;
  int n = users_done_.fetch_add(1) + 1;
  if (n >= static_cast<int>(users_.size())) {
    std::lock_guard<std::mutex> g(mutex_);
    all_done_.notify_all();
  }
}

}  // namespace

run_result run_load(const options& o) {
  runner r(o);
  return r.run();
}

std::string random_tag() {
  std::random_device rd;
  std::mt19937_64 gen((static_cast<std::uint64_t>(rd()) << 32) ^ rd());
  static const char hex[] = "0123456789abcdef";
  std::string s;
  for (int i = 0; i < 8; ++i) s += hex[gen() % 16];
  return s;
}

std::string connect_url(const std::string& base, const std::string& user,
                        const std::string& session) {
  return base + (base.find('?') == std::string::npos ? "?" : "&") + "user_id=" + user +
         "&session_id=" + session;
}

std::string request_json(const std::string& cid, int index, const std::string& chart, int width,
                         int height, bool unique_title) {
  rapidjson::StringBuffer sb;
  rapidjson::Writer<rapidjson::StringBuffer> w(sb);
  w.StartObject();
  w.Key("type");
  w.String("analytics_request");
  w.Key("message_id");
  w.String(("m-" + cid).c_str());
  w.Key("correlation_id");
  w.String(cid.c_str());
  w.Key("payload");
  w.StartObject();
  w.Key("content");
  w.String(prompts[static_cast<std::size_t>(index) % (sizeof(prompts) / sizeof(prompts[0]))]);
  // A title of its own makes every chart distinct, so the server's render
  // cache cannot answer for gnuplot: the figures measure real renders.
  if (unique_title) {
    w.Key("title");
    w.String(("Load test chart " + cid).c_str());
  }
  w.Key("chart_preference");
  w.String(chart.c_str());
  w.Key("width");
  w.Int(width);
  w.Key("height");
  w.Int(height);
  w.EndObject();
  w.EndObject();
  return sb.GetString();
}

}  // namespace aw::load
