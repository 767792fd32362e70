// WebSocket client connections (websocketpp on standalone Asio) spread over N
// threads, one io_context each. Each connection lives on the thread it was
// started on and every callback for it runs there, so per-connection (and
// per-user, when a user's connections share a thread) state needs no locks.
// Handshakes are paced: at most `max_handshakes` in flight at once.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace aw::load {

class client_pool {
 public:
  struct handlers {
    std::function<void(int conn, double connect_ms)> on_open;
    std::function<void(int conn, int http_status, const std::string& reason)> on_fail;
    std::function<void(int conn, std::string_view text)> on_message;
    // `expected`: the close was started by shutdown().
    std::function<void(int conn, int code, bool expected)> on_close;
  };

  // Connection ids are 0..max_conns-1, each used at most once.
  client_pool(int threads, int max_conns, int max_handshakes, handlers h);
  ~client_pool();
  client_pool(const client_pool&) = delete;
  client_pool& operator=(const client_pool&) = delete;

  int threads() const;
  void start();  // starts the threads (call once, before anything else)

  // Thread-safe: queues the connection on `thread`.
  void connect(int conn, int thread, const std::string& url);
  // Thread-safe: runs fn on `thread` now / after `ms` milliseconds.
  void post(int thread, std::function<void()> fn);
  void after(int thread, double ms, std::function<void()> fn);
  // Only on the connection's own thread (from a callback, post or after).
  bool send(int conn, const std::string& text);
  void close(int conn, int code);

  // Closes every open connection with 1000, waits up to grace_ms for the
  // closes, then stops and joins the threads. Idempotent.
  void shutdown(double grace_ms);
  int open_connections() const;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace aw::load
