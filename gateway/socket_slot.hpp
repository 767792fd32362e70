// One accepted TCP socket's place in the gateway's count of open sockets.
// The count starts at accept (before any HTTP or WebSocket handshake) and
// ends when websocketpp destroys the connection, on whichever thread lets go
// of it last; hence an atomic shared by the slots and the server.
#pragma once

#include <atomic>
#include <memory>

namespace aw::gateway {

using socket_counter = std::shared_ptr<std::atomic<int>>;

class socket_slot {
 public:
  socket_slot() = default;
  socket_slot(const socket_slot&) = delete;
  socket_slot& operator=(const socket_slot&) = delete;
  ~socket_slot() {
    if (counter_) counter_->fetch_sub(1, std::memory_order_relaxed);
  }

  // Counts this socket in `counter` (once; later calls do nothing).
  void take(const socket_counter& counter) {
    if (counter_ || !counter) return;
    counter_ = counter;
    counter_->fetch_add(1, std::memory_order_relaxed);
  }

 private:
  socket_counter counter_;
};

}  // namespace aw::gateway
