#include "protocol/parse.hpp"

#include <cstdint>
#include <string>

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include "protocol/json_read.hpp"
#include "protocol/parse_data.hpp"

namespace aw::protocol {
namespace {

using json_read::find;
using json_read::invalid;
using json_read::value;

// Iterative parsing keeps deeply nested frames off the call stack.
// No kParseFullPrecisionFlag: in RapidJSON 1.1.0 (Debian's) that path turns
// out-of-range numbers and zeros with an exponent into garbage (10e308 ->
// -3.09e-308, 0e-100 -> 1.01e+31, with UB in diyfp.h: clz(0), a read past
// kCachedPowers_F); Tencent/rapidjson#1249. The default path gives inf (then
// rejected as not finite) and 0, at most a few ULP off for long mantissas.
constexpr unsigned kParseFlags =
    rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag;

constexpr std::size_t kMaxContentChars = 4000;
constexpr std::size_t kMaxCorrelationIdChars = 256;
constexpr std::size_t kMaxMessageIdChars = 256;
constexpr std::size_t kMaxTitleChars = 200;
constexpr std::int64_t kMinImageSize = 200;
constexpr std::int64_t kMaxImageSize = 4000;
constexpr std::int64_t kMaxSeq = std::int64_t{1} << 53;

status parse_correlation_id(const value& msg, std::string* out) {
  return json_read::read_required_string(find(msg, "correlation_id"), "correlation_id", 1,
                                         kMaxCorrelationIdChars, out);
}

status parse_message_id(const value& msg, std::string* out) {
  const value* v = find(msg, "message_id");
  if (v == nullptr) return {};
  return json_read::read_string(*v, "message_id", 0, kMaxMessageIdChars, out);
}

status parse_conversation_id(const value& msg, std::string* out) {
  const value* v = find(msg, "conversation_id");
  if (v == nullptr) return {};
  if (!v->IsString() || !is_valid_id({v->GetString(), v->GetStringLength()})) {
    return invalid(invalid_id_message("conversation_id"));
  }
  out->assign(v->GetString(), v->GetStringLength());
  return {};
}

status parse_optional_bool(const value& obj, const char* name, const char* path, bool* out) {
  const value* v = find(obj, name);
  if (v == nullptr) return {};
  return json_read::read_bool(*v, path, out);
}

status parse_image_size(const value& obj, const char* name, const char* path, int* out) {
  const value* v = find(obj, name);
  if (v == nullptr) return {};
  std::int64_t n = 0;
  if (auto failed = json_read::read_integer(*v, path, kMinImageSize, kMaxImageSize, &n);
      !failed.ok())
    return failed;
  *out = static_cast<int>(n);
  return {};
}

status parse_chart_preference(const value& payload, std::optional<chart_type>* out) {
  const value* v = find(payload, "chart_preference");
  if (v == nullptr) return {};
  if (!v->IsString()) {
    return invalid("payload.chart_preference must be a string (one of the 23 chart types) or null");
  }
  std::string_view name(v->GetString(), v->GetStringLength());
  *out = parse_chart_type(name);
  if (!out->has_value()) {
    std::string message =
        "payload.chart_preference " + json_read::quote(name) + " is not one of the 23 chart types";
    if (auto near = nearest_chart_type(name))
      message += "; did you mean " + std::string(to_string(*near)) + "?";
    return {error_code::unsupported_chart_type, std::move(message)};
  }
  return {};
}

status parse_theme(const value& payload, theme_choice* out) {
  const value* v = find(payload, "theme");
  if (v == nullptr) return {};
  if (v->IsString()) {
    std::string name(v->GetString(), v->GetStringLength());
    if (is_theme_name(name)) {
      out->name = std::move(name);
      return {};
    }
  } else if (v->IsObject()) {
    theme_choice custom;
    custom.name = "custom";
    const char* keys[] = {"primary", "secondary", "tertiary"};
    std::string* slots[] = {&custom.primary, &custom.secondary, &custom.tertiary};
    for (int i = 0; i < 3; ++i) {
      const value* c = find(*v, keys[i]);
      if (c == nullptr || !c->IsString() ||
          !is_hex_colour(std::string(c->GetString(), c->GetStringLength()))) {
        return invalid(std::string("payload.theme.") + keys[i] + " must be a colour \"#RRGGBB\"");
      }
      slots[i]->assign(c->GetString(), c->GetStringLength());
    }
    *out = std::move(custom);
    return {};
  }
  return invalid(
      "payload.theme must be one of modern, corporate, dark, minimal, vibrant or "
      "{\"primary\",\"secondary\",\"tertiary\"} colours");
}

status parse_format(const value& payload, image_format* out) {
  const value* v = find(payload, "format");
  if (v == nullptr) return {};
  std::string_view s =
      v->IsString() ? std::string_view(v->GetString(), v->GetStringLength()) : std::string_view();
  if (s == "png") {
    *out = image_format::png;
  } else if (s == "svg") {
    *out = image_format::svg;
  } else {
    return invalid("payload.format must be \"png\" or \"svg\"");
  }
  return {};
}

status parse_payload(const value* v, analytics_payload* out) {
  if (v == nullptr || !v->IsObject()) {
    return invalid("payload is required (object)");
  }
  const value& p = *v;
  if (auto failed = json_read::read_required_string(find(p, "content"), "payload.content", 1,
                                                    kMaxContentChars, &out->content);
      !failed.ok())
    return failed;
  if (const value* title = find(p, "title")) {
    std::string t;
    if (auto failed = json_read::read_string(*title, "payload.title", 1, kMaxTitleChars, &t);
        !failed.ok())
      return failed;
    out->title = std::move(t);
  }
  if (const value* data = find(p, "data")) {
    chart_data d;
    if (auto failed = parse_chart_data(*data, "payload.data", &d); !failed.ok()) return failed;
    out->data = std::move(d);
  }
  // PROTOCOL.md 2: synthetic data is the default only when no data was given.
  out->use_synthetic_data = !out->data.has_value();
  status failed = parse_optional_bool(p, "use_synthetic_data", "payload.use_synthetic_data",
                                      &out->use_synthetic_data);
  if (failed.ok())
    failed =
        parse_optional_bool(p, "enhance_labels", "payload.enhance_labels", &out->enhance_labels);
  if (failed.ok()) failed = parse_chart_preference(p, &out->chart_preference);
  if (failed.ok()) failed = parse_theme(p, &out->theme);
  if (failed.ok()) failed = parse_format(p, &out->format);
  if (failed.ok()) failed = parse_image_size(p, "width", "payload.width", &out->width);
  if (failed.ok()) failed = parse_image_size(p, "height", "payload.height", &out->height);
  return failed;
}

status parse_analytics_request(const value& msg, client_message* out) {
  analytics_request r;
  status failed = parse_correlation_id(msg, &r.correlation_id);
  if (failed.ok()) failed = parse_message_id(msg, &r.message_id);
  if (failed.ok()) failed = parse_conversation_id(msg, &r.conversation_id);
  if (failed.ok()) failed = parse_payload(find(msg, "payload"), &r.payload);
  if (!failed.ok()) return failed;
  *out = std::move(r);
  return {};
}

// {"type":"query","query":...} is an analytics_request with every default.
status parse_query(const value& msg, client_message* out) {
  analytics_request r;
  status failed = json_read::read_required_string(find(msg, "query"), "query", 1, kMaxContentChars,
                                                  &r.payload.content);
  if (failed.ok()) failed = parse_correlation_id(msg, &r.correlation_id);
  if (failed.ok()) failed = parse_message_id(msg, &r.message_id);
  if (failed.ok()) failed = parse_conversation_id(msg, &r.conversation_id);
  if (!failed.ok()) return failed;
  *out = std::move(r);
  return {};
}

status parse_cancel(const value& msg, client_message* out) {
  cancel_request r;
  if (auto failed = parse_correlation_id(msg, &r.correlation_id); !failed.ok()) return failed;
  *out = std::move(r);
  return {};
}

status parse_seq(const value& msg, const char* name, std::uint64_t* out) {
  const value* v = find(msg, name);
  std::int64_t n = 0;
  if (v == nullptr || !json_read::read_integer(*v, name, 0, kMaxSeq, &n).ok()) {
    return invalid(std::string(name) + " is required (integer 0..2^53)");
  }
  *out = static_cast<std::uint64_t>(n);
  return {};
}

status parse_resume(const value& msg, client_message* out) {
  resume_request r;
  if (auto failed = parse_seq(msg, "last_seq", &r.last_seq); !failed.ok()) return failed;
  *out = r;
  return {};
}

status parse_ack(const value& msg, client_message* out) {
  ack_request r;
  if (auto failed = parse_seq(msg, "seq", &r.seq); !failed.ok()) return failed;
  *out = r;
  return {};
}

status parse_auth(const value& msg, client_message* out) {
  const value* v = find(msg, "token");
  if (v == nullptr || !v->IsString() || v->GetStringLength() == 0 || v->GetStringLength() > 4096) {
    return invalid("token is required (string of 1..4096 bytes)");
  }
  *out = auth_request{std::string(v->GetString(), v->GetStringLength())};
  return {};
}

protocol_error make_error(error_code code, std::string message) {
  protocol_error e;
  e.code = code;
  e.message = std::move(message);
  return e;
}

}  // namespace

parse_result parse_client_message(std::string_view frame) {
  // A raw NUL is never valid JSON, and RapidJSON would take it for the end of input.
  if (frame.find('\0') != std::string_view::npos)
    return make_error(error_code::invalid_json, "frame is not valid JSON (NUL byte)");
  rapidjson::Document doc;
  doc.Parse<kParseFlags>(frame.data(), frame.size());
  if (doc.HasParseError()) {
    return make_error(error_code::invalid_json,
                      std::string("frame is not valid JSON: ") +
                          rapidjson::GetParseError_En(doc.GetParseError()) + " (at offset " +
                          std::to_string(doc.GetErrorOffset()) + ")");
  }
  if (!doc.IsObject()) return make_error(error_code::invalid_json, "frame must be a JSON object");

  protocol_error error;
  const value* cid = find(doc, "correlation_id");
  if (cid != nullptr && cid->IsString())
    error.correlation_id.assign(cid->GetString(), cid->GetStringLength());

  const value* type = find(doc, "type");
  if (type == nullptr || !type->IsString()) {
    error.code = error_code::unknown_type;
    error.message = "type is required (string)";
    return error;
  }
  std::string_view t(type->GetString(), type->GetStringLength());
  client_message msg;
  status failed;
  if (t == "analytics_request") {
    failed = parse_analytics_request(doc, &msg);
  } else if (t == "query") {
    failed = parse_query(doc, &msg);
  } else if (t == "cancel") {
    failed = parse_cancel(doc, &msg);
  } else if (t == "ping") {
    msg = ping_request{};
  } else if (t == "resume") {
    failed = parse_resume(doc, &msg);
  } else if (t == "ack") {
    failed = parse_ack(doc, &msg);
  } else if (t == "auth") {
    failed = parse_auth(doc, &msg);
  } else {
    failed = {error_code::unknown_type,
              "unknown type " + json_read::quote(t) +
                  " (expected analytics_request, query, cancel, ping, resume, ack or auth)"};
  }
  if (failed.ok()) return msg;
  error.code = failed.code();
  error.message = std::move(failed).message();
  return error;
}

std::string invalid_id_message(std::string_view field) {
  return std::string(field) + " must be 1..128 chars of [A-Za-z0-9_.:@-]";
}

bool is_valid_id(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '.' || c == ':' || c == '@' || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace aw::protocol
