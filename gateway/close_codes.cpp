#include "gateway/close_codes.hpp"

namespace aw::gateway {

close_frame close_frame_for(actors::close_reason why) {
  switch (why) {
    case actors::close_reason::superseded:
      return {4000, "superseded by a newer connection of this user"};
    case actors::close_reason::slow_consumer:
      return {4002, "slow consumer: send queue over MAX_SEND_QUEUE_BYTES"};
    case actors::close_reason::stale:
      return {4001, "stale: no traffic and no pong"};
    case actors::close_reason::token_expired:
      return {4003, "token expired"};
    case actors::close_reason::shutting_down:
      return {1001, "server shutting down"};
    case actors::close_reason::owned_elsewhere:  // RFC 6455 1013: try again later
      return {1013, "try again later: this user's session is live on another gateway"};
  }
  return {1011, "closed"};
}

}  // namespace aw::gateway
