#include "actors/history_record.hpp"

#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>
#include <rapidjson/stringbuffer.h>

#include "encoding/json_writer.hpp"

namespace aw::actors {
namespace {

using encoding::json_writer;

// Copies every event to the writer except the value of the "chart" member of
// the top-level "response" object. Numbers pass through as their text.
class strip_handler : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, strip_handler> {
 public:
  explicit strip_handler(json_writer& w) : w_(w) {}

  bool Null() {
    return scalar([&] { return w_.Null(); });
  }
  bool Bool(bool b) {
    return scalar([&] { return w_.Bool(b); });
  }
  bool RawNumber(const char* s, rapidjson::SizeType n, bool) {
    // Writer::RawNumber quotes its text in RapidJSON 1.1.0; RawValue does not.
    return scalar([&] { return w_.RawValue(s, n, rapidjson::kNumberType); });
  }
  bool String(const char* s, rapidjson::SizeType n, bool) {
    return scalar([&] { return w_.String(s, n); });
  }
  bool Key(const char* s, rapidjson::SizeType n, bool) {
    if (skipping_ > 0) return true;
    std::string_view key(s, n);
    if (depth_ == 1) next_is_response_ = key == "response";
    if (depth_ == response_depth_ && key == "chart") {
      skip_next_ = true;
      return true;
    }
    return w_.Key(s, n);
  }
  bool StartObject() { return open(true); }
  bool EndObject(rapidjson::SizeType) { return close(true); }
  bool StartArray() { return open(false); }
  bool EndArray(rapidjson::SizeType) { return close(false); }

 private:
  template <class F>
  bool scalar(F write) {
    if (skipping_ > 0) return true;
    if (skip_next_) {
      skip_next_ = false;
      return true;
    }
    next_is_response_ = false;
    return write();
  }
  bool open(bool object) {
    if (skipping_ > 0 || skip_next_) {
      skip_next_ = false;
      ++skipping_;
      return true;
    }
    ++depth_;
    if (object && depth_ == 2 && next_is_response_) response_depth_ = depth_;
    next_is_response_ = false;
    return object ? w_.StartObject() : w_.StartArray();
  }
  bool close(bool object) {
    if (skipping_ > 0) {
      --skipping_;
      return true;
    }
    if (depth_ == response_depth_) response_depth_ = -1;
    --depth_;
    return object ? w_.EndObject() : w_.EndArray();
  }

  json_writer& w_;
  int depth_ = 0;
  int response_depth_ = -1;  // the depth of the response object while inside it
  bool next_is_response_ = false;
  bool skip_next_ = false;
  int skipping_ = 0;  // nesting inside a skipped object or array
};

}  // namespace

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

std::string strip_chart_bytes(std::string_view completed_data) {
  // Failures and other data carry no response: nothing to strip.
  if (completed_data.find("\"response\"") == std::string_view::npos)
    return std::string(completed_data);
  rapidjson::StringBuffer buffer;
  json_writer w(buffer);
  strip_handler handler(w);
  rapidjson::Reader reader;
  rapidjson::MemoryStream in(completed_data.data(), completed_data.size());
  constexpr unsigned flags = rapidjson::kParseIterativeFlag | rapidjson::kParseNumbersAsStringsFlag;
  if (!reader.Parse<flags>(in, handler)) return "{}";  // never for our own frames
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
