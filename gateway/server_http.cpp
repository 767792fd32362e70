// Plain HTTP on the WebSocket port (PROTOCOL.md section 8) and its auth.
#include "auth/jwt.hpp"
#include "core/log.hpp"
#include "gateway/http_routes.hpp"
#include "gateway/metrics_text.hpp"
#include "gateway/server_impl.hpp"

namespace aw::gateway {

// ALLOWED_ORIGINS (comma-separated) when set; browsers always send Origin,
// other clients may not, and those are let through.
bool server::impl::origin_allowed(const std::string& origin) const {
  if (cfg->allowed_origins.empty() || origin.empty()) return true;
  std::string_view list = cfg->allowed_origins;
  while (!list.empty()) {
    auto comma = list.find(',');
    std::string_view item = list.substr(0, comma);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (item == origin || item == "*") return true;
    list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
  }
  return false;
}

// With AUTH_SECRET set, HTTP needs "Authorization: Bearer <token>"; returns
// the token's user, or "" after answering 401.
std::string server::impl::http_user(const connection_ptr& con) {
  auto token = auth::bearer_token(con->get_request_header("Authorization"));
  auto check = auth::verify_hs256(cfg->auth_secret, token ? *token : "", now_ms() / 1000);
  if (check.ok) return check.subject;
  con->set_status(websocketpp::http::status_code::unauthorized);
  con->replace_header("Content-Type", "application/json");
  con->replace_header("WWW-Authenticate", "Bearer");
  con->set_body(error_json(check.error));
  return "";
}

void server::impl::on_http(hdl_t hdl) {
  auto con = endpoint.get_con_from_hdl(hdl);
  const auto& req = con->get_request();
  std::string resource = con->get_resource();
  std::string path = resource.substr(0, resource.find('?'));
  auto respond = [&](websocketpp::http::status_code::value status, const std::string& type,
                     const std::string& body) {
    con->set_status(status);
    con->replace_header("Content-Type", type);
    con->set_body(body);
  };
  if (req.get_method() != "GET" && req.get_method() != "HEAD")
    return respond(websocketpp::http::status_code::method_not_allowed, "application/json",
                   error_json("only GET is served"));
  if (path == "/health") {
    health_figures h;
    h.node = cfg->node_id;
    h.active_connections = static_cast<std::int64_t>(conns.size());
    h.active_users = static_cast<std::int64_t>(users.size());
    h.active_runs = svc.stats->active_runs.load();
    h.uptime_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return respond(websocketpp::http::status_code::ok, "application/json", health_json(h));
  }
  std::string user;
  if (!cfg->auth_secret.empty() && (user = http_user(con)).empty()) return;
  if (path == "/metrics") {
    gauges g;
    g.connections = static_cast<std::int64_t>(conns.size());
    g.users = static_cast<std::int64_t>(users.size());
    g.charts_cached = static_cast<std::int64_t>(svc.charts->size());
    g.chart_bytes = static_cast<std::int64_t>(svc.charts->bytes());
    return respond(websocketpp::http::status_code::ok, "text/plain; version=0.0.4",
                   metrics_text(*svc.stats, g));
  }
  if (std::string id = chart_id_from_path(path); !id.empty()) {
    auto chart = svc.charts->get(id);
    if (chart && (user.empty() || chart->owner == user)) {
      con->replace_header("Cache-Control", "private, max-age=86400, immutable");
      return respond(websocketpp::http::status_code::ok, chart->content_type, *chart->bytes);
    }
    return respond(websocketpp::http::status_code::not_found, "application/json",
                   error_json("no chart " + id));
  }
  respond(websocketpp::http::status_code::not_found, "application/json",
          error_json("not found: " + path));
}

}  // namespace aw::gateway
