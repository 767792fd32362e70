// What the actors need from the socket side, and nothing more: the gateway
// implements it. Every call is thread-safe and returns at once (the gateway
// posts the work to its own I/O thread), so no actor ever waits on a socket.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <caf/actor.hpp>

#include "protocol/run_event.hpp"

namespace aw::actors {

using conn_id = std::uint64_t;
using frame_ptr = std::shared_ptr<const std::string>;

// One numbered run event as the emitter made it: the typed value (what AG-UI
// and the history map) and its WebSocket frame, encoded once. One allocation
// holds both; shared_frame() hands the frame out as a plain frame_ptr that
// shares it (the resume log and the durable log keep only that).
struct event_record {
  protocol::run_event event;
  std::string frame;
};
using event_ptr = std::shared_ptr<const event_record>;

inline frame_ptr shared_frame(const event_ptr& e) {
  return frame_ptr(e, &e->frame);
}

// Why a connection is closed by the server. The gateway maps each to its
// transport's close (gateway/close_codes.hpp: a WebSocket code, an AG-UI
// RUN_ERROR code); actors never name a code.
enum class close_reason : std::uint8_t {
  superseded,       // a newer connection of the same user took its place
  slow_consumer,    // the client does not read what it is sent
  stale,            // no traffic and no pong
  token_expired,    // its bearer token ran out
  shutting_down,    // the server stops
  owned_elsewhere,  // durable log: the user's session is live on another gateway (try again)
};

class outbox {
 public:
  virtual ~outbox() = default;

  virtual void send(conn_id conn, frame_ptr frame) = 0;
  virtual void send_all(const std::vector<conn_id>& conns, frame_ptr frame) = 0;
  // A run event for the user's connections: a WebSocket connection gets its
  // frame, an AG-UI stream maps the typed value. By default, the frame to each.
  virtual void send_event(const std::vector<conn_id>& conns, event_ptr event) {
    send_all(conns, shared_frame(event));
  }
  // An error for the one connection whose request caused it (PROTOCOL.md
  // section 5), typed for the same reason. By default, its frame.
  virtual void send_error(conn_id conn, const protocol::protocol_error& e, std::int64_t now_ms) {
    send(conn, std::make_shared<const std::string>(protocol::write_error(e, now_ms)));
  }
  // A resume replay: streamed as the client reads, so it never trips the
  // connection's send-queue limit by itself (PROTOCOL.md section 5, 4002).
  virtual void send_replay(conn_id conn, std::vector<frame_ptr> frames) = 0;
  virtual void close(conn_id conn, close_reason why) = 0;

  // A session with no connection and no run asks to be forgotten. The gateway
  // answers with retire_atom when the user indeed has no connection left;
  // otherwise it does nothing and the session stays.
  virtual void retire(const std::string& user_id, caf::actor session) = 0;

  // After drain_atom: the user's session has no run left (said once, at once
  // when it had none). The gateway closes its sockets when every user drained.
  virtual void drained(const std::string& user_id) = 0;
};

}  // namespace aw::actors
