// AG-UI over Server-Sent Events (README "AG-UI bridge", docs/http-api.md):
//
//   POST /agui                        a RunAgentInput starts a run and streams it
//   GET  /agui/runs/{runId}/events    joins a run (resume with Last-Event-ID or ?after=)
//   POST /agui/runs/{runId}/cancel    cancels it (idempotent)
//   GET  /agui/capabilities           AG-UI AgentCapabilities (transport.resumable)
//
// A run started by POST /agui is an `agui_run`, held by (user, runId) while it
// goes and EVENT_BUFFER_S after it ended. Its tap, a conn_id that watches the
// user's session (watch_atom: the user's events, no ack, not one of the
// user's connections), feeds the run's frames through its agui_bridge into a
// bounded log of AG-UI events, each with a cursor (gateway/agui_resume.hpp).
// Every SSE stream of the run (the POST's own, any number of joins) is a
// viewer: it gets the log from its cursor, then the events as they come. A
// viewer that goes away (client gone, too slow) leaves the run going
// (AGUI_DISCONNECT=continue) or, when it was the last, cancels it
// (AGUI_DISCONNECT=cancel). The session stays the single authority on the
// run: WebSocket connections of the user see it, and a cancel from either
// side ends it once.
//
// Streams count as the user's connections (MAX_CONNECTIONS_PER_USER) but never
// supersede one: over the limit is HTTP 429.
//
// The user: with AUTH_SECRET, the Bearer token's subject (forwardedProps.user_id,
// if given, must match it); without, forwardedProps.user_id, else the
// X-User-Id header, else "agui-" + threadId. GET and the cancel name it with
// the token, else X-User-Id, else ?user_id=, else ?threadId=.
#include <algorithm>
#include <cctype>
#include <optional>
#include <string_view>

#include "actors/ids.hpp"
#include "actors/messages.hpp"
#include "actors/session_actor.hpp"
#include "core/log.hpp"
#include "gateway/agui_bridge.hpp"
#include "gateway/agui_input.hpp"
#include "gateway/agui_resume.hpp"
#include "gateway/cors.hpp"
#include "gateway/handshake.hpp"
#include "gateway/server_impl.hpp"
#include "gateway/sse_stream.hpp"
#include "protocol/parse.hpp"

namespace aw::gateway {

struct agui_viewer {
  actors::conn_id id = 0;
  std::shared_ptr<sse_stream> sse;
  bool legacy = false;  // @ag-ui/core 0.0.x: legacy_event()
};

struct agui_run {
  agui_run(std::string user, std::string thread, std::string run, std::string token,
           std::size_t max_bytes)
      : user_id(std::move(user)),
        thread_id(std::move(thread)),
        run_id(std::move(run)),
        bridge(thread_id, run_id, token),
        log(max_bytes) {}
  std::string user_id;
  std::string thread_id;
  std::string run_id;  // AG-UI runId = correlation_id
  caf::actor session;
  actors::conn_id tap = 0;  // 0 once the run is over
  agui_bridge bridge;
  agui_cursor_counter cursors;
  agui_event_log log;
  bool legacy = false;  // what the POST spoke; a join may say otherwise
  bool has_snapshot = false;
  std::string join_snapshot;              // MESSAGES_SNAPSHOT for a join when the log holds none
  std::optional<agui_cursor> started_at;  // RUN_STARTED's cursor
  std::vector<agui_viewer> viewers;
  bool over = false;
  std::string outcome;  // once over: success | cancelled | error
  std::chrono::steady_clock::time_point expires;
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

std::string one_event_snapshot(std::string_view messages_json) {
  return R"({"type":"MESSAGES_SNAPSHOT","messages":)" + std::string(messages_json) + "}";
}

// What a held run costs besides its events: the record, its bridge and the
// snapshot a join would get. Counted in the budget, so many tiny runs (each
// refused at once) are bounded too.
std::size_t fixed_bytes(const agui_run& run) {
  return 1024 + run.join_snapshot.size() + run.thread_id.size() + run.run_id.size();
}

const char* outcome_of(std::string_view last_event) {
  if (last_event.rfind(R"({"type":"RUN_ERROR")", 0) == 0) return "error";
  if (last_event.find(R"("outcome":{"type":"cancelled"})") != std::string_view::npos)
    return "cancelled";
  return "success";
}

// The capability document GET /agui/capabilities answers (@ag-ui/core 1.0 AgentCapabilities).
constexpr const char* kCapabilities =
    R"({"identity":{"name":"agentwire","type":"agentwire","description":)"
    R"("Turns a question about data into a chart, its numbers and a short narrative"},)"
    R"("transport":{"streaming":true,"websocket":false,"resumable":true},)"
    R"("tools":{"supported":true,"clientProvided":false},)"
    R"("reasoning":{"supported":true,"streaming":true},)"
    R"("state":{"snapshots":true}})";

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

namespace {

http_answer agui_refusal(int status, std::string_view code, std::string_view message,
                         const char* allow = "POST, OPTIONS") {
  http_answer a;
  a.status = status;
  a.body = agui_error_json(code, message);
  if (status == 405) a.headers.emplace_back("Allow", allow);
  log::info("agui", "request refused",
            {{"status", std::to_string(status)}, {"code", std::string(code)}});
  return a;
}

}  // namespace

void server::impl::on_agui(const connection_ptr& con) {
  auto refuse = [&](int status, std::string_view code, std::string_view message) {
    answer(con, agui_refusal(status, code, message));
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
  auto in = std::make_shared<agui_input>(std::move(*parsed.ok));
  std::string user = token_user;
  if (!token_user.empty()) {
    if (!in->user_id.empty() && in->user_id != token_user)
      return refuse(401, "UNAUTHORIZED", "forwardedProps.user_id is not the token's user");
  } else if (!in->user_id.empty()) {
    user = in->user_id;
  } else if (std::string h = con->get_request_header("X-User-Id"); !h.empty()) {
    if (!protocol::is_valid_id(h))
      return refuse(400, "VALIDATION_FAILED", protocol::invalid_id_message("X-User-Id"));
    user = h;
  } else {
    user = agui_default_user(in->thread_id);
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
  users[user].streams++;  // the stream's slot, held while the history is read
  // The thread's history (for MESSAGES_SNAPSHOT) is read on a query worker
  // first; without a store, or with the query threads busy, the run starts without.
  auto read_history = [this, user, in] {
    std::string snapshot;
    if (auto h = history_handle()) {
      try {
        store::page p;
        p.limit = 50;
        if (auto rows = h->messages(user, in->thread_id, p); rows && !rows->empty()) {
          std::string current =
              in->user_message_id.empty() ? in->request.message_id + "-user" : in->user_message_id;
          snapshot = agui_snapshot_messages(*rows, current, in->request.payload.content);
        }
      } catch (const std::exception& e) {
        log::warn("agui", "history not read for the snapshot", {{"error", e.what()}});
      }
    }
    return snapshot;
  };
  bool queued = queries && queries->submit([this, con, user, in, token, read_history] {
    std::string snapshot = read_history();
    asio::post(io, [this, con, user, in, token, snapshot = std::move(snapshot)]() mutable {
      agui_start(con, user, in, token, std::move(snapshot));
    });
  });
  if (!queued) agui_start(con, user, in, token, "");
}

void server::impl::agui_start(const connection_ptr& con, std::string user,
                              std::shared_ptr<agui_input> in, std::string token,
                              std::string snapshot) {
  auto make_sse = [&](actors::conn_id viewer_id) {
    sse_stream::options opts;
    opts.max_queued_bytes = static_cast<std::size_t>(cfg->max_send_queue_bytes);
    opts.write_timeout = std::chrono::seconds(cfg->stale_timeout_s);
    return std::make_shared<sse_stream>(
        con->get_raw_socket(), con,
        [con] {
          con->terminate(
              websocketpp::error::make_error_code(websocketpp::error::http_connection_ended));
        },
        opts,
        [this, viewer_id](sse_stream::end_reason why) {
          if (why == sse_stream::end_reason::slow_reader) svc.stats->slow_consumer_closes++;
          agui_viewer_gone(viewer_id);
        });
  };
  auto headers = cors_headers(cfg->cors_origins, con->get_request_header("Origin"), false);
  auto key = std::make_pair(user, in->run_id);
  bool refused = stopping || (agui_runs.count(key) != 0 && !agui_runs[key]->over);
  if (refused) {  // a one-event answer is no connection
    if (auto u = users.find(user); u != users.end()) {
      --u->second.streams;
      if (u->second.connections() <= 0 && !u->second.session) users.erase(u);
    }
  }
  if (stopping) {
    auto sse = make_sse(0);
    sse->start(headers);
    sse->send(sse_event({0, 0}, agui_run_error("SHUTTING_DOWN", "the server is shutting down")));
    return sse->finish();
  }
  // The same runId while that run goes: refused in the stream, as the session would.
  if (auto it = agui_runs.find(key); it != agui_runs.end() && !it->second->over) {
    auto sse = make_sse(0);
    sse->start(headers);
    sse->send(sse_event(
        {0, 0}, agui_run_error("DUPLICATE_CORRELATION_ID",
                               "a run with correlation_id " + in->run_id + " is still going")));
    return sse->finish();
  }
  agui_sweep();
  // A run's log fits one stream's send queue, so a full replay never trips
  // the slow-reader limit by itself.
  auto run = std::make_shared<agui_run>(
      user, in->thread_id, in->run_id, token,
      static_cast<std::size_t>(std::min(cfg->event_buffer_bytes, cfg->max_send_queue_bytes)));
  run->legacy = !in->protocol_v1;
  if (!snapshot.empty()) {
    run->bridge.set_snapshot(snapshot);
    run->has_snapshot = true;
  } else {
    std::string current = in->user_message_id.empty() ? token + "-user" : in->user_message_id;
    run->join_snapshot =
        one_event_snapshot(agui_snapshot_messages({}, current, in->request.payload.content));
  }
  if (auto old = agui_runs.find(key); old != agui_runs.end()) {
    agui_held_bytes -=
        std::min(agui_held_bytes, old->second->log.bytes() + fixed_bytes(*old->second));
    agui_runs.erase(old);
  }
  agui_runs.emplace(key, run);
  agui_held_bytes += fixed_bytes(*run);

  auto& entry = users[user];
  if (!entry.session) entry.session = actors::spawn_session(system, svc, user);
  run->session = entry.session;
  run->tap = ++next_id;
  agui_taps.emplace(run->tap, run);
  // The viewer already counts as a connection (on_agui): a retire cannot race the run.
  actors::conn_id viewer = ++next_id;
  run->viewers.push_back(agui_viewer{viewer, make_sse(viewer), run->legacy});
  agui_streams.emplace(viewer, run);
  caf::anon_send(run->session, actors::watch_atom::value, run->tap);
  caf::anon_send(run->session, actors::request_atom::value, run->tap, std::move(in->request));
  run->viewers.back().sse->start(headers);
  log::debug("agui", "run open",
             {{"user", user}, {"tap", std::to_string(run->tap)}, {"run", run->run_id}});
}

// Appends a frame's AG-UI events to the run's log and sends them to every viewer.
void server::impl::agui_append(agui_run& run, const std::vector<std::string>& events,
                               std::uint64_t seq) {
  for (const auto& e : events) {
    agui_cursor c = run.cursors.next(seq);
    if (!run.started_at && e.rfind(R"({"type":"RUN_STARTED")", 0) == 0) run.started_at = c;
    std::string legacy = legacy_event(e);
    for (auto& v : run.viewers) v.sse->send(sse_event(c, v.legacy && !legacy.empty() ? legacy : e));
    std::size_t before = run.log.bytes();
    run.log.append(c, e);
    agui_held_bytes = agui_held_bytes + run.log.bytes() - std::min(before, agui_held_bytes);
  }
  // The budget for all runs: 4x EVENT_BUFFER_BYTES. Ended runs go first, oldest
  // end first; if running runs alone are over it, this one loses its oldest.
  auto budget = 4 * static_cast<std::size_t>(cfg->event_buffer_bytes);
  while (agui_held_bytes > budget && !agui_finished.empty()) {
    auto old = agui_finished.front().lock();
    agui_finished.pop_front();
    if (!old) continue;
    auto it = agui_runs.find({old->user_id, old->run_id});
    if (it == agui_runs.end() || it->second != old) continue;
    agui_held_bytes -= std::min(agui_held_bytes, old->log.bytes() + fixed_bytes(*old));
    for (auto& v : old->viewers) v.sse->finish();
    agui_runs.erase(it);
  }
  while (agui_held_bytes > budget && run.log.size() > 1)
    agui_held_bytes -= std::min(agui_held_bytes, run.log.drop_oldest());
}

bool server::impl::agui_deliver(actors::conn_id conn, const protocol::run_event& event) {
  auto it = agui_taps.find(conn);
  if (it == agui_taps.end()) return false;
  auto run = it->second;
  agui_mapped(run, run->bridge.on_event(event));
  return true;
}

bool server::impl::agui_deliver_error(actors::conn_id conn, const protocol::protocol_error& e) {
  auto it = agui_taps.find(conn);
  if (it == agui_taps.end()) return false;
  auto run = it->second;
  agui_mapped(run, run->bridge.on_error(e));
  return true;
}

// What the bridge made of one event or error: logged and sent; the run is
// over once the bridge ended it.
void server::impl::agui_mapped(const std::shared_ptr<agui_run>& run,
                               const std::vector<std::string>& events) {
  if (!events.empty()) agui_append(*run, events, run->bridge.event_seq());
  if (run->bridge.ended()) {
    if (!events.empty()) run->outcome = outcome_of(events.back());
    agui_run_over(run);
  }
}

// The run ended (or its stream was ended by the server): the tap leaves the
// session, viewers finish, and the run is held for EVENT_BUFFER_S.
void server::impl::agui_run_over(const std::shared_ptr<agui_run>& run) {
  if (run->over) return;
  run->over = true;
  if (run->outcome.empty()) run->outcome = "error";
  if (run->tap != 0) {
    caf::anon_send(run->session, actors::unwatch_atom::value, run->tap);
    agui_taps.erase(run->tap);
    run->tap = 0;
  }
  for (auto& v : run->viewers) v.sse->finish();
  run->expires = std::chrono::steady_clock::now() + std::chrono::seconds(cfg->event_buffer_s);
  agui_finished.push_back(run);
}

bool server::impl::agui_close(actors::conn_id conn, std::uint16_t code, const std::string& reason) {
  auto it = agui_taps.find(conn);
  if (it == agui_taps.end()) return false;
  auto run = it->second;
  const char* why = code == 4000 ? "SUPERSEDED" : code == 1001 ? "SHUTTING_DOWN" : "CLOSED";
  auto events = run->bridge.abort(why, reason);
  agui_append(*run, events, 0);
  run->outcome = "error";
  agui_run_over(run);
  return true;
}

// A viewer's stream is over (posted by sse_stream): it no longer counts as a
// connection. With AGUI_DISCONNECT=cancel, the last viewer of a run still
// going takes the run with it.
void server::impl::agui_viewer_gone(actors::conn_id viewer) {
  if (viewer == 0) return;  // a one-event refusal stream
  auto it = agui_streams.find(viewer);
  if (it == agui_streams.end()) return;
  auto run = it->second;
  agui_streams.erase(it);
  auto& vs = run->viewers;
  vs.erase(
      std::remove_if(vs.begin(), vs.end(), [&](const agui_viewer& v) { return v.id == viewer; }),
      vs.end());
  if (auto u = users.find(run->user_id); u != users.end()) {
    // A join of an ended run may have made an entry with no session: not kept.
    --u->second.streams;
    if (u->second.connections() <= 0 && !u->second.session) users.erase(u);
  }
  stop_when_closed();
  if (run->over) return;
  if (cfg->agui_disconnect == "cancel" && vs.empty()) {
    log::info("agui", "stream ended before its run; cancelling (AGUI_DISCONNECT=cancel)",
              {{"user", run->user_id}, {"run", run->run_id}});
    caf::anon_send(run->session, actors::cancel_atom::value, run->tap, run->run_id);
  } else {
    log::info(
        "agui", "stream ended before its run; the run goes on",
        {{"user", run->user_id}, {"run", run->run_id}, {"viewers", std::to_string(vs.size())}});
  }
}

void server::impl::agui_sweep() {
  auto now = std::chrono::steady_clock::now();
  while (!agui_finished.empty()) {
    auto old = agui_finished.front().lock();
    if (old && old->expires > now) break;
    agui_finished.pop_front();
    if (!old) continue;
    auto it = agui_runs.find({old->user_id, old->run_id});
    if (it == agui_runs.end() || it->second != old) continue;
    agui_held_bytes -= std::min(agui_held_bytes, old->log.bytes() + fixed_bytes(*old));
    agui_runs.erase(it);  // viewers still reading keep it alive until they end
  }
}

void server::impl::agui_end_all() {
  std::vector<actors::conn_id> taps;
  for (const auto& [id, run] : agui_taps) taps.push_back(id);
  for (auto id : taps) agui_close(id, 1001, "the server is shutting down");
  for (const auto& [id, run] : agui_streams)
    for (auto& v : run->viewers) v.sse->finish();
}

void server::impl::on_agui_path(const connection_ptr& con, const std::string& path,
                                const std::string& query) {
  const std::string& method = con->get_request().get_method();
  if (path == "/agui/capabilities") {
    if (method != "GET" && method != "HEAD")
      return answer(con, agui_refusal(405, "METHOD_NOT_ALLOWED", "GET /agui/capabilities",
                                      "GET, HEAD, OPTIONS"));
    http_answer a;
    a.body = kCapabilities;
    return answer(con, a);
  }
  // /agui/runs/{runId}/events | /agui/runs/{runId}/cancel
  static const std::string prefix = "/agui/runs/";
  std::string rest = path.rfind(prefix, 0) == 0 ? path.substr(prefix.size()) : "";
  auto slash = rest.find('/');
  std::string run_id = slash == std::string::npos ? "" : rest.substr(0, slash);
  std::string action = slash == std::string::npos ? "" : rest.substr(slash + 1);
  if (run_id.empty() || (action != "events" && action != "cancel"))
    return answer(con, agui_refusal(404, "NOT_FOUND", "not found: " + path.substr(0, 200)));
  bool cancel = action == "cancel";
  if (method != (cancel ? "POST" : "GET"))
    return answer(con, agui_refusal(405, "METHOD_NOT_ALLOWED",
                                    cancel ? "POST to cancel a run" : "GET a run's events",
                                    cancel ? "POST, OPTIONS" : "GET, OPTIONS"));
  if (stopping)
    return answer(con, agui_refusal(503, "SHUTTING_DOWN", "the server is shutting down"));
  if (!agui_origin_allowed(con->get_request_header("Origin"), con->get_request_header("Host")))
    return answer(con, agui_refusal(403, "FORBIDDEN", "origin not allowed"));
  bool query_ok = true;
  auto params = parse_query(query, &query_ok);
  if (!query_ok)
    return answer(con, agui_refusal(400, "VALIDATION_FAILED", "malformed query string"));
  auto param = [&](const char* name) {
    auto it = params.find(name);
    return it == params.end() ? std::string() : it->second;
  };
  std::string user;
  if (!cfg->auth_secret.empty()) {
    if ((user = http_user(con)).empty()) return;
  } else if (std::string h = con->get_request_header("X-User-Id"); !h.empty()) {
    user = h;
  } else if (std::string q = param("user_id"); !q.empty()) {
    user = q;
  } else if (std::string t = param("threadId"); !t.empty()) {
    user = agui_default_user(t);
  }
  if (user.empty() || !protocol::is_valid_id(user))
    return answer(con, agui_refusal(400, "VALIDATION_FAILED",
                                    "name the user: X-User-Id, ?user_id= or ?threadId="));
  agui_sweep();
  auto it = agui_runs.find({user, run_id});
  if (it == agui_runs.end())
    return answer(con, agui_refusal(404, "NOT_FOUND",
                                    "no run " + run_id.substr(0, 128) + " of this user is held"));
  auto run = it->second;

  if (cancel) {
    http_answer a;
    if (run->over) {
      a.body = R"({"runId":")" + run->run_id + R"(","status":"ended","outcome":")" + run->outcome +
               R"("})";
    } else {
      a.status = 202;
      a.body = R"({"runId":")" + run->run_id + R"(","status":"cancelling"})";
      caf::anon_send(run->session, actors::cancel_atom::value, run->tap, run->run_id);
      log::info("agui", "run cancel asked", {{"user", user}, {"run", run->run_id}});
    }
    return answer(con, a);
  }

  std::optional<agui_cursor> after;
  std::string last_id = con->get_request_header("Last-Event-ID");
  if (last_id.empty()) last_id = param("after");
  if (!last_id.empty()) {
    after = parse_agui_cursor(last_id);
    if (!after)
      return answer(con, agui_refusal(400, "VALIDATION_FAILED",
                                      "Last-Event-ID / after must be an event id: <seq>.<index>"));
  }
  if (!run->log.holds_after(after))
    return answer(con,
                  agui_refusal(404, "NOT_FOUND", "the events after that id are no longer held"));
  bool legacy = run->legacy;
  if (std::string v = param("protocolVersion"); !v.empty()) legacy = !is_agui_v1(v);
  if (static_cast<int>(conns.size() + agui_streams.size()) >= cfg->max_total_connections)
    return answer(con, agui_refusal(503, "OVER_CAPACITY", "over MAX_TOTAL_CONNECTIONS"));
  auto& entry = users[user];
  if (entry.connections() >= cfg->max_connections_per_user)
    return answer(con,
                  agui_refusal(429, "TOO_MANY_CONNECTIONS",
                               "the user already has MAX_CONNECTIONS_PER_USER connections open"));

  con->defer_http_response();
  actors::conn_id viewer = ++next_id;
  sse_stream::options opts;
  opts.max_queued_bytes = static_cast<std::size_t>(cfg->max_send_queue_bytes);
  opts.write_timeout = std::chrono::seconds(cfg->stale_timeout_s);
  auto sse = std::make_shared<sse_stream>(
      con->get_raw_socket(), con,
      [con] {
        con->terminate(
            websocketpp::error::make_error_code(websocketpp::error::http_connection_ended));
      },
      opts,
      [this, viewer](sse_stream::end_reason why) {
        if (why == sse_stream::end_reason::slow_reader) svc.stats->slow_consumer_closes++;
        agui_viewer_gone(viewer);
      });
  entry.streams++;
  agui_streams.emplace(viewer, run);
  sse->start(cors_headers(cfg->cors_origins, con->get_request_header("Origin"), false));
  // The replay: everything held after the cursor; a join from the start gets
  // a MESSAGES_SNAPSHOT after RUN_STARTED even when the POST had none to send.
  // Its queue is bounded like a live stream's (the replay is at most one
  // run's log, itself within EVENT_BUFFER_BYTES).
  run->log.for_each_after(after, [&](const agui_event_log::entry& e) {
    std::string old = legacy ? legacy_event(e.json) : std::string();
    sse->send(sse_event(e.cursor, old.empty() ? e.json : old));
    if (!after && !run->has_snapshot && run->started_at && e.cursor == *run->started_at)
      sse->send(sse_event({e.cursor.seq, e.cursor.index + 1}, run->join_snapshot));
  });
  if (run->over) {
    sse->finish();
  } else {
    run->viewers.push_back(agui_viewer{viewer, sse, legacy});
  }
  log::debug("agui", "run joined",
             {{"user", user}, {"run", run->run_id}, {"after", after ? to_string(*after) : ""}});
}

}  // namespace aw::gateway
