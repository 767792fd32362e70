// Plain HTTP on the WebSocket port (PROTOCOL.md section 8): routes, auth and
// CORS. Memory-only answers (/health, /metrics, a chart still in memory) are
// made on the Asio thread; anything that needs the disk or the history store
// runs on the query threads and is answered back on the Asio thread.
#include <algorithm>

#include "auth/jwt.hpp"
#include "core/log.hpp"
#include "gateway/cors.hpp"
#include "gateway/history_json.hpp"
#include "gateway/http_routes.hpp"
#include "gateway/metrics_text.hpp"
#include "gateway/server_impl.hpp"
#include "gateway/static_files.hpp"

namespace aw::gateway {
namespace {

constexpr std::size_t query_thread_count = 2;
constexpr std::size_t query_queue = 256;  // past this, 503 at once
constexpr auto store_ping_interval = std::chrono::seconds(5);

std::string backend_of(const std::string& store_url) {
  return store_url.rfind("postgres", 0) == 0 ? "postgresql" : "sqlite";
}

}  // namespace

// ALLOWED_ORIGINS (comma-separated) when set; browsers always send Origin,
// other clients may not, and those are let through.
bool server::impl::origin_allowed(const std::string& origin) const {
  if (cfg->allowed_origins.empty() || origin.empty()) return true;
  return origin_listed(cfg->allowed_origins, origin);
}

// With AUTH_SECRET set, HTTP needs "Authorization: Bearer <token>"; returns
// the token's user, or "" after answering 401.
std::string server::impl::http_user(const connection_ptr& con) {
  auto token = auth::bearer_token(con->get_request_header("Authorization"));
  auto check =
      auth::verify_hs256(cfg->auth_secret, token ? *token : "", now_ms() / 1000, token_rules());
  if (check.ok) return check.subject;
  auto a = json_error(401, check.error);
  a.headers.emplace_back("WWW-Authenticate", "Bearer");
  answer(con, a);
  return "";
}

void server::impl::start_http() {
  queries = std::make_unique<query_threads>(query_thread_count, query_queue);
  std::string error;
  bool shared = false;
#ifdef AW_HAVE_STORE
  // With a store every gateway reads (PostgreSQL), charts go there: any
  // gateway serves any chart to its owner, after a failover too. Its own
  // connection, for the chart store's thread and the query threads.
  if (backend_of(cfg->store_url) == "postgresql") {
    try {
      std::shared_ptr<store::history_store> charts =
          store::open_history_store(cfg->store_url, cfg->data_dir);
      if (charts->keeps_charts()) {
        svc.charts->persist_to_store(std::move(charts));
        shared = true;
        log::info("gateway", "charts are kept in the history store", {{"backend", "postgresql"}});
      }
    } catch (const std::exception& e) {
      log::error("gateway", "the store for charts is not available: chart files instead",
                 {{"error", e.what()}});
    }
  }
#endif
  store::chart_disk_limits limits;
  limits.total_bytes = static_cast<std::uint64_t>(cfg->chart_disk_mb) << 20;
  limits.user_bytes = static_cast<std::uint64_t>(cfg->chart_disk_user_mb) << 20;
  if (!shared &&
      !svc.charts->persist_to(cfg->data_dir + "/charts", cfg->retention_days, limits, &error))
    log::error("gateway", "chart files are off: charts live in memory only", {{"error", error}});
  store_backend = backend_of(cfg->store_url);
  // Once here, before listening, so the first /health already knows; then
  // every few seconds on a query worker.
  auto h = history_handle();
  try {
    history_answers = h && h->ping();
  } catch (const std::exception&) {
    history_answers = false;
  }
  schedule_store_ping();
}

void server::impl::stop_http() {
  store_ping_timer.cancel();
  queries.reset();  // runs what is queued; the answers it posts are never sent
  std::lock_guard<std::mutex> guard(history_mutex);
  history.reset();
}

std::shared_ptr<store::history_store> server::impl::history_handle() {
  std::lock_guard<std::mutex> guard(history_mutex);
#ifdef AW_HAVE_STORE
  if (!history) {
    try {
      history = store::open_history_store(cfg->store_url, cfg->data_dir);
      log::info("gateway", "history store open for reading", {{"backend", history->backend()}});
      history_open_failure_logged = false;
    } catch (const std::exception& e) {
      // Tried again every few seconds: said once (until it opens), naming the setting.
      if (!history_open_failure_logged)
        log::error(
            "gateway", "history store not available; tried again every 5 s",
            {{"error", e.what()},
             {"setting", cfg->store_url.empty()
                             ? "DATA_DIR=" + cfg->data_dir + " (SQLite file history.db)"
                             : std::string("STORE_URL (") + backend_of(cfg->store_url) + ")"}});
      history_open_failure_logged = true;
    }
  }
#endif
  return history;
}

void server::impl::schedule_store_ping() {
  store_ping_timer.expires_after(store_ping_interval);
  store_ping_timer.async_wait([this](const asio::error_code& ec) {
    if (ec || stopping) return;
    queries->submit([this] {
      auto h = history_handle();
      bool up = false;
      try {
        up = h && h->ping();
      } catch (const std::exception&) {
      }
      history_answers = up;
    });
    schedule_store_ping();
  });
}

void server::impl::answer(const connection_ptr& con, const http_answer& a) {
  const std::string& resource = con->get_resource();
  op.http_requests[{route_label(resource.substr(0, resource.find('?')), false), a.status}]++;
  // websocketpp knows no reason phrase for some (422): our own table.
  auto code = static_cast<websocketpp::http::status_code::value>(a.status);
  if (const char* reason = http_reason(a.status); *reason)
    con->set_status(code, reason);
  else
    con->set_status(code);
  if (!a.content_type.empty() && !a.body.empty())
    con->replace_header("Content-Type", a.content_type);
  for (const auto& [name, value] : a.headers) con->replace_header(name, value);
  // websocketpp closes a plain HTTP connection once it has answered: say so,
  // or a keep-alive client (Node's fetch) may send its next request on a
  // socket that is closing, and that request fails.
  con->replace_header("Connection", "close");
  if (con->get_request().get_method() == "HEAD") {
    con->set_body("");
    if (!a.body.empty()) con->replace_header("Content-Length", std::to_string(a.body.size()));
  } else {
    con->set_body(a.body);
  }
}

void server::impl::answer_later(const connection_ptr& con, std::function<http_answer()> job) {
  bool queued = queries && queries->submit([this, con, job = std::move(job)] {
    http_answer a;
    try {
      a = job();
    } catch (const std::exception& e) {
      log::error("gateway", "HTTP job failed", {{"error", e.what()}});
      a = json_error(500, "internal error");
    }
    asio::post(io, [this, con, a = std::move(a)] {
      if (con->http_cut) return;  // already cut at its deadline
      answer(con, a);
      websocketpp::lib::error_code ec;  // the client may be gone: nothing to do then
      con->send_http_response(ec);
    });
  });
  if (!queued) {
    auto a = json_error(503, "too many HTTP requests waiting; try again");
    a.headers.emplace_back("Retry-After", "1");
    return answer(con, a);
  }
  con->defer_http_response();  // answered by the post above, after this handler returns
  watch_http_deadline(con);
}

// websocketpp times out an answer written at once (its handshake timer runs
// until the write completes) but not a deferred one: a client that never
// reads would hold the answer, and its socket, for ever.
void server::impl::watch_http_deadline(const connection_ptr& con) {
  http_deadlines.emplace_back(
      std::chrono::steady_clock::now() + std::chrono::seconds(cfg->http_response_timeout_s), con);
  schedule_http_sweep();
}

// One sweep a second while any answer waits (at most one armed).
void server::impl::schedule_http_sweep() {
  if (http_sweep_scheduled) return;
  http_sweep_scheduled = true;
  http_deadline_timer.expires_after(std::chrono::seconds(1));
  http_deadline_timer.async_wait([this](const asio::error_code& e) {
    http_sweep_scheduled = false;
    if (!e) sweep_http_deadlines();
  });
}

void server::impl::sweep_http_deadlines() {
  auto now = std::chrono::steady_clock::now();
  while (!http_deadlines.empty() && http_deadlines.front().first <= now) {
    if (auto con = http_deadlines.front().second.lock()) {
      con->http_cut = true;
      ++op.http_timeouts;
      log::info("gateway", "HTTP answer cut: not taken within HTTP_RESPONSE_TIMEOUT_S",
                {{"path", con->get_resource()},
                 {"timeout_s", std::to_string(cfg->http_response_timeout_s)}});
      con->terminate(websocketpp::lib::error_code());
    }
    http_deadlines.pop_front();
  }
  if (!http_deadlines.empty() && !stopping) schedule_http_sweep();
}

health_figures server::impl::health_now() const {
  health_figures h;
  h.node = cfg->node_id;
  // An AG-UI stream holds a connection slot like a WebSocket does.
  h.active_connections = static_cast<std::int64_t>(conns.size() + agui_streams.size());
  h.active_users = static_cast<std::int64_t>(users.size());
  h.active_runs = svc.stats->active_runs.load();
  h.uptime_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  h.store_backend = store_backend;
  h.store_up = history_answers.load() && svc.stats->store_up.load();
  const auto& c = *svc.stats;
  h.durable_enabled = c.durable_enabled.load();
  h.durable_up = c.durable_up.load();
  h.durable_pending_events = c.durable_pending_events.load();
  h.durable_pending_bytes = c.durable_pending_bytes.load();
  h.durable_events = c.durable_rows.load();
  h.durable_recovered_users = c.recovered_users.load();
  h.durable_recovered_runs = c.recovered_runs.load();
  h.durable_reruns = c.durable_reruns.load();
  h.durable_takeovers = c.durable_takeovers.load();
  h.render_workers = svc.stats->render_workers.load();
  h.render_workers_up = svc.stats->render_workers_up.load();
  if (cfg->role == "gateway") {
    h.cluster_workers =
        static_cast<std::int64_t>(core::split_worker_addresses(cfg->workers).size());
    h.cluster_workers_live = svc.stats->workers_live.load();
  }
  return h;
}

void server::impl::serve_health(const connection_ptr& con) {
  http_answer a;
  a.body = health_json(health_now());
  answer(con, a);
}

void server::impl::serve_metrics(const connection_ptr& con) {
  // METRICS_TOKEN: the scraper's own credential; a user's token does not do.
  if (!cfg->metrics_token.empty() &&
      !auth::same_secret(auth::bearer_token(con->get_request_header("Authorization")).value_or(""),
                         cfg->metrics_token)) {
    auto a = json_error(401, "/metrics needs Authorization: Bearer <METRICS_TOKEN>");
    a.headers.emplace_back("WWW-Authenticate", "Bearer");
    return answer(con, a);
  }
  gauges g;
  g.connections = static_cast<std::int64_t>(conns.size());
  g.agui_streams = static_cast<std::int64_t>(agui_streams.size());
  g.agui_runs_held = static_cast<std::int64_t>(agui_runs.size());
  g.agui_held_bytes = static_cast<std::int64_t>(agui_held_bytes);
  g.users = static_cast<std::int64_t>(users.size());
  g.charts_cached = static_cast<std::int64_t>(svc.charts->size());
  g.chart_bytes = static_cast<std::int64_t>(svc.charts->bytes());
  g.chart_files_written = svc.charts->files_written();
  g.chart_file_failures = svc.charts->write_failures();
  auto disk = svc.charts->disk_stats();
  g.chart_disk_bytes = static_cast<std::int64_t>(disk.bytes);
  g.chart_disk_charts = disk.charts;
  g.chart_disk_images = disk.images;
  g.chart_disk_evictions = disk.evicted;
  g.chart_disk_expired = disk.expired;
  g.store_up = history_answers.load() && svc.stats->store_up.load();
  g.http_queue = queries ? static_cast<std::int64_t>(queries->queued()) : 0;
  // The process figures read /proc: on a query worker, not here.
  answer_later(con, [this, g, figures = op] {
    http_answer a;
    a.content_type = "text/plain; version=0.0.4";
    a.body = metrics_text(*svc.stats, g) + operator_metrics_text(figures, read_process_figures());
    return a;
  });
}

void server::impl::serve_chart(const connection_ptr& con, const std::string& id,
                               const std::string& user) {
  std::string if_none_match = con->get_request_header("If-None-Match");
  if (auto chart = svc.charts->get(id))
    return answer(con, chart_answer(id, &*chart, user, if_none_match));
  if (!svc.charts->persistent()) return answer(con, chart_answer(id, nullptr, user, ""));
  auto max_bytes = static_cast<std::size_t>(cfg->max_chart_size_mb) << 20;
  answer_later(con, [this, id, user, if_none_match, max_bytes] {
    auto chart = svc.charts->load(id, max_bytes);
    return chart_answer(id, chart ? &*chart : nullptr, user, if_none_match);
  });
}

void server::impl::serve_history(const connection_ptr& con, const history_route& route) {
  answer_later(con, [this, route] {
    auto h = history_handle();
    if (!h) return json_error(503, "the history store is not available");
    // One row more than asked: it tells whether an older page exists.
    int fetched = std::min(route.limit + 1, history_max_limit);
    store::page p;
    p.limit = fetched;
    p.before_ms = route.before_ms;
    p.before_id = route.before_id;
    http_answer a;
    a.headers.emplace_back("Cache-Control", "no-store");
    try {
      if (route.what == history_route::kind::conversations) {
        a.body = conversations_json(route.user_id, h->conversations(route.user_id, p), route.limit,
                                    fetched);
        return a;
      }
      auto rows = h->messages(route.user_id, route.conversation_id, p);
      if (!rows) return json_error(404, "no conversation " + route.conversation_id);
      a.body = messages_json(route.user_id, route.conversation_id, std::move(*rows), route.limit,
                             fetched);
      return a;
    } catch (const store::store_error& e) {
      log::warn("gateway", "history query failed", {{"error", e.what()}});
      return json_error(503, "the history store did not answer");
    }
  });
}

void server::impl::on_http(hdl_t hdl) {
  auto con = endpoint.get_con_from_hdl(hdl);
  const std::string& method = con->get_request().get_method();
  std::string resource = con->get_resource();
  auto qpos = resource.find('?');
  std::string path = resource.substr(0, qpos);
  std::string query = qpos == std::string::npos ? "" : resource.substr(qpos + 1);
  bool preflight = method == "OPTIONS";
  for (const auto& [name, value] :
       cors_headers(cfg->cors_origins, con->get_request_header("Origin"), preflight))
    con->replace_header(name, value);
  if (preflight) {
    http_answer a;
    a.status = 204;
    a.headers.emplace_back("Allow", allowed_methods_for(path));
    return answer(con, a);
  }
  // POST routes go here, before the check below.
  if (path == "/agui") return on_agui(con);  // AG-UI over SSE (server_agui.cpp)
  if (path.rfind("/agui/", 0) == 0) return on_agui_path(con, path, query);
  if (path.rfind("/admin/", 0) == 0) return on_admin(con, method, path);  // server_admin.cpp
  if (method != "GET" && method != "HEAD") {
    auto a = json_error(405, method + " is not allowed on " + path);
    a.headers.emplace_back("Allow", allowed_methods_for(path));
    return answer(con, a);
  }
  if (path == "/health") return serve_health(con);
  if (path == "/livez") return answer(con, liveness_answer());
  if (path == "/readyz") return answer(con, readiness_answer(health_now(), stopping));
  if (path == "/ws" || path.rfind("/ws/", 0) == 0) return answer(con, upgrade_required_answer());
  if (serve_static_file(*con, path)) {  // the chat page (web/): no auth, PROTOCOL.md 8
    op.http_requests[{route_label(path, true), static_cast<int>(con->get_response_code())}]++;
    return;
  }
  if (path == "/metrics" && !cfg->metrics_token.empty()) return serve_metrics(con);
  std::string user;
  if (!cfg->auth_secret.empty() && (user = http_user(con)).empty()) return;
  if (path == "/metrics") return serve_metrics(con);
  if (std::string id = chart_id_from_path(path); !id.empty()) return serve_chart(con, id, user);
  auto route = parse_history_route(path, query);
  if (!route) return answer(con, json_error(400, route.message()));
  if (route->what != history_route::kind::none) {
    if (!user.empty() && route->user_id != user)
      return answer(con, json_error(403, "a token reads only its own user's history"));
    return serve_history(con, *route);
  }
  answer(con, json_error(404, "not found: " + path));
}

}  // namespace aw::gateway
