#include "support/tcp_proxy.hpp"

#include <array>
#include <atomic>
#include <thread>

#include <asio.hpp>

namespace aw::test {

namespace {

using asio::ip::tcp;

// One client and its upstream; pumps both ways until either side ends.
struct pair_state : std::enable_shared_from_this<pair_state> {
  pair_state(asio::io_context& io, std::atomic<int>& open) : client(io), upstream(io), open(open) {
    ++open;
  }
  ~pair_state() { --open; }
  tcp::socket client;
  tcp::socket upstream;
  std::atomic<int>& open;
  std::array<char, 16384> up_buf{};
  std::array<char, 16384> down_buf{};

  void close() {
    asio::error_code ec;
    client.close(ec);
    upstream.close(ec);
  }
  void pump(tcp::socket& from, tcp::socket& to, std::array<char, 16384>& buf) {
    auto self = shared_from_this();
    from.async_read_some(
        asio::buffer(buf), [self, &from, &to, &buf](asio::error_code ec, std::size_t n) {
          if (ec) return self->close();
          asio::async_write(to, asio::buffer(buf.data(), n),
                            [self, &from, &to, &buf](asio::error_code ec2, std::size_t) {
                              if (ec2) return self->close();
                              self->pump(from, to, buf);
                            });
        });
  }
};

}  // namespace

struct tcp_proxy::impl {
  std::atomic<int> open{0};  // before io: pairs the io still holds count down at its end
  std::atomic<int> target{0};
  std::atomic<int> accepted{0};
  int port = 0;  // read once, before the I/O thread starts
  asio::io_context io;
  tcp::acceptor acceptor{io};
  std::thread thread;

  void accept() {
    auto p = std::make_shared<pair_state>(io, open);
    acceptor.async_accept(p->client, [this, p](asio::error_code ec) {
      if (ec) return;  // the acceptor closed
      ++accepted;
      if (open.load() > 1024) {
        p->close();
      } else {
        tcp::endpoint to(asio::ip::address_v4::loopback(),
                         static_cast<unsigned short>(target.load()));
        p->upstream.async_connect(to, [p](asio::error_code ec2) {
          if (ec2) return p->close();
          p->pump(p->client, p->upstream, p->up_buf);
          p->pump(p->upstream, p->client, p->down_buf);
        });
      }
      accept();
    });
  }
};

tcp_proxy::tcp_proxy(int target_port) : impl_(std::make_unique<impl>()) {
  impl_->target = target_port;
  tcp::endpoint at(asio::ip::address_v4::loopback(), 0);
  impl_->acceptor.open(at.protocol());
  impl_->acceptor.set_option(tcp::acceptor::reuse_address(true));
  impl_->acceptor.bind(at);
  impl_->acceptor.listen();
  impl_->port = impl_->acceptor.local_endpoint().port();
  impl_->accept();
  impl_->thread = std::thread([this] { impl_->io.run(); });
}

tcp_proxy::~tcp_proxy() {
  impl_->io.stop();
  if (impl_->thread.joinable()) impl_->thread.join();
}

int tcp_proxy::port() const {
  return impl_->port;
}

void tcp_proxy::retarget(int target_port) {
  impl_->target = target_port;
}

int tcp_proxy::forwarded() const {
  return impl_->accepted.load();
}

}  // namespace aw::test
