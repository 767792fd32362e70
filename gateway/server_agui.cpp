// POST /agui: one AG-UI run streamed as Server-Sent Events.
//
// The stream joins the user's session like a WebSocket connection would: it
// gets a conn_id, the session sends it connection_ack and every event of the
// user, and write()/close() of the outbox route frames for that conn_id here
// instead of to a websocket. The request is the RunAgentInput turned into an
// analytics_request (gateway/agui_input.hpp); the frames become AG-UI events
// (gateway/agui_bridge.hpp) written by gateway/sse_stream.hpp. The stream ends
// after RUN_FINISHED or RUN_ERROR. A client that goes away, reads too slowly
// or is superseded has its run cancelled.
//
// MAX_CONNECTIONS_PER_USER: a stream counts as one of the user's connections
// (the session would otherwise run it without limit), but it never supersedes
// anything: a user already at the limit gets HTTP 429 rather than having the
// oldest WebSocket closed with 4000 by an AG-UI request.
//
// The user: with AUTH_SECRET, the Bearer token's subject (forwardedProps.user_id,
// if given, must match it); without, forwardedProps.user_id, else the
// X-User-Id header, else "agui-" + threadId.
#include <cctype>
#include <string_view>

#include "actors/ids.hpp"
#include "actors/messages.hpp"
#include "actors/session_actor.hpp"
#include "core/log.hpp"
#include "gateway/agui_bridge.hpp"
#include "gateway/agui_input.hpp"
#include "gateway/cors.hpp"
#include "gateway/server_impl.hpp"
#include "gateway/sse_stream.hpp"
#include "protocol/parse.hpp"

namespace aw::gateway {

struct agui_stream {
  std::string user_id;
  std::string run_id;
  caf::actor session;
  agui_bridge bridge;
  std::shared_ptr<sse_stream> sse;
};

namespace {

bool equal_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

}  // namespace

bool is_json_content_type(std::string_view value) {
  auto semi = value.find(';');
  std::string_view type = value.substr(0, semi);
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.remove_suffix(1);
  while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) type.remove_prefix(1);
  return equal_ignoring_case(type, "application/json");
}

bool server::impl::agui_origin_allowed(const std::string& origin, const std::string& host) const {
  if (origin.empty()) return true;  // not a browser, or a same-origin GET-like request
  if (!cfg->allowed_origins.empty()) return origin_listed(cfg->allowed_origins, origin);
  if (!cfg->cors_origins.empty() && origin_listed(cfg->cors_origins, origin)) return true;
  // Otherwise only the page's own origin: scheme://HOST where HOST is the Host header.
  auto sep = origin.find("://");
  if (sep == std::string::npos || host.empty()) return false;
  return equal_ignoring_case(std::string_view(origin).substr(sep + 3), host);
}

void server::impl::on_agui(const connection_ptr& con) {
  auto refuse = [&](int status, std::string_view code, std::string_view message) {
    http_answer a;
    a.status = status;
    a.body = agui_error_json(code, message);
    if (status == 405) a.headers.emplace_back("Allow", "POST, OPTIONS");
    log::info("agui", "request refused",
              {{"status", std::to_string(status)}, {"code", std::string(code)}});
    answer(con, a);
  };
  if (con->get_request().get_method() != "POST")
    return refuse(405, "METHOD_NOT_ALLOWED", "POST a RunAgentInput to /agui");
  if (stopping) return refuse(503, "SHUTTING_DOWN", "the server is shutting down");
  // A browser sends a cross-site text/plain or form POST without asking
  // first; JSON needs a CORS preflight. So only JSON is taken, and a
  // browser's Origin must be this server's own or a listed one.
  if (!is_json_content_type(con->get_request_header("Content-Type")))
    return refuse(415, "UNSUPPORTED_MEDIA_TYPE", "POST /agui takes Content-Type: application/json");
  if (!agui_origin_allowed(con->get_request_header("Origin"), con->get_request_header("Host")))
    return refuse(403, "FORBIDDEN", "origin not allowed");
  std::string token_user;
  if (!cfg->auth_secret.empty() && (token_user = http_user(con)).empty()) return;
  const std::string& body = con->get_request_body();
  if (body.size() > static_cast<std::size_t>(cfg->max_message_bytes))
    return refuse(413, "VALIDATION_FAILED", "the body is over MAX_MESSAGE_BYTES");

  std::string token = actors::make_id("agui");
  auto parsed = parse_agui_input(body, token);
  if (!parsed.ok) return refuse(parsed.status, parsed.code, parsed.error);
  agui_input& in = *parsed.ok;
  std::string user = token_user;
  if (!token_user.empty()) {
    if (!in.user_id.empty() && in.user_id != token_user)
      return refuse(401, "UNAUTHORIZED", "forwardedProps.user_id is not the token's user");
  } else if (!in.user_id.empty()) {
    user = in.user_id;
  } else if (std::string h = con->get_request_header("X-User-Id"); !h.empty()) {
    if (!protocol::is_valid_id(h))
      return refuse(400, "VALIDATION_FAILED", protocol::invalid_id_message("X-User-Id"));
    user = h;
  } else {
    user = agui_default_user(in.thread_id);
  }
  if (static_cast<int>(conns.size() + agui_streams.size()) >= cfg->max_total_connections)
    return refuse(503, "OVER_CAPACITY", "over MAX_TOTAL_CONNECTIONS");
  if (users.size() >= static_cast<std::size_t>(cfg->max_users) && users.find(user) == users.end())
    return refuse(503, "OVER_CAPACITY", "over MAX_USERS");
  if (auto u = users.find(user);
      u != users.end() && u->second.connections() >= cfg->max_connections_per_user)
    return refuse(429, "TOO_MANY_CONNECTIONS",
                  "the user already has MAX_CONNECTIONS_PER_USER connections open");

  con->defer_http_response();
  actors::conn_id id = ++next_id;
  auto& entry = users[user];
  if (!entry.session) entry.session = actors::spawn_session(system, svc, user);
  entry.conns.push_back(id);  // under the cap (checked above): nothing to supersede
  auto s = std::make_shared<agui_stream>(
      agui_stream{user, in.run_id, entry.session, agui_bridge(in.thread_id, in.run_id, token), {}});
  sse_stream::options opts;
  opts.max_queued_bytes = static_cast<std::size_t>(cfg->max_send_queue_bytes);
  opts.write_timeout = std::chrono::seconds(cfg->stale_timeout_s);
  s->sse = std::make_shared<sse_stream>(
      con->get_raw_socket(), con,
      [con] {
        con->terminate(
            websocketpp::error::make_error_code(websocketpp::error::http_connection_ended));
      },
      opts,
      [this, id](sse_stream::end_reason why) {
        if (why == sse_stream::end_reason::slow_reader) svc.stats->slow_consumer_closes++;
        agui_forget(id);
      });
  agui_streams.emplace(id, s);
  caf::anon_send(s->session, actors::connect_atom::value, id, in.thread_id, std::int64_t{-1},
                 std::string());
  caf::anon_send(s->session, actors::request_atom::value, id, std::move(in.request));
  s->sse->start(cors_headers(cfg->cors_origins, con->get_request_header("Origin"), false));
  log::debug("agui", "stream open",
             {{"user", user}, {"conn", std::to_string(id)}, {"run", s->run_id}});
}

bool server::impl::agui_deliver(actors::conn_id conn, const actors::frame_ptr& frame) {
  auto it = agui_streams.find(conn);
  if (it == agui_streams.end()) return false;
  auto s = it->second;
  for (const auto& e : s->bridge.on_frame(*frame)) s->sse->send(sse_data(e));
  if (s->bridge.ended()) s->sse->finish();
  return true;
}

bool server::impl::agui_close(actors::conn_id conn, std::uint16_t code, const std::string& reason) {
  auto it = agui_streams.find(conn);
  if (it == agui_streams.end()) return false;
  auto s = it->second;
  const char* why = code == 4000 ? "SUPERSEDED" : code == 1001 ? "SHUTTING_DOWN" : "CLOSED";
  for (const auto& e : s->bridge.abort(why, reason)) s->sse->send(sse_data(e));
  s->sse->finish();
  return true;
}

// The stream is over (posted by sse_stream): leave the session, and cancel the
// run when it is still going (the client left, read too slowly, or the stream
// was closed by the server).
void server::impl::agui_forget(actors::conn_id conn) {
  auto it = agui_streams.find(conn);
  if (it == agui_streams.end()) return;
  auto s = it->second;
  agui_streams.erase(it);
  if (!s->bridge.run_over()) {
    log::info("agui", "stream ended before its run; cancelling",
              {{"user", s->user_id}, {"run", s->run_id}});
    caf::anon_send(s->session, actors::cancel_atom::value, conn, s->run_id);
  }
  caf::anon_send(s->session, actors::disconnect_atom::value, conn);
  user_disconnected(s->user_id, conn);
}

void server::impl::agui_end_all() {
  std::vector<actors::conn_id> ids;
  for (const auto& [id, s] : agui_streams) ids.push_back(id);
  for (auto id : ids) agui_close(id, 1001, "the server is shutting down");
}

}  // namespace aw::gateway
