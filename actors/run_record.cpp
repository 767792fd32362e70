#include "actors/run_record.hpp"

#include <vector>

#include <caf/binary_deserializer.hpp>
#include <caf/binary_serializer.hpp>

#include "actors/wire_types.hpp"

namespace aw::actors {
namespace {

constexpr std::string_view record_tag = "run1:";
constexpr std::string_view checkpoint_tag = "gen1:";
// A stored record is read back at start-up: bounded before it is decoded.
constexpr std::size_t max_text = 16u << 20;

template <class Inspect>
std::string encode(std::string_view tag, Inspect&& inspect) {
  std::vector<char> buf;
  caf::binary_serializer sink{static_cast<caf::execution_unit*>(nullptr), buf};
  if (inspect(sink)) return {};
  static constexpr char digits[] = "0123456789abcdef";
  std::string out(tag);
  out.reserve(tag.size() + 2 * buf.size());
  for (char c : buf) {
    auto b = static_cast<unsigned char>(c);
    out += digits[b >> 4];
    out += digits[b & 15];
  }
  return out;
}

int nibble(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

template <class Inspect>
bool decode(std::string_view text, std::string_view tag, Inspect&& inspect) {
  if (text.size() > max_text || text.substr(0, tag.size()) != tag) return false;
  text.remove_prefix(tag.size());
  if (text.size() % 2 != 0) return false;
  std::vector<char> buf(text.size() / 2);
  for (std::size_t i = 0; i < buf.size(); ++i) {
    int hi = nibble(text[2 * i]);
    int lo = nibble(text[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    buf[i] = static_cast<char>(hi << 4 | lo);
  }
  caf::binary_deserializer source{static_cast<caf::execution_unit*>(nullptr), buf};
  return !inspect(source) && source.remaining() == 0;
}

}  // namespace

// CAF 0.17's inspectors take non-const references; a serializer only reads.
std::string encode_run_record(const protocol::analytics_payload& payload,
                              const std::string& refined_from, bool refined_synthetic,
                              std::uint32_t reruns) {
  auto& p = const_cast<protocol::analytics_payload&>(payload);
  auto& from = const_cast<std::string&>(refined_from);
  return encode(record_tag, [&](auto& f) { return f(p, from, refined_synthetic, reruns); });
}

std::optional<run_record> decode_run_record(std::string_view text) {
  run_record r;
  if (!decode(text, record_tag,
              [&](auto& f) { return f(r.payload, r.refined_from, r.refined_synthetic, r.reruns); }))
    return std::nullopt;
  return r;
}

std::string encode_checkpoint(bool chose, const analytics::generation& gen) {
  auto& g = const_cast<analytics::generation&>(gen);
  return encode(checkpoint_tag, [&](auto& f) { return f(chose, g); });
}

std::optional<run_checkpoint> decode_checkpoint(std::string_view text) {
  run_checkpoint c;
  if (!decode(text, checkpoint_tag, [&](auto& f) { return f(c.chose, c.gen); }))
    return std::nullopt;
  return c;
}

}  // namespace aw::actors
