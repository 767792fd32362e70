// Parsing and checking of the WebSocket upgrade request (PROTOCOL.md section 1):
//   /ws?user_id=U&session_id=S[&token=T][&last_seq=N&epoch=E]
//   /ws/U/S[?token=T&last_seq=N&epoch=E]
// Pure functions: no sockets, so they are unit-tested directly.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "protocol/result.hpp"

namespace aw::gateway {

struct handshake {
  std::string user_id;
  std::string session_id;
  std::string token;
  std::optional<std::uint64_t> last_seq;
  std::string epoch;
};

// `resource` is the request target: path plus optional query. Refused with
// VALIDATION_FAILED and why (the gateway answers HTTP 400 with it).
result<handshake> parse_handshake(std::string_view resource);

// Percent-decoding of one URL component; '+' is a space in queries. False on a bad escape.
bool url_decode(std::string_view in, bool plus_is_space, std::string* out);

// key -> value of the query string (decoded); a repeated key keeps the first value.
std::map<std::string, std::string> parse_query(std::string_view query, bool* ok);

}  // namespace aw::gateway
