#include "gateway/sse_stream.hpp"

#include <cstdio>

namespace aw::gateway {
namespace {

std::string chunk(const std::string& data) {
  char size[20];
  int n = std::snprintf(size, sizeof size, "%zx\r\n", data.size());
  std::string out;
  out.reserve(static_cast<std::size_t>(n) + data.size() + 2);
  out.append(size, static_cast<std::size_t>(n));
  out += data;
  out += "\r\n";
  return out;
}

}  // namespace

sse_stream::sse_stream(asio::ip::tcp::socket& socket, std::shared_ptr<void> owner,
                       std::function<void()> close_transport, options opts,
                       std::function<void(end_reason)> on_end)
    : socket_(socket),
      owner_(std::move(owner)),
      close_transport_(std::move(close_transport)),
      opts_(opts),
      on_end_(std::move(on_end)),
      write_timer_(socket.get_executor()) {}

void sse_stream::start(const header_list& extra_headers) {
  std::string head =
      "HTTP/1.1 200 OK\r\n"
      "Content-Type: text/event-stream\r\n"
      "Cache-Control: no-cache\r\n"
      "Connection: close\r\n"
      "Transfer-Encoding: chunked\r\n"
      "X-Accel-Buffering: no\r\n";
  for (const auto& [name, value] : extra_headers) head += name + ": " + value + "\r\n";
  head += "\r\n";
  queue_.push_back(std::move(head));  // the head does not count against the limit
  write_next();
  watch_client();
}

void sse_stream::send(const std::string& message) {
  if (!open()) return;
  std::string c = chunk(message);
  queued_bytes_ += c.size();
  queue_.push_back(std::move(c));
  if (queued_bytes_ > opts_.max_queued_bytes) return end(end_reason::slow_reader);
  write_next();
}

void sse_stream::finish() {
  if (!open()) return;
  finishing_ = true;
  queue_.push_back("0\r\n\r\n");  // the last chunk
  write_next();
}

void sse_stream::write_next() {
  if (writing_ || ended_ || queue_.empty()) return;
  // Everything queued goes out as one write.
  in_flight_.clear();
  for (auto& s : queue_) in_flight_ += s;
  queue_.clear();
  queued_bytes_ = 0;
  writing_ = true;
  unsigned gen = ++write_gen_;
  write_timer_.expires_after(opts_.write_timeout);
  write_timer_.async_wait([self = shared_from_this(), gen](const asio::error_code& ec) {
    if (!ec && self->writing_ && self->write_gen_ == gen) self->end(end_reason::slow_reader);
  });
  asio::async_write(socket_, asio::buffer(in_flight_),
                    [self = shared_from_this()](const asio::error_code& ec, std::size_t) {
                      self->writing_ = false;
                      self->write_timer_.cancel();
                      if (self->ended_) return;
                      if (ec) return self->end(end_reason::client_gone);
                      if (!self->queue_.empty()) return self->write_next();
                      if (self->finishing_) self->end(end_reason::finished);
                    });
}

// The client sends nothing after its request; a read that completes with an
// error means it went away. Stray bytes are read and dropped.
void sse_stream::watch_client() {
  socket_.async_read_some(asio::buffer(discard_),
                          [self = shared_from_this()](const asio::error_code& ec, std::size_t) {
                            if (self->ended_) return;
                            if (ec) return self->end(end_reason::client_gone);
                            self->watch_client();
                          });
}

void sse_stream::end(end_reason why) {
  if (ended_) return;
  ended_ = true;
  queue_.clear();
  queued_bytes_ = 0;
  write_timer_.cancel();
  close_transport_();
  asio::post(socket_.get_executor(), [self = shared_from_this(), why] { self->on_end_(why); });
}

}  // namespace aw::gateway
