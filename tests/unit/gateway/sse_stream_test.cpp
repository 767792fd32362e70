// sse_stream on a real loopback TCP connection: a reader that keeps up gets
// the whole chunked body; one that stops reading is cut off (by the queue
// limit or by the write timeout) instead of being buffered for without bound;
// one that goes away ends the stream at once.
#include <doctest/doctest.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include <asio.hpp>

#include "gateway/sse_stream.hpp"

using aw::gateway::sse_stream;
using namespace std::chrono_literals;

namespace {

// One accepted connection: `server` is the stream's side, `client` the
// reader's. Small socket buffers make "the client stopped reading" show up
// after a few hundred KB rather than after the kernel's megabytes.
struct loopback {
  asio::io_context io;
  asio::ip::tcp::socket server{io};
  asio::ip::tcp::socket client{io};
  std::optional<sse_stream::end_reason> ended;
  bool transport_closed = false;

  loopback() {
    asio::ip::tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), 0});
    client.open(asio::ip::tcp::v4());
    client.set_option(asio::socket_base::receive_buffer_size(4096));
    client.connect(acceptor.local_endpoint());
    acceptor.accept(server);
    server.set_option(asio::socket_base::send_buffer_size(4096));
  }

  std::shared_ptr<sse_stream> stream(sse_stream::options opts) {
    auto s = std::make_shared<sse_stream>(
        server, nullptr,
        [this] {
          transport_closed = true;
          asio::error_code ec;
          server.shutdown(asio::ip::tcp::socket::shutdown_both, ec);
          server.close(ec);
        },
        opts, [this](sse_stream::end_reason why) { ended = why; });
    s->start({{"X-Test", "1"}});
    return s;
  }

  // Runs the io_context until the stream has ended, at most `limit`.
  bool run_until_ended(std::chrono::milliseconds limit) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (!ended && std::chrono::steady_clock::now() < deadline) {
      io.run_for(10ms);
      io.restart();
    }
    return ended.has_value();
  }
};

// Reads until the peer closes; at most `limit`.
std::string read_all(asio::ip::tcp::socket& s, asio::io_context& io,
                     std::chrono::milliseconds limit) {
  std::string out;
  char buf[65536];
  bool done = false;
  std::function<void()> next = [&] {
    s.async_read_some(asio::buffer(buf), [&](const asio::error_code& ec, std::size_t n) {
      out.append(buf, n);
      if (ec) {
        done = true;
        return;
      }
      next();
    });
  };
  next();
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done && std::chrono::steady_clock::now() < deadline) {
    io.run_for(10ms);
    io.restart();
  }
  return out;
}

std::string event(std::size_t size) {
  return "data: " + std::string(size, 'x') + "\n\n";
}

}  // namespace

TEST_CASE("a reader that keeps up gets the head, every chunk and the last chunk") {
  loopback net;
  auto s = net.stream({});
  for (int i = 0; i < 50; ++i) s->send(event(10000));
  s->finish();
  std::string body = read_all(net.client, net.io, 10s);
  CHECK(net.ended == sse_stream::end_reason::finished);
  CHECK(net.transport_closed);
  CHECK(body.rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
  CHECK(body.find("Content-Type: text/event-stream\r\n") != std::string::npos);
  CHECK(body.find("X-Test: 1\r\n") != std::string::npos);
  // 10008 bytes of event + CRLF: the chunk size line is hex 2718.
  std::size_t chunks = 0;
  for (auto at = body.find("\r\n2718\r\ndata: "); at != std::string::npos;
       at = body.find("\r\n2718\r\ndata: ", at + 1))
    ++chunks;
  CHECK(chunks == 50);
  CHECK(body.size() > 50 * 10008);
  CHECK(body.compare(body.size() - 5, 5, "0\r\n\r\n") == 0);
}

TEST_CASE("a reader that stops reading is cut off once the queue passes its limit") {
  loopback net;
  sse_stream::options opts;
  opts.max_queued_bytes = 256 * 1024;
  opts.write_timeout = 60s;  // not the timeout: the queue limit must end it
  auto s = net.stream(opts);
  // The client never reads. Each round lets the stream write what the socket
  // takes; the queue grows past the limit well before 64 MB are offered.
  for (int round = 0; round < 1000 && s->open(); ++round) {
    s->send(event(64 * 1024));
    net.io.poll();
    net.io.restart();
  }
  REQUIRE(net.run_until_ended(5s));
  CHECK(net.ended == sse_stream::end_reason::slow_reader);
  CHECK(net.transport_closed);
  CHECK(s->queued_bytes() == 0);
}

TEST_CASE("one write that does not finish within the write timeout ends the stream") {
  loopback net;
  sse_stream::options opts;
  opts.max_queued_bytes = std::size_t{1} << 30;
  opts.write_timeout = 300ms;
  auto s = net.stream(opts);
  s->send(event(8 << 20));  // far more than both socket buffers hold
  auto t0 = std::chrono::steady_clock::now();
  REQUIRE(net.run_until_ended(10s));
  auto took = std::chrono::steady_clock::now() - t0;
  CHECK(net.ended == sse_stream::end_reason::slow_reader);
  CHECK(took >= 300ms);
  CHECK(took < 5s);
}

TEST_CASE("a client that closes ends the stream as client_gone without any write") {
  loopback net;
  auto s = net.stream({});
  net.io.poll();  // the head goes out
  net.io.restart();
  net.client.close();
  REQUIRE(net.run_until_ended(5s));
  CHECK(net.ended == sse_stream::end_reason::client_gone);
  CHECK(!s->open());
  s->send(event(10));  // after the end: dropped, no crash
  CHECK(s->queued_bytes() == 0);
}
