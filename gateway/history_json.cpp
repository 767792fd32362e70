#include "gateway/history_json.hpp"

#include <optional>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>

#include "encoding/json_writer.hpp"
#include "protocol/server_messages.hpp"

namespace aw::gateway {
namespace {

using encoding::json_writer;

void string(json_writer& w, const char* key, const std::string& value) {
  w.Key(key);
  encoding::write_string(w, value);
}

void time_or_null(json_writer& w, const char* key, std::int64_t ms, bool present) {
  w.Key(key);
  if (!present) {
    w.Null();
    return;
  }
  std::string text = protocol::rfc3339_ms(ms);
  encoding::write_string(w, text);
}

// The stored JSON is re-parsed rather than pasted in: whatever the database
// holds, the answer stays valid JSON.
void embedded(json_writer& w, const char* key, const std::string& json) {
  w.Key(key);
  rapidjson::Document doc;
  if (json.empty() || doc.Parse(json.data(), json.size()).HasParseError()) {
    w.Null();
    return;
  }
  doc.Accept(w);
}

// True when an older page may exist; then rows.size() >= limit >= 1.
bool more_pages(std::size_t rows, int limit, int fetched) {
  if (limit < 1) return false;
  auto want = static_cast<std::size_t>(limit);
  return rows > want || (rows == want && fetched == limit);
}

// The store keeps agent_completed's `data` ({status, duration_ms, response |
// error}): listed as "response" (PROTOCOL.md 3.1, without the image bytes) or
// null, "error" ({code, message}) or null, and "duration_ms".
void completion(json_writer& w, const std::string& json) {
  rapidjson::Document doc;
  bool ok = !json.empty() && !doc.Parse(json.data(), json.size()).HasParseError() && doc.IsObject();
  auto member = [&](const char* key) -> const rapidjson::Value* {
    if (!ok) return nullptr;
    auto it = doc.FindMember(key);
    return it == doc.MemberEnd() || it->value.IsNull() ? nullptr : &it->value;
  };
  bool wrapped = member("response") || member("error") || member("duration_ms");
  const rapidjson::Value* response = wrapped ? member("response") : (ok ? &doc : nullptr);
  const rapidjson::Value* error = member("error");
  const rapidjson::Value* duration = member("duration_ms");
  w.Key("response");
  if (response && response->IsObject())
    response->Accept(w);
  else
    w.Null();
  w.Key("error");
  if (error && error->IsObject())
    error->Accept(w);
  else
    w.Null();
  w.Key("duration_ms");
  if (duration && duration->IsNumber())
    duration->Accept(w);
  else
    w.Null();
}

// The cursor of the next (older) page: the time and id of the row it starts
// before, both null when there is none.
struct cursor_t {
  std::int64_t ms = 0;
  std::string id;
};

void next_before(json_writer& w, const std::optional<cursor_t>& cursor) {
  w.Key("next_before");
  if (cursor)
    w.Int64(cursor->ms);
  else
    w.Null();
  w.Key("next_before_id");
  if (cursor)
    encoding::write_string(w, cursor->id);
  else
    w.Null();
}

// What a row adds to a messages page, near enough to keep pages bounded.
std::size_t message_row_bytes(const store::message_record& m) {
  return m.request_json.size() + m.response_json.size() + m.run_id.size() +
         m.correlation_id.size() + m.message_id.size() + m.status.size() + 256;
}

}  // namespace

std::string conversations_json(const std::string& user_id,
                               std::vector<store::conversation_summary> rows, int limit,
                               int fetched) {
  std::optional<cursor_t> cursor;
  if (more_pages(rows.size(), limit, fetched)) {
    rows.resize(static_cast<std::size_t>(limit));
    cursor = cursor_t{rows.back().updated_ms, rows.back().conversation_id};
  }
  rapidjson::StringBuffer buf;
  json_writer w(buf);
  w.StartObject();
  string(w, "user_id", user_id);
  w.Key("conversations");
  w.StartArray();
  for (const auto& c : rows) {
    w.StartObject();
    string(w, "conversation_id", c.conversation_id);
    string(w, "title", c.title);
    time_or_null(w, "created_at", c.created_ms, true);
    time_or_null(w, "updated_at", c.updated_ms, true);
    w.Key("message_count");
    w.Int64(c.message_count);
    w.EndObject();
  }
  w.EndArray();
  next_before(w, cursor);
  w.EndObject();
  return encoding::take(buf);
}

std::string messages_json(const std::string& user_id, const std::string& conversation_id,
                          std::vector<store::message_record> rows, int limit, int fetched) {
  std::optional<cursor_t> cursor;
  if (more_pages(rows.size(), limit, fetched)) {
    // Oldest first: an extra row is the first one.
    rows.erase(rows.begin(), rows.end() - limit);
    cursor = cursor_t{rows.front().created_ms, rows.front().run_id};
  }
  // Newest rows first into the byte budget; the older ones are the next page.
  std::size_t bytes = 0;
  auto keep = rows.end();
  while (keep != rows.begin()) {
    auto row = std::prev(keep);
    bytes += message_row_bytes(*row);
    if (bytes > history_page_max_bytes && keep != rows.end()) break;
    keep = row;
  }
  if (keep != rows.begin()) {
    rows.erase(rows.begin(), keep);
    cursor = cursor_t{rows.front().created_ms, rows.front().run_id};
  }
  rapidjson::StringBuffer buf;
  json_writer w(buf);
  w.StartObject();
  string(w, "user_id", user_id);
  string(w, "conversation_id", conversation_id);
  w.Key("messages");
  w.StartArray();
  for (const auto& m : rows) {
    bool done = !m.status.empty();
    w.StartObject();
    string(w, "run_id", m.run_id);
    string(w, "correlation_id", m.correlation_id);
    w.Key("message_id");
    if (m.message_id.empty())
      w.Null();
    else
      encoding::write_string(w, m.message_id);
    time_or_null(w, "created_at", m.created_ms, true);
    embedded(w, "request", m.request_json);
    w.Key("status");
    if (done)
      encoding::write_string(w, m.status);
    else
      w.Null();
    completion(w, done ? m.response_json : std::string());
    time_or_null(w, "completed_at", m.completed_ms, done);
    w.EndObject();
  }
  w.EndArray();
  next_before(w, cursor);
  w.EndObject();
  return encoding::take(buf);
}

}  // namespace aw::gateway
