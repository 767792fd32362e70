// Base64 encoding into a caller's buffer (internal to protocol/); the public
// entry point is base64_encode in server_messages.hpp.
#pragma once

#include <cstddef>
#include <string_view>

namespace aw::protocol {

constexpr std::size_t base64_size(std::size_t n) {
  return (n + 2) / 3 * 4;
}

// Writes exactly base64_size(bytes.size()) characters to `out`.
void base64_encode_into(std::string_view bytes, char* out);

}  // namespace aw::protocol
