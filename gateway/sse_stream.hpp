// A Server-Sent Events response written straight to an accepted TCP socket,
// on the gateway's Asio thread, without blocking it.
//
// Why the raw socket: websocketpp answers a plain HTTP request once, with a
// complete body (set_body, or send_http_response after
// defer_http_response()). An SSE stream must go out event by event as the run
// happens. So the gateway defers the websocketpp response (which also cancels
// its handshake timer and leaves the socket idle: websocketpp issues no further
// read on an HTTP connection whose request is complete), writes the response
// head and the events itself with asio::async_write on
// connection::get_raw_socket(), and at the end calls
// connection::terminate(http_connection_ended): websocketpp then shuts the
// socket down without writing a response of its own (http_state is no longer
// "deferred", and terminate never writes). The body is chunked
// (Transfer-Encoding: chunked), so the client knows where it ends, and the
// response says Connection: close.
//
// Bounds, like the WebSocket side:
// - bytes waiting besides the write in flight are capped (MAX_SEND_QUEUE_BYTES):
//   over it, the stream ends (slow_reader) instead of buffering without bound;
// - one write that stays unfinished for `write_timeout` ends it too (a client
//   that stopped reading cannot hold the socket forever);
// - a read is kept pending on the socket: the client closing (or aborting the
//   fetch) completes it with an error at once, and the stream ends (client_gone).
// The end handler is posted, never called from inside send()/finish().
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <asio.hpp>

namespace aw::gateway {

class sse_stream : public std::enable_shared_from_this<sse_stream> {
 public:
  enum class end_reason { finished, client_gone, slow_reader };
  using header_list = std::vector<std::pair<std::string, std::string>>;

  struct options {
    std::size_t max_queued_bytes = 4 << 20;
    std::chrono::milliseconds write_timeout{30000};
  };

  // `socket` belongs to `owner` (kept alive by the stream); `close_transport`
  // ends the connection (for websocketpp: terminate without a response).
  sse_stream(asio::ip::tcp::socket& socket, std::shared_ptr<void> owner,
             std::function<void()> close_transport, options opts,
             std::function<void(end_reason)> on_end);

  // Writes "200 OK" with text/event-stream and the extra headers, and starts
  // watching for the client going away.
  void start(const header_list& extra_headers);
  // Queues one SSE message (already framed: "data: ...\n\n").
  void send(const std::string& message);
  // Ends the stream after everything queued has been written.
  void finish();
  bool open() const { return !ended_ && !finishing_; }
  std::size_t queued_bytes() const { return queued_bytes_; }

 private:
  void write_next();
  void watch_client();
  void end(end_reason why);

  asio::ip::tcp::socket& socket_;
  std::shared_ptr<void> owner_;
  std::function<void()> close_transport_;
  options opts_;
  std::function<void(end_reason)> on_end_;
  asio::steady_timer write_timer_;
  std::deque<std::string> queue_;
  std::size_t queued_bytes_ = 0;  // in queue_, not counting the write in flight
  std::string in_flight_;
  bool writing_ = false;
  unsigned write_gen_ = 0;  // tells a stale write-timer wake-up from the current write's
  bool finishing_ = false;
  bool ended_ = false;
  std::array<char, 256> discard_{};
};

}  // namespace aw::gateway
