#include "gateway/http_routes.hpp"

#include <rapidjson/stringbuffer.h>

#include <vector>

#include "actors/chart_store.hpp"
#include "core/version.hpp"
#include "encoding/json_writer.hpp"
#include "gateway/handshake.hpp"
#include "protocol/parse.hpp"

namespace aw::gateway {

std::string health_status(const health_figures& h) {
  bool render_ok = h.render_workers == 0 || h.render_workers_up > 0;
  bool cluster_ok = h.cluster_workers == 0 || h.cluster_workers_live > 0;
  bool durable_ok = !h.durable_enabled || h.durable_up;
  return h.store_up && render_ok && cluster_ok && durable_ok ? "healthy" : "degraded";
}

std::string health_json(const health_figures& h) {
  rapidjson::StringBuffer buf;
  encoding::json_writer w(buf);
  w.StartObject();
  w.Key("status");
  encoding::write_string(w, health_status(h));
  w.Key("service");
  w.String("agentwire");
  w.Key("version");
  w.String(core::version);
  w.Key("node");
  encoding::write_string(w, h.node);
  w.Key("active_connections");
  w.Int64(h.active_connections);
  w.Key("active_users");
  w.Int64(h.active_users);
  w.Key("active_runs");
  w.Int64(h.active_runs);
  w.Key("uptime_s");
  w.Double(h.uptime_s);
  w.Key("store");
  w.StartObject();
  w.Key("backend");
  encoding::write_string(w, h.store_backend);
  w.Key("up");
  w.Bool(h.store_up);
  w.EndObject();
  w.Key("render_pool");
  w.StartObject();
  w.Key("workers");
  w.Int64(h.render_workers);
  w.Key("up");
  w.Int64(h.render_workers_up);
  w.EndObject();
  if (h.durable_enabled) {
    w.Key("durable_log");
    w.StartObject();
    w.Key("up");
    w.Bool(h.durable_up);
    w.Key("pending_events");
    w.Int64(h.durable_pending_events);
    w.Key("pending_bytes");
    w.Int64(h.durable_pending_bytes);
    w.Key("events");
    w.Int64(h.durable_events);
    w.Key("recovered_users");
    w.Int64(h.durable_recovered_users);
    w.Key("recovered_runs");
    w.Int64(h.durable_recovered_runs);
    w.Key("reruns");
    w.Int64(h.durable_reruns);
    w.Key("takeovers");
    w.Int64(h.durable_takeovers);
    w.EndObject();
  }
  if (h.cluster_workers > 0) {
    w.Key("worker_nodes");
    w.StartObject();
    w.Key("configured");
    w.Int64(h.cluster_workers);
    w.Key("live");
    w.Int64(h.cluster_workers_live);
    w.EndObject();
  }
  w.EndObject();
  return encoding::take(buf);
}

std::string error_json(const std::string& message, const std::string& code) {
  rapidjson::StringBuffer buf;
  encoding::json_writer w(buf);
  w.StartObject();
  w.Key("error");
  encoding::write_string(w, message);
  w.Key("code");
  encoding::write_string(w, code);
  w.EndObject();
  return encoding::take(buf);
}

std::string error_code_for(int status) {
  switch (status) {
    case 400:
      return "BAD_REQUEST";
    case 401:
      return "UNAUTHORIZED";
    case 403:
      return "FORBIDDEN";
    case 404:
      return "NOT_FOUND";
    case 405:
      return "METHOD_NOT_ALLOWED";
    case 413:
      return "PAYLOAD_TOO_LARGE";
    case 422:
      return "VALIDATION_FAILED";
    case 426:
      return "UPGRADE_REQUIRED";
    case 429:
      return "RATE_LIMITED";
    case 500:
      return "INTERNAL_ERROR";
    case 501:
      return "NOT_IMPLEMENTED";
    case 503:
      return "UNAVAILABLE";
    default:
      return status >= 500 ? "INTERNAL_ERROR" : "BAD_REQUEST";
  }
}

const char* http_reason(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 204:
      return "No Content";
    case 304:
      return "Not Modified";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 413:
      return "Payload Too Large";
    case 415:
      return "Unsupported Media Type";
    case 422:
      return "Unprocessable Entity";
    case 426:
      return "Upgrade Required";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 503:
      return "Service Unavailable";
    default:
      return "";
  }
}

http_answer json_error(int status, const std::string& message) {
  http_answer a;
  a.status = status;
  a.body = error_json(message, error_code_for(status));
  return a;
}

const char* allowed_methods_for(const std::string& path) {
  auto ends_with = [&](const std::string& tail) {
    return path.size() > tail.size() &&
           path.compare(path.size() - tail.size(), tail.size(), tail) == 0;
  };
  bool admin_action =
      path.rfind("/admin/", 0) == 0 && (ends_with("/disconnect") || ends_with("/cancel"));
  bool agui_run = path.rfind("/agui/runs/", 0) == 0;
  if (agui_run && ends_with("/events")) return "GET, OPTIONS";
  bool agui_cancel = agui_run && ends_with("/cancel");
  return path == "/agui" || admin_action || agui_cancel ? "POST, OPTIONS" : "GET, HEAD, OPTIONS";
}

http_answer upgrade_required_answer() {
  auto a = json_error(426,
                      "this is the WebSocket endpoint: connect with a WebSocket client "
                      "(ws://HOST:PORT/ws?user_id=U&session_id=S), not plain HTTP");
  a.headers.emplace_back("Upgrade", "websocket");
  a.headers.emplace_back("Connection", "Upgrade");
  return a;
}

http_answer liveness_answer() {
  http_answer a;
  a.body = R"({"status":"alive"})";
  a.headers.emplace_back("Cache-Control", "no-store");
  return a;
}

http_answer readiness_answer(const health_figures& h, bool draining) {
  std::vector<const char*> reasons;
  if (draining) reasons.push_back("draining: the server is shutting down");
  if (!h.store_up) reasons.push_back("the history store does not answer");
  if (h.durable_enabled && !h.durable_up) reasons.push_back("the durable event log cannot write");
  if (h.render_workers > 0 && h.render_workers_up == 0) reasons.push_back("no render worker is up");
  if (h.cluster_workers > 0 && h.cluster_workers_live == 0)
    reasons.push_back("no worker node is live");
  rapidjson::StringBuffer buf;
  encoding::json_writer w(buf);
  w.StartObject();
  w.Key("status");
  w.String(reasons.empty() ? "ready" : "not_ready");
  w.Key("reasons");
  w.StartArray();
  for (const char* r : reasons) w.String(r);
  w.EndArray();
  w.EndObject();
  http_answer a;
  a.status = reasons.empty() ? 200 : 503;
  a.body = encoding::take(buf);
  a.headers.emplace_back("Cache-Control", "no-store");
  return a;
}

std::string chart_id_from_path(const std::string& path) {
  const std::string prefix = "/charts/";
  if (path.compare(0, prefix.size(), prefix) != 0) return "";
  std::string id = path.substr(prefix.size());
  return actors::is_chart_id(id) ? id : "";
}

http_answer chart_answer(const std::string& id, const actors::stored_chart* chart,
                         const std::string& user, const std::string& if_none_match) {
  if (!chart || (!user.empty() && chart->owner != user)) return json_error(404, "no chart " + id);
  http_answer a;
  std::string etag = "\"" + id + "\"";
  a.headers.emplace_back("Cache-Control", "private, max-age=86400, immutable");
  a.headers.emplace_back("ETag", etag);
  if (!if_none_match.empty() &&
      (if_none_match == "*" || if_none_match.find(etag) != std::string::npos)) {
    a.status = 304;
    return a;
  }
  a.content_type = chart->content_type;
  a.body = *chart->bytes;
  // An image is only ever an image: never sniffed as something else, and an
  // SVG opened on its own runs no script and loads nothing.
  a.headers.emplace_back("X-Content-Type-Options", "nosniff");
  if (chart->content_type.rfind("image/svg", 0) == 0)
    a.headers.emplace_back("Content-Security-Policy",
                           "default-src 'none'; style-src 'unsafe-inline'; sandbox");
  return a;
}

namespace {

// A decimal integer of at most 15 digits (no sign), so it fits a JSON number exactly.
bool parse_count(const std::string& s, std::int64_t* out) {
  if (s.empty() || s.size() > 15) return false;
  std::int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *out = v;
  return true;
}

}  // namespace

result<history_route> parse_history_route(std::string_view path, std::string_view query) {
  auto refused = [](std::string why) -> result<history_route> {
    return {protocol::error_code::validation_failed, std::move(why)};
  };
  history_route r;
  constexpr std::string_view prefix = "/conversations/";
  if (path.substr(0, prefix.size()) != prefix) return r;
  std::string_view rest = path.substr(prefix.size());
  std::vector<std::string_view> segments;  // at most 4: one more than any route has
  while (segments.size() < 4) {
    auto slash = rest.find('/');
    segments.push_back(rest.substr(0, slash));
    if (slash == std::string_view::npos) break;
    rest = rest.substr(slash + 1);
  }
  std::size_t count = segments.size();
  if (count == 1) {
    r.what = history_route::kind::conversations;
  } else if (count == 3 && segments[2] == "messages") {
    r.what = history_route::kind::messages;
  } else {
    return r;
  }
  auto id = [](std::string_view raw, std::string* out) {
    return raw.size() <= 3 * 128 && url_decode(raw, false, out) && protocol::is_valid_id(*out);
  };
  if (!id(segments[0], &r.user_id)) return refused(protocol::invalid_id_message("user_id"));
  if (r.what == history_route::kind::messages && !id(segments[1], &r.conversation_id))
    return refused(protocol::invalid_id_message("conversation_id"));
  bool ok = true;
  auto params = parse_query(query, &ok);
  if (!ok) {
    return refused("malformed query string");
  }
  if (auto it = params.find("limit"); it != params.end()) {
    std::int64_t v = 0;
    if (!parse_count(it->second, &v) || v < 1 || v > history_max_limit) {
      return refused("limit must be an integer 1.." + std::to_string(history_max_limit));
    }
    r.limit = static_cast<int>(v);
  }
  if (auto it = params.find("before"); it != params.end()) {
    std::int64_t v = 0;
    if (!parse_count(it->second, &v)) {
      return refused("before must be a time in milliseconds since 1970 (an integer >= 0)");
    }
    r.before_ms = v;
  }
  if (auto it = params.find("before_id"); it != params.end()) {
    if (!r.before_ms) {
      return refused("before_id needs before");
    }
    if (!protocol::is_valid_id(it->second)) {
      return refused(protocol::invalid_id_message("before_id"));
    }
    r.before_id = it->second;
  }
  return r;
}

}  // namespace aw::gateway
