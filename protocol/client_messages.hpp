// Client-to-server messages of PROTOCOL.md section 2, already validated.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>

#include "protocol/chart_data.hpp"
#include "protocol/chart_types.hpp"
#include "protocol/theme.hpp"

namespace aw::protocol {

enum class image_format { png, svg };

std::string_view to_string(image_format f);
std::string_view mime_type(image_format f);  // image/png, image/svg+xml

struct analytics_payload {
  std::string content;               // 1..4000 characters
  std::optional<std::string> title;  // 1..200 characters
  std::optional<chart_data> data;    // validated shape
  bool use_synthetic_data = true;
  std::optional<chart_type> chart_preference;
  theme_choice theme;
  bool enhance_labels = true;
  image_format format = image_format::png;
  int width = 800;   // 200..4000
  int height = 500;  // 200..4000
  // Set by the session, never read from the wire: the conversation's recent
  // turns for a model's prompt (issue #16 item 4), bounded by the session.
  std::string conversation_context;
};

// Both "analytics_request" and the short "query" form parse into this.
struct analytics_request {
  std::string message_id;       // may be empty
  std::string correlation_id;   // 1..256 characters
  std::string conversation_id;  // may be empty: the session_id is used then
  analytics_payload payload;
};

struct cancel_request {
  std::string correlation_id;
};

struct ping_request {};

struct resume_request {
  std::uint64_t last_seq = 0;
};

struct ack_request {
  std::uint64_t seq = 0;
};

// A fresh token for this connection (PROTOCOL.md section 2): same `sub`,
// keeps it open past the first token's exp. Checked by the gateway.
struct auth_request {
  std::string token;  // 1..4096 bytes
};

using client_message = std::variant<analytics_request, cancel_request, ping_request, resume_request,
                                    ack_request, auth_request>;

}  // namespace aw::protocol
