#include "load/client_pool.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <iostream>
#include <mutex>
#include <thread>
#include <vector>

#include <asio.hpp>
#include <websocketpp/client.hpp>
#include <websocketpp/config/asio_no_tls_client.hpp>

#include "load/timestamp.hpp"

namespace aw::load {

namespace {

using client_t = websocketpp::client<websocketpp::config::asio_client>;

enum class conn_state { idle, queued, connecting, open, closed };

struct slot {
  websocketpp::connection_hdl hdl;
  int thread = -1;
  conn_state state = conn_state::idle;
  double started_ms = 0;
};

struct worker {
  client_t client;
  std::thread thread;
  std::deque<std::pair<int, std::string>> pending;  // (conn, url) waiting for a handshake slot
  int handshaking = 0;
  bool closing = false;
};

}  // namespace

struct client_pool::impl {
  handlers h;
  int max_handshakes_per_thread = 1;
  std::vector<std::unique_ptr<worker>> workers;
  std::vector<slot> slots;  // slot i is only touched on slots[i].thread
  std::atomic<int> open{0};
  std::mutex mutex;
  std::condition_variable changed;
  bool started = false;
  bool stopped = false;

  void pump(int t);
  void begin(int t, int conn, const std::string& url);
  void handshake_done(int t) {
    --workers[t]->handshaking;
    pump(t);
  }
};

client_pool::client_pool(int threads, int max_conns, int max_handshakes, handlers h)
    : impl_(std::make_unique<impl>()) {
  impl_->h = std::move(h);
  threads = std::max(1, threads);
  impl_->max_handshakes_per_thread = std::max(1, max_handshakes / threads);
  impl_->slots.resize(static_cast<std::size_t>(std::max(0, max_conns)));
  for (int t = 0; t < threads; ++t) {
    auto w = std::make_unique<worker>();
    w->client.clear_access_channels(websocketpp::log::alevel::all);
    w->client.clear_error_channels(websocketpp::log::elevel::all);
    w->client.init_asio();
    // Small frames must not wait for delayed ACKs: the harness measures latency.
    client_t* cl = &w->client;
    w->client.set_tcp_post_init_handler([cl](websocketpp::connection_hdl hdl) {
      websocketpp::lib::error_code ec;
      auto con = cl->get_con_from_hdl(hdl, ec);
      asio::error_code aec;
      if (con) con->get_raw_socket().set_option(asio::ip::tcp::no_delay(true), aec);
    });
    w->client.start_perpetual();
    impl_->workers.push_back(std::move(w));
  }
}

client_pool::~client_pool() {
  shutdown(1000);
}

int client_pool::threads() const {
  return static_cast<int>(impl_->workers.size());
}

void client_pool::start() {
  if (impl_->started) return;
  impl_->started = true;
  for (auto& wp : impl_->workers) {
    worker* w = wp.get();
    w->thread = std::thread([w] {
      // Bounded restarts: a throwing handler must not kill the process.
      for (int attempt = 0; attempt < 100; ++attempt) {
        try {
          w->client.run();
          return;
        } catch (const std::exception& e) {
          std::cerr << "agentwire-load: client thread: " << e.what() << "\n";
        }
      }
    });
  }
}

void client_pool::post(int thread, std::function<void()> fn) {
  auto& w = *impl_->workers[static_cast<std::size_t>(thread) % impl_->workers.size()];
  asio::post(w.client.get_io_service(), std::move(fn));
}

void client_pool::after(int thread, double ms, std::function<void()> fn) {
  auto& w = *impl_->workers[static_cast<std::size_t>(thread) % impl_->workers.size()];
  auto timer = std::make_shared<asio::steady_timer>(
      w.client.get_io_service(), std::chrono::microseconds(static_cast<long>(ms * 1000)));
  timer->async_wait([timer, fn = std::move(fn)](const asio::error_code& ec) {
    if (!ec) fn();
  });
}

void client_pool::connect(int conn, int thread, const std::string& url) {
  int t = thread % threads();
  post(t, [this, conn, t, url] {
    auto& w = *impl_->workers[t];
    if (w.closing || conn < 0 || conn >= static_cast<int>(impl_->slots.size())) return;
    impl_->slots[conn].thread = t;
    impl_->slots[conn].state = conn_state::queued;
    w.pending.emplace_back(conn, url);
    impl_->pump(t);
  });
}

void client_pool::impl::pump(int t) {
  auto& w = *workers[t];
  // Bounded by the queue length.
  while (!w.closing && !w.pending.empty() && w.handshaking < max_handshakes_per_thread) {
    auto [conn, url] = std::move(w.pending.front());
    w.pending.pop_front();
    ++w.handshaking;
    begin(t, conn, url);
  }
}

void client_pool::impl::begin(int t, int conn, const std::string& url) {
  auto& w = *workers[t];
  auto& s = slots[conn];
  websocketpp::lib::error_code ec;
  auto con = w.client.get_connection(url, ec);
  if (ec) {
    s.state = conn_state::closed;
    --w.handshaking;
    if (h.on_fail) h.on_fail(conn, 0, ec.message());
    return;  // the caller's loop pumps on
  }
  con->set_open_handshake_timeout(15000);
  con->set_close_handshake_timeout(3000);
  con->set_open_handler([this, t, conn](websocketpp::connection_hdl) {
    auto& sl = slots[conn];
    sl.state = conn_state::open;
    open.fetch_add(1);
    double ms = mono_ms() - sl.started_ms;
    if (h.on_open) h.on_open(conn, ms);
    handshake_done(t);
  });
  con->set_fail_handler([this, t, conn](websocketpp::connection_hdl hdl) {
    auto& wk = *workers[t];
    int status = 0;
    std::string reason;
    websocketpp::lib::error_code e2;
    auto c = wk.client.get_con_from_hdl(hdl, e2);
    if (c) {
      status = c->get_response_code();
      reason = c->get_ec().message();
    }
    slots[conn].state = conn_state::closed;
    if (h.on_fail) h.on_fail(conn, status, reason);
    handshake_done(t);
  });
  con->set_close_handler([this, t, conn](websocketpp::connection_hdl hdl) {
    auto& wk = *workers[t];
    int code = 0;
    websocketpp::lib::error_code e2;
    auto c = wk.client.get_con_from_hdl(hdl, e2);
    if (c) code = c->get_remote_close_code();
    slots[conn].state = conn_state::closed;
    if (h.on_close) h.on_close(conn, code, wk.closing);
    {
      std::lock_guard<std::mutex> g(mutex);
      open.fetch_sub(1);
    }
    changed.notify_all();
  });
  con->set_message_handler([this, conn](websocketpp::connection_hdl, client_t::message_ptr m) {
    if (h.on_message) h.on_message(conn, m->get_payload());
  });
  s.hdl = con->get_handle();
  s.state = conn_state::connecting;
  s.started_ms = mono_ms();
  w.client.connect(con);
}

bool client_pool::send(int conn, const std::string& text) {
  if (conn < 0 || conn >= static_cast<int>(impl_->slots.size())) return false;
  auto& s = impl_->slots[conn];
  if (s.state != conn_state::open) return false;
  websocketpp::lib::error_code ec;
  impl_->workers[s.thread]->client.send(s.hdl, text, websocketpp::frame::opcode::text, ec);
  return !ec;
}

void client_pool::close(int conn, int code) {
  if (conn < 0 || conn >= static_cast<int>(impl_->slots.size())) return;
  auto& s = impl_->slots[conn];
  if (s.state != conn_state::open) return;
  websocketpp::lib::error_code ec;
  impl_->workers[s.thread]->client.close(
      s.hdl, static_cast<websocketpp::close::status::value>(code), "", ec);
}

int client_pool::open_connections() const {
  return impl_->open.load();
}

void client_pool::shutdown(double grace_ms) {
  if (impl_->stopped) return;
  impl_->stopped = true;
  if (impl_->started) {
    for (int t = 0; t < threads(); ++t) {
      post(t, [this, t] {
        auto& w = *impl_->workers[t];
        w.closing = true;
        w.pending.clear();
        for (std::size_t i = 0; i < impl_->slots.size(); ++i) {
          auto& s = impl_->slots[i];
          if (s.thread != t || s.state != conn_state::open) continue;
          websocketpp::lib::error_code ec;
          w.client.close(s.hdl, websocketpp::close::status::normal, "done", ec);
        }
      });
    }
    std::unique_lock<std::mutex> lock(impl_->mutex);
    impl_->changed.wait_for(lock, std::chrono::duration<double, std::milli>(grace_ms),
                            [this] { return impl_->open.load() <= 0; });
  }
  for (auto& w : impl_->workers) {
    w->client.stop_perpetual();
    w->client.stop();
  }
  for (auto& w : impl_->workers)
    if (w->thread.joinable()) w->thread.join();
}

}  // namespace aw::load
