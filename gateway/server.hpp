// The gateway: the only part that touches websocketpp. It owns every
// WebSocket connection on one Asio thread, keeps one session actor per user,
// answers HTTP on the same port, and never waits on an actor: frames travel
// to sessions as messages, and actors reach sockets through the outbox,
// whose calls are posted back to the Asio thread.
#pragma once

#include <memory>

#include <caf/actor_system.hpp>

#include "actors/outbox.hpp"
#include "actors/services.hpp"
#include "core/config.hpp"

namespace aw::gateway {

class server {
 public:
  server(caf::actor_system& system, std::shared_ptr<const core::config> cfg);
  ~server();
  server(const server&) = delete;
  server& operator=(const server&) = delete;

  actors::outbox& outbox();

  // Listens and serves until SIGINT or SIGTERM, then closes every connection
  // with 1001. Returns the process exit code.
  int run(const actors::services& svc);

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace aw::gateway
