// How the gateway closes a connection for each actors::close_reason: the
// WebSocket close code and text (PROTOCOL.md section 5). An AG-UI stream gets
// the same code, which server_agui.cpp turns into its RUN_ERROR code.
#pragma once

#include <cstdint>

#include "actors/outbox.hpp"

namespace aw::gateway {

struct close_frame {
  std::uint16_t code;  // WebSocket close code
  const char* text;    // WebSocket close reason
};

close_frame close_frame_for(actors::close_reason why);

}  // namespace aw::gateway
