#include "actors/history_record.hpp"

#include <rapidjson/stringbuffer.h>

#include "encoding/json_writer.hpp"

namespace aw::actors {
using encoding::json_writer;

std::string history_request_json(const protocol::analytics_payload& payload,
                                 const std::string& subject, const std::string& refined_from) {
  rapidjson::StringBuffer buffer;
  json_writer w(buffer);
  w.StartObject();
  w.Key("content");
  encoding::write_string(w, payload.content);
  if (payload.title) {
    w.Key("title");
    encoding::write_string(w, *payload.title);
  }
  w.Key("chart_preference");
  if (payload.chart_preference) {
    auto name = protocol::to_string(*payload.chart_preference);
    encoding::write_string(w, name);
  } else {
    w.Null();
  }
  auto format = protocol::to_string(payload.format);
  w.Key("format");
  encoding::write_string(w, format);
  w.Key("width");
  w.Int(payload.width);
  w.Key("height");
  w.Int(payload.height);
  w.Key("theme");
  encoding::write_string(w, payload.theme.name);
  w.Key("has_data");
  w.Bool(payload.data.has_value());
  if (!refined_from.empty()) {
    w.Key("subject");
    encoding::write_string(w, subject);
    w.Key("refined_from");
    encoding::write_string(w, refined_from);
  }
  w.EndObject();
  return encoding::take(buffer);
}

namespace {
store::history_write history_row(store::history_write::kind what, const std::string& user_id,
                                 const run_identity& run, std::int64_t at_ms) {
  store::history_write w;
  w.what = what;
  w.user_id = user_id;
  w.conversation_id = run.conversation_id;
  w.run_id = run.run_id;
  w.correlation_id = run.correlation_id;
  w.message_id = run.message_id;
  w.at_ms = at_ms;
  return w;
}
}  // namespace

store::history_write history_started(const std::string& user_id, const run_identity& run,
                                     std::int64_t at_ms, const protocol::analytics_payload& payload,
                                     const std::string& subject, const std::string& refined_from) {
  auto w = history_row(store::history_write::kind::started, user_id, run, at_ms);
  w.request_json = history_request_json(payload, subject, refined_from);
  return w;
}

store::history_write history_completed(const std::string& user_id, const run_identity& run,
                                       std::int64_t at_ms, const protocol::completed_event& done) {
  auto w = history_row(store::history_write::kind::completed, user_id, run, at_ms);
  w.status = std::string(protocol::to_string(done.status));
  w.response_json = protocol::write_stored_data(done);
  return w;
}

store::history_write history_completed(const std::string& user_id, const run_identity& run,
                                       std::int64_t at_ms, protocol::run_status status,
                                       std::string completed_data) {
  auto w = history_row(store::history_write::kind::completed, user_id, run, at_ms);
  w.status = std::string(protocol::to_string(status));
  w.response_json = std::move(completed_data);
  return w;
}

}  // namespace aw::actors
