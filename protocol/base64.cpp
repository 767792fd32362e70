#include "protocol/base64.hpp"

#include <cstdint>
#include <string>

#include "protocol/server_messages.hpp"

namespace aw::protocol {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

}  // namespace

void base64_encode_into(std::string_view bytes, char* out) {
  const auto* in = reinterpret_cast<const unsigned char*>(bytes.data());
  std::size_t n = bytes.size();
  std::size_t i = 0;
  for (; i + 3 <= n; i += 3) {
    std::uint32_t v = (std::uint32_t{in[i]} << 16) | (std::uint32_t{in[i + 1]} << 8) | in[i + 2];
    *out++ = kAlphabet[(v >> 18) & 0x3F];
    *out++ = kAlphabet[(v >> 12) & 0x3F];
    *out++ = kAlphabet[(v >> 6) & 0x3F];
    *out++ = kAlphabet[v & 0x3F];
  }
  std::size_t left = n - i;
  if (left == 0) return;
  std::uint32_t v = std::uint32_t{in[i]} << 16;
  if (left == 2) v |= std::uint32_t{in[i + 1]} << 8;
  *out++ = kAlphabet[(v >> 18) & 0x3F];
  *out++ = kAlphabet[(v >> 12) & 0x3F];
  *out++ = left == 2 ? kAlphabet[(v >> 6) & 0x3F] : '=';
  *out++ = '=';
}

std::string base64_encode(std::string_view bytes) {
  std::string out(base64_size(bytes.size()), '\0');
  base64_encode_into(bytes, out.data());
  return out;
}

}  // namespace aw::protocol
