#include "store/text.hpp"

#include <algorithm>

#include <rapidjson/document.h>

#include "encoding/utf8.hpp"

namespace aw::store {
namespace {

constexpr std::size_t title_max_bytes = 200;

}  // namespace

std::string clean_text(std::string_view s) {
  return encoding::to_valid_utf8(s, /*drop_nul=*/true);
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
  return std::string(encoding::utf8_cut_bytes(content, title_max_bytes));
}

int clamp_limit(int limit) {
  return std::clamp(limit, 1, 200);
}

}  // namespace aw::store
