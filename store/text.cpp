#include "store/text.hpp"

#include <algorithm>

#include <rapidjson/document.h>

namespace aw::store {
namespace {

constexpr std::size_t title_max_bytes = 200;

// Length of the valid UTF-8 sequence at s[i], or 0 when it is not one.
std::size_t utf8_sequence(std::string_view s, std::size_t i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = byte(i);
  if (c < 0x80) return 1;
  std::size_t n = 0;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;  // no surrogates
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
  for (std::size_t k = 2; k < n; ++k)
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
  return n;
}

}  // namespace

std::string clean_text(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t n = utf8_sequence(s, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      if (s[i] != '\0') out.append(s.data() + i, n);
      i += n;
    }
  }
  return out;
}

history_write cleaned(const history_write& w) {
  history_write c;
  c.what = w.what;
  c.user_id = clean_text(w.user_id);
  c.conversation_id = clean_text(w.conversation_id);
  c.run_id = clean_text(w.run_id);
  c.correlation_id = clean_text(w.correlation_id);
  c.message_id = clean_text(w.message_id);
  c.at_ms = w.at_ms;
  c.request_json = clean_text(w.request_json);
  c.status = clean_text(w.status);
  c.response_json = clean_text(w.response_json);
  return c;
}

std::string title_of(const history_write& w) {
  if (w.what != history_write::kind::started) return "";
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseIterativeFlag>(w.request_json.data(), w.request_json.size());
  if (doc.HasParseError() || !doc.IsObject()) return "";
  auto it = doc.FindMember("content");
  if (it == doc.MemberEnd() || !it->value.IsString()) return "";
  std::string content = clean_text({it->value.GetString(), it->value.GetStringLength()});
  if (content.size() <= title_max_bytes) return content;
  std::size_t cut = title_max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(content[cut]) & 0xC0) == 0x80) --cut;
  content.resize(cut);
  return content;
}

int clamp_limit(int limit) {
  return std::clamp(limit, 1, 200);
}

}  // namespace aw::store
