// The gateway's accept loop. websocketpp's own loop re-arms at once after an
// error, so out of file descriptors it spins at 100% CPU; and it hands out
// sockets without counting them until a handshake completes. This one counts
// every socket from accept (socket_slot), closes at once what is over
// MAX_TOTAL_CONNECTIONS plus a small head-room (kept so that refusals can
// still be answered with a 503 by the handshake checks), and backs off on
// accept errors, freeing one reserved descriptor to take the waiting
// connection off the backlog and close it.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "core/log.hpp"
#include "gateway/server_impl.hpp"

namespace aw::gateway {
namespace {

// Sockets beyond MAX_TOTAL_CONNECTIONS that are still read, so that an over-
// capacity handshake or HTTP request gets its 503 rather than a bare close.
constexpr int refusal_headroom = 64;
constexpr int first_backoff_ms = 10;
constexpr int max_backoff_ms = 1000;

bool is_benign(const websocketpp::lib::error_code& ec) {
  // The peer gave up between SYN and accept: nothing is wrong here.
  return ec.value() == ECONNABORTED || ec.value() == EPROTO;
}

}  // namespace

void server::impl::start_accepting() {
  reserve_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  accept_next();
}

void server::impl::stop_accepting() {
  accept_timer.cancel();
  if (reserve_fd >= 0) ::close(reserve_fd);
  reserve_fd = -1;
}

void server::impl::accept_next() {
  if (stopping || !endpoint.is_listening()) return;
  connection_ptr con = endpoint.get_connection();
  websocketpp::lib::error_code ec;
  if (con) {
    endpoint.async_accept(
        std::static_pointer_cast<ws_server::transport_con_type>(con),
        [this, con](const websocketpp::lib::error_code& e) { on_accepted(con, e); }, ec);
    if (!ec) return;
    con->terminate(ec);
  }
  log::error("gateway", "cannot wait for connections",
             {{"error", ec ? ec.message() : "no connection object"}});
}

void server::impl::on_accepted(const connection_ptr& con, const websocketpp::lib::error_code& ec) {
  // stop_listening: the loop ends here. websocketpp passes asio's own
  // operation_aborted through when the acceptor is closed under a pending accept.
  if (ec == websocketpp::error::operation_canceled || ec == asio::error::operation_aborted ||
      (ec && stopping)) {
    con->terminate(ec);
    return;
  }
  if (ec && !is_benign(ec)) {
    con->terminate(ec);
    ++op.accept_errors;
    if (accept_backoff_ms == 0) {
      log::warn(
          "gateway", "accept failed; backing off until it works again",
          {{"error", ec.message()},
           {"open_sockets", std::to_string(open_sockets->load())},
           {"hint", "raise the open-files limit (ulimit -n) or lower MAX_TOTAL_CONNECTIONS"}});
    }
    // The waiting client cannot be served now; give the reserved descriptor
    // up so the next accept takes it off the backlog (and on_accepted closes it).
    if (reserve_fd >= 0) {
      ::close(reserve_fd);
      reserve_fd = -1;
    }
    accept_backoff_ms = std::min(max_backoff_ms, std::max(first_backoff_ms, accept_backoff_ms * 2));
    accept_timer.expires_after(std::chrono::milliseconds(accept_backoff_ms));
    accept_timer.async_wait([this](const asio::error_code& e) {
      if (!e) accept_next();
    });
    return;
  }
  if (ec) {
    con->terminate(ec);
    accept_next();
    return;
  }
  con->slot.take(open_sockets);
  bool out_of_fds = reserve_fd < 0;
  if (out_of_fds) reserve_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (out_of_fds || open_sockets->load() > cfg->max_total_connections + refusal_headroom) {
    ++op.accept_refusals;
    con->terminate(websocketpp::lib::error_code());
  } else {
    if (accept_backoff_ms != 0) log::info("gateway", "accepting connections again");
    accept_backoff_ms = 0;
    con->start();
  }
  accept_next();
}

}  // namespace aw::gateway
