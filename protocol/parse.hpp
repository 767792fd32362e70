// Parsing and validation of client frames (PROTOCOL.md section 2).
// Never throws for bad input: every problem becomes a protocol_error whose
// message names the field, e.g. "payload.width must be an integer 200..4000".
#pragma once

#include <string>
#include <string_view>
#include <variant>

#include "protocol/client_messages.hpp"
#include "protocol/errors.hpp"

#include "encoding/utf8.hpp"

namespace aw::protocol {

using parse_result = std::variant<client_message, protocol_error>;

parse_result parse_client_message(std::string_view frame);

// The handshake identifiers: 1..128 chars of [A-Za-z0-9_.:@-].
bool is_valid_id(std::string_view id);
// The message for a `field` that is not such an id.
std::string invalid_id_message(std::string_view field);

// Number of Unicode code points in valid UTF-8 (RapidJSON validates encoding).
using encoding::utf8_length;

}  // namespace aw::protocol
