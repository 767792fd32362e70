#include "gateway/server.hpp"

#include <algorithm>

#include "actors/durable_log.hpp"
#include "actors/messages.hpp"
#include "actors/session_actor.hpp"
#include "auth/jwt.hpp"
#include "core/log.hpp"
#include "gateway/close_codes.hpp"
#include "gateway/handshake.hpp"
#include "gateway/http_routes.hpp"
#include "gateway/server_impl.hpp"
#include "protocol/parse.hpp"

namespace aw::gateway {

// ---- outbox: called from actor threads, executed on the Asio thread
void server::impl::send(actors::conn_id conn, actors::frame_ptr frame) {
  asio::post(io, [this, conn, frame = std::move(frame)] { write(conn, frame, true); });
}

void server::impl::send_all(const std::vector<actors::conn_id>& targets, actors::frame_ptr frame) {
  auto posted = std::chrono::steady_clock::now();
  asio::post(io, [this, targets, frame = std::move(frame), posted] {
    for (auto conn : targets) write(conn, frame, true);
    svc.stats->event_delivery_ms.observe(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - posted)
            .count());
  });
}

// A run event: its frame to each WebSocket connection, its typed value to an
// AG-UI stream.
void server::impl::send_event(const std::vector<actors::conn_id>& targets,
                              actors::event_ptr event) {
  auto posted = std::chrono::steady_clock::now();
  asio::post(io, [this, targets, event = std::move(event), posted] {
    actors::frame_ptr frame = actors::shared_frame(event);
    for (auto conn : targets) {
      if (auto it = conns.find(conn); it != conns.end())
        enqueue(it->second, frame, true);
      else
        agui_deliver(conn, event->event);  // an AG-UI stream (server_agui.cpp)
    }
    svc.stats->event_delivery_ms.observe(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - posted)
            .count());
  });
}

void server::impl::send_error(actors::conn_id conn, const protocol::protocol_error& e,
                              std::int64_t now_ms) {
  // Written on the caller's thread, as every frame is, not on the Asio thread.
  auto frame = std::make_shared<const std::string>(protocol::write_error(e, now_ms));
  asio::post(io, [this, conn, frame = std::move(frame), e] {
    if (auto it = conns.find(conn); it != conns.end())
      enqueue(it->second, frame, true);
    else
      agui_deliver_error(conn, e);  // an AG-UI stream (server_agui.cpp)
  });
}

void server::impl::send_replay(actors::conn_id conn, std::vector<actors::frame_ptr> frames) {
  asio::post(io, [this, conn, frames = std::move(frames)] {
    for (const auto& f : frames) write(conn, f, false);
  });
}

void server::impl::close(actors::conn_id conn, actors::close_reason why) {
  asio::post(io, [this, conn, why] {
    if (auto it = conns.find(conn); it != conns.end()) return close_connection(it->second, why);
    auto frame = close_frame_for(why);
    agui_close(conn, frame.code, frame.text);  // an AG-UI stream (server_agui.cpp)
  });
}

void server::impl::retire(const std::string& user_id, caf::actor session) {
  asio::post(io, [this, user_id, session = std::move(session)] {
    auto it = users.find(user_id);
    if (it == users.end() || it->second.session != session || it->second.connections() > 0) return;
    users.erase(it);
    caf::anon_send(session, actors::retire_atom::value);
    if (stopping) user_drained(user_id);
  });
}

void server::impl::drained(const std::string& user_id) {
  asio::post(io, [this, user_id] { user_drained(user_id); });
}

// Posted after the session's last frames, so those go out before close_all.
void server::impl::user_drained(const std::string& user_id) {
  if (undrained.erase(user_id) == 0 || !undrained.empty() || closing) return;
  drain_timer.cancel();
  close_all();
}

// A frame for a WebSocket connection. An AG-UI stream takes no frame: its
// events and errors come typed (send_event, send_error).
void server::impl::write(actors::conn_id conn, const actors::frame_ptr& frame, bool live) {
  if (auto it = conns.find(conn); it != conns.end()) enqueue(it->second, frame, live);
}

// Every frame, the gateway's own replies included, goes through here, so the
// send-queue limit covers a client that sends pings but never reads.
void server::impl::enqueue(const connection_ptr& con, const actors::frame_ptr& frame, bool live) {
  // Closed by the server (4002 and the like): the frames that still arrive for
  // it until the close completes would only pile up and close it again.
  if (con->closing) return;
  if (con->pending.empty() && con->get_buffered_amount() < high_water()) {
    send_frame(con, *frame);
    over_send_limit(con);  // one big frame alone may be over the limits
    return;
  }
  con->pending.emplace_back(frame, live);
  (live ? con->pending_live_bytes : con->pending_replay_bytes) += frame->size();
  if (over_send_limit(con)) return;
  pumping.insert(con->id);
  schedule_pump();
}

void server::impl::send_frame(const connection_ptr& con, const std::string& frame) {
  // A connection with nothing waiting is keeping up: its grace starts now.
  if (con->get_buffered_amount() == 0) con->last_taken_ms = now_ms();
  con->handed_bytes += frame.size();
  con->send(frame, websocketpp::frame::opcode::text);  // a closed connection just refuses
}

void server::impl::note_taken(const connection_ptr& con) {
  auto buffered = static_cast<std::uint64_t>(con->get_buffered_amount());
  std::uint64_t taken = con->handed_bytes > buffered ? con->handed_bytes - buffered : 0;
  if (taken > con->taken_bytes || buffered == 0) {
    con->taken_bytes = std::max(con->taken_bytes, taken);
    con->last_taken_ms = now_ms();
  }
}

// PROTOCOL.md section 5: closed with 4002 when more than MAX_SEND_QUEUE_BYTES
// wait and the client has taken no bytes for SLOW_CONSUMER_GRACE_MS, or at
// once over 4x MAX_SEND_QUEUE_BYTES. A client that keeps reading rides out a
// burst of big frames.
// A replay waiting to be handed over counts too (it is paced as the client
// reads), but not toward the 4x rule: its frames are the event log's own,
// shared, not copies.
bool server::impl::over_send_limit(const connection_ptr& con) {
  std::size_t held = con->get_buffered_amount() + con->pending_live_bytes;
  std::size_t queued = held + con->pending_replay_bytes;
  auto limit = static_cast<std::size_t>(cfg->max_send_queue_bytes);
  if (queued <= limit) {
    con->over_limit = false;
    return false;
  }
  note_taken(con);
  if (!con->over_limit) {
    con->over_limit = true;
    log::info("gateway",
              "send queue over MAX_SEND_QUEUE_BYTES; closed unless the client takes bytes",
              {{"user", con->user_id}, {"queued_bytes", std::to_string(queued)}});
  }
  auto stalled_ms = now_ms() - con->last_taken_ms;
  bool hard = held > 4 * limit;
  if (!hard && stalled_ms < cfg->slow_consumer_grace_ms) return false;
  log::warn("gateway", "slow consumer closed",
            {{"user", con->user_id},
             {"queued_bytes", std::to_string(queued)},
             {"why", hard ? "over 4x MAX_SEND_QUEUE_BYTES"
                          : "over MAX_SEND_QUEUE_BYTES and no bytes taken for " +
                                std::to_string(stalled_ms) + " ms"}});
  svc.stats->slow_consumer_closes++;
  con->pending.clear();
  con->pending_live_bytes = 0;
  con->pending_replay_bytes = 0;
  pumping.erase(con->id);
  close_connection(con, actors::close_reason::slow_consumer);
  return true;
}

void server::impl::schedule_pump() {
  if (pump_scheduled) return;
  pump_scheduled = true;
  pump_timer.expires_after(std::chrono::milliseconds(5));
  pump_timer.async_wait([this](const asio::error_code&) {
    pump_scheduled = false;
    pump();
  });
}

void server::impl::pump() {
  for (auto it = pumping.begin(); it != pumping.end();) {
    auto found = conns.find(*it);
    if (found == conns.end()) {
      it = pumping.erase(it);
      continue;
    }
    auto& con = found->second;
    while (!con->pending.empty() && con->get_buffered_amount() < high_water()) {
      auto [frame, live] = std::move(con->pending.front());
      con->pending.pop_front();
      (live ? con->pending_live_bytes : con->pending_replay_bytes) -= frame->size();
      send_frame(con, *frame);
    }
    if (!con->pending.empty() && over_send_limit(con)) {
      it = pumping.begin();  // over_send_limit erased it
      continue;
    }
    it = con->pending.empty() ? pumping.erase(it) : std::next(it);
  }
  if (!pumping.empty()) schedule_pump();
}

void server::impl::close_connection(const connection_ptr& con, std::uint16_t code,
                                    const std::string& reason) {
  if (con->closing) return;  // one close per connection, counted once
  con->closing = true;
  op.closes[code]++;
  websocketpp::lib::error_code ec;
  con->close(code, reason, ec);
}

void server::impl::close_connection(const connection_ptr& con, actors::close_reason why) {
  auto frame = close_frame_for(why);
  close_connection(con, frame.code, frame.text);
}

bool server::impl::on_validate(hdl_t hdl) {
  auto con = endpoint.get_con_from_hdl(hdl);
  auto refuse = [&](websocketpp::http::status_code::value status, const std::string& why) {
    op.handshake_refusals[static_cast<int>(status)]++;
    con->set_status(status);
    con->set_body(error_json(why, error_code_for(static_cast<int>(status))));
    con->replace_header("Content-Type", "application/json");
    log::info("gateway", "handshake refused",
              {{"status", std::to_string(static_cast<int>(status))},
               {"why", why},
               {"client", con->get_remote_endpoint()},
               {"forwarded_for", con->get_request_header("X-Forwarded-For").substr(0, 200)}});
    return false;
  };
  if (stopping) return refuse(websocketpp::http::status_code::service_unavailable, "shutting down");
  auto parsed = parse_handshake(con->get_resource());
  if (!parsed) return refuse(websocketpp::http::status_code::bad_request, parsed.message());
  if (static_cast<int>(conns.size()) >= cfg->max_total_connections)
    return refuse(websocketpp::http::status_code::service_unavailable,
                  "over MAX_TOTAL_CONNECTIONS");
  if (!origin_allowed(con->get_request_header("Origin")))
    return refuse(websocketpp::http::status_code::forbidden, "origin not allowed");
  // Users held in memory are bounded: a new one is refused at the cap (a user
  // already held, connected or keeping events for resume, still gets in).
  if (users.size() >= static_cast<std::size_t>(cfg->max_users) &&
      users.find(parsed->user_id) == users.end())
    return refuse(websocketpp::http::status_code::service_unavailable, "over MAX_USERS");
  if (!cfg->auth_secret.empty()) {
    auto check =
        auth::verify_hs256(cfg->auth_secret, parsed->token, now_ms() / 1000, token_rules());
    if (!check.ok) return refuse(websocketpp::http::status_code::unauthorized, check.error);
    if (!auth::user_matches(check, parsed->user_id))
      return refuse(websocketpp::http::status_code::unauthorized, "token is for another user");
    con->token_expires_s = check.expires_unix_s;
  }
  con->user_id = parsed->user_id;
  con->session_id = parsed->session_id;
  con->last_seq = parsed->last_seq ? static_cast<std::int64_t>(*parsed->last_seq) : -1;
  con->epoch = parsed->epoch;
  return true;
}

void server::impl::on_open(hdl_t hdl) {
  auto con = endpoint.get_con_from_hdl(hdl);
  con->id = ++next_id;
  con->last_seen_ms = now_ms();
  conns.emplace(con->id, con);
  auto& user = users[con->user_id];
  if (!user.session) user.session = actors::spawn_session(system, svc, con->user_id);
  user.sockets.push_back(con->id);
  con->session = user.session;
  caf::anon_send(con->session, actors::connect_atom::value, con->id, con->session_id, con->last_seq,
                 con->epoch);
  supersede_oldest(user);
  log::debug("gateway", "connection open",
             {{"user", con->user_id}, {"conn", std::to_string(con->id)}});
}

void server::impl::on_close(hdl_t hdl) {
  auto con = endpoint.get_con_from_hdl(hdl);
  if (con->id == 0 || conns.erase(con->id) == 0) return;
  pumping.erase(con->id);
  con->pending.clear();
  caf::anon_send(con->session, actors::disconnect_atom::value, con->id);
  if (auto it = users.find(con->user_id); it != users.end()) {
    auto& ids = it->second.sockets;
    ids.erase(std::remove(ids.begin(), ids.end(), con->id), ids.end());
  }
  log::debug("gateway", "connection closed",
             {{"user", con->user_id},
              {"conn", std::to_string(con->id)},
              {"code", std::to_string(con->get_remote_close_code())}});
  stop_when_closed();
}

void server::impl::supersede_oldest(user_entry& user) {
  while (static_cast<int>(user.sockets.size()) > cfg->max_connections_per_user) {
    actors::conn_id oldest = user.sockets.front();
    user.sockets.erase(user.sockets.begin());
    // The session stops delivering to it (after the connect just sent, so the
    // newer connection never misses an event); frames already queued still go.
    caf::anon_send(user.session, actors::disconnect_atom::value, oldest);
    if (auto it = conns.find(oldest); it != conns.end())
      close_connection(it->second, actors::close_reason::superseded);
  }
}

void server::impl::on_message(hdl_t hdl, ws_server::message_ptr msg) {
  auto con = endpoint.get_con_from_hdl(hdl);
  con->last_seen_ms = now_ms();
  auto reply_error = [&](const protocol::protocol_error& e) {
    svc.stats->errors_by_code[static_cast<std::size_t>(e.code)]++;
    enqueue(con, std::make_shared<const std::string>(protocol::write_error(e, now_ms())), true);
  };
  if (msg->get_payload().size() > static_cast<std::size_t>(cfg->max_message_bytes)) {
    log::info("gateway", "frame over MAX_MESSAGE_BYTES",
              {{"user", con->user_id}, {"bytes", std::to_string(msg->get_payload().size())}});
    return close_connection(con, websocketpp::close::status::message_too_big,
                            "frame over MAX_MESSAGE_BYTES");
  }
  if (msg->get_opcode() != websocketpp::frame::opcode::text)
    return reply_error({protocol::error_code::invalid_json, "frames must be JSON text", ""});
  auto parsed = protocol::parse_client_message(msg->get_payload());
  if (auto* err = std::get_if<protocol::protocol_error>(&parsed)) return reply_error(*err);
  auto& message = std::get<protocol::client_message>(parsed);
  std::visit(
      [&](auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, protocol::ping_request>) {
          enqueue(con, std::make_shared<const std::string>(protocol::write_pong(now_ms())), true);
        } else if constexpr (std::is_same_v<T, protocol::analytics_request>) {
          caf::anon_send(con->session, actors::request_atom::value, con->id, std::move(m));
        } else if constexpr (std::is_same_v<T, protocol::cancel_request>) {
          caf::anon_send(con->session, actors::cancel_atom::value, con->id, m.correlation_id);
        } else if constexpr (std::is_same_v<T, protocol::resume_request>) {
          // One replay at a time per connection, and at most one resume a
          // second: a flood of resumes cannot pile up copies of the buffer.
          auto now = now_ms();
          if (con->pending_replay_bytes > 0 || now - con->last_resume_ms < resume_interval_ms) {
            protocol::protocol_error e{protocol::error_code::rate_limited,
                                       con->pending_replay_bytes > 0
                                           ? "a replay is already in progress on this connection"
                                           : "at most one resume per second",
                                       ""};
            return reply_error(e);
          }
          con->last_resume_ms = now;
          caf::anon_send(con->session, actors::resume_atom::value, con->id, m.last_seq);
        } else if constexpr (std::is_same_v<T, protocol::auth_request>) {
          on_auth(con, m.token);
        }
        // ack: accepted and ignored; the buffer is kept by time and count.
      },
      message);
}

// WebSocket pings every heartbeat_s; a connection silent for STALE_TIMEOUT_S is closed 4001.
void server::impl::schedule_heartbeat() {
  heartbeat.expires_after(std::chrono::seconds(cfg->heartbeat_s));
  heartbeat.async_wait([this](const asio::error_code& ec) {
    if (ec || stopping) return;
    agui_sweep();  // AG-UI runs held past EVENT_BUFFER_S (server_agui.cpp)
    auto stale_before = now_ms() - static_cast<std::int64_t>(cfg->stale_timeout_s) * 1000;
    for (auto& [id, con] : conns) {
      if (con->last_seen_ms < stale_before) {
        close_connection(con, actors::close_reason::stale);
        continue;
      }
      websocketpp::lib::error_code ping_ec;
      con->ping("", ping_ec);
    }
    schedule_heartbeat();
  });
}

// A fresh token for an open connection: it must be valid and for the same
// user; then the connection lives until its exp. Without AUTH_SECRET there
// is nothing to renew and the message is accepted as it is.
void server::impl::on_auth(const connection_ptr& con, const std::string& token) {
  if (cfg->auth_secret.empty()) return;
  auto check = auth::verify_hs256(cfg->auth_secret, token, now_ms() / 1000, token_rules());
  std::string why = check.ok ? "" : check.error;
  if (check.ok && !auth::user_matches(check, con->user_id)) why = "token is for another user";
  if (!why.empty()) {
    log::info("gateway", "auth refused", {{"user", con->user_id}, {"why", why}});
    protocol::protocol_error e{protocol::error_code::validation_failed, "token: " + why, ""};
    svc.stats->errors_by_code[static_cast<std::size_t>(e.code)]++;
    enqueue(con, std::make_shared<const std::string>(protocol::write_error(e, now_ms())), true);
    return;
  }
  con->token_expires_s = std::max(con->token_expires_s, check.expires_unix_s);
}

void server::impl::schedule_token_check() {
  if (cfg->auth_secret.empty()) return;
  token_timer.expires_after(std::chrono::seconds(1));
  token_timer.async_wait([this](const asio::error_code& ec) {
    if (ec || stopping) return;
    auto now_s = now_ms() / 1000 - cfg->auth_leeway_s;
    for (auto& [id, con] : conns) {
      if (con->token_expires_s > 0 && con->token_expires_s <= now_s) {
        log::info("gateway", "token expired: connection closed 4003", {{"user", con->user_id}});
        con->token_expires_s = 0;  // closed once
        close_connection(con, actors::close_reason::token_expired);
      }
    }
    schedule_token_check();
  });
}

// SIGTERM/SIGINT: stop accepting, let in-flight runs finish for up to
// DRAIN_TIMEOUT_S, end what is left, then close every socket with 1001.
void server::impl::shutdown() {
  if (stopping) return;
  stopping = true;
  log::info("gateway", "draining",
            {{"connections", std::to_string(conns.size())},
             {"runs", std::to_string(svc.stats->active_runs.load())}});
  websocketpp::lib::error_code ec;
  endpoint.stop_listening(ec);
  accept_timer.cancel();
  http_deadline_timer.cancel();
  heartbeat.cancel();
  token_timer.cancel();
  // Each session answers drained() once it has no run left; the timer only
  // bounds the wait.
  for (auto& [user, entry] : users) {
    undrained.insert(user);
    caf::anon_send(entry.session, actors::drain_atom::value);
  }
  if (undrained.empty()) {
    asio::post(io, [this] { close_all(); });
    return;
  }
  drain_timer.expires_after(std::chrono::seconds(cfg->drain_timeout_s));
  drain_timer.async_wait([this](const asio::error_code& e) {
    if (!e) end_drain(false);
  });
}

// The drain time is up: the sessions still running end their runs
// (shutdown_atom) and get two more seconds to say so.
void server::impl::end_drain(bool forced) {
  if (closing) return;
  if (forced) return close_all();
  log::warn("gateway", "drain time is up; ending the remaining runs",
            {{"runs", std::to_string(svc.stats->active_runs.load())},
             {"users", std::to_string(undrained.size())}});
  for (const auto& user : undrained)
    if (auto it = users.find(user); it != users.end())
      caf::anon_send(it->second.session, actors::shutdown_atom::value);
  drain_timer.expires_after(std::chrono::seconds(2));
  drain_timer.async_wait([this](const asio::error_code& e) {
    if (!e) end_drain(true);
  });
}

void server::impl::close_all() {
  if (closing) return;
  closing = true;
  log::info("gateway", "closing connections", {{"connections", std::to_string(conns.size())}});
  for (auto& [id, con] : conns) close_connection(con, actors::close_reason::shutting_down);
  agui_end_all();
  // Clients get 3 s to complete their close handshakes; the last one to go
  // stops the loop sooner (stop_when_closed, called by every close).
  drain_timer.expires_after(std::chrono::seconds(3));
  drain_timer.async_wait([this](const asio::error_code& e) {
    if (!e) io.stop();
  });
  stop_when_closed();
}

void server::impl::stop_when_closed() {
  if (closing && conns.empty() && agui_streams.empty()) io.stop();
}

int server::impl::run(const actors::services& services) {
  svc = services;
  endpoint.clear_access_channels(websocketpp::log::alevel::all);
  endpoint.clear_error_channels(websocketpp::log::elevel::all);
  endpoint.init_asio(&io);
  endpoint.set_reuse_addr(true);
  endpoint.set_user_agent("agentwire");  // the Server header: no library version
  // websocketpp stops reading at its own limit and the close never completes
  // (the client sees 1006), so it gets head-room and on_message enforces
  // MAX_MESSAGE_BYTES with a proper 1009 close.
  endpoint.set_max_message_size(static_cast<std::size_t>(cfg->max_message_bytes) * 2 + 65536);
  // HTTP request bodies (POST /agui) are read whole before on_http: bound them (413).
  endpoint.set_max_http_body_size(static_cast<std::size_t>(cfg->max_message_bytes));
  endpoint.set_validate_handler([this](hdl_t h) { return on_validate(h); });
  endpoint.set_open_handler([this](hdl_t h) { on_open(h); });
  endpoint.set_close_handler([this](hdl_t h) { on_close(h); });
  endpoint.set_message_handler([this](hdl_t h, ws_server::message_ptr m) { on_message(h, m); });
  endpoint.set_pong_handler([this](hdl_t h, std::string p) {
    on_pong(h, std::move(p));
    return;
  });
  endpoint.set_http_handler([this](hdl_t h) { on_http(h); });
  // Events are small frames that must go out at once: no Nagle delay.
  // (After the TCP accept: the socket does not exist before it.)
  endpoint.set_tcp_post_init_handler([this](hdl_t h) {
    asio::error_code ignored;
    endpoint.get_con_from_hdl(h)->get_raw_socket().set_option(asio::ip::tcp::no_delay(true),
                                                              ignored);
  });

  asio::error_code ec;
  auto address = asio::ip::make_address(cfg->host, ec);
  if (ec) {
    log::error("gateway", "bad HOST", {{"host", cfg->host}, {"error", ec.message()}});
    return 2;
  }
  start_http();  // query threads, history store, chart files
  websocketpp::lib::error_code wec;
  endpoint.listen(asio::ip::tcp::endpoint(address, static_cast<unsigned short>(cfg->port)), wec);
  if (wec) {
    log::error("gateway", "cannot listen",
               {{"port", std::to_string(cfg->port)}, {"error", wec.message()}});
    return 1;
  }
  asio::error_code lec;
  auto local = endpoint.get_local_endpoint(lec);
  // Runs in flight when this node stopped are run again now (issue #18): their
  // users' sessions start before anyone connects, and retire idle as usual.
  if (svc.durable)
    for (const auto& user : svc.durable->users_with_reruns())
      users[user].session = actors::spawn_session(system, svc, user);
  // Users of a dead gateway whom no one reconnects: their sessions start here
  // (the log adopted their histories), so that their runs finish too.
  if (svc.durable && svc.durable->shared())
    svc.durable->set_adopter([this](const std::string& user, std::vector<actors::ended_run> ended) {
      asio::post(io, [this, user, ended = std::move(ended)] {
        if (stopping) return;
        auto now = now_ms();
        for (const auto& run : ended) actors::account_lost_run(svc, user, run, now);
        auto& entry = users[user];
        if (!entry.session) entry.session = actors::spawn_session(system, svc, user);
      });
    });
  start_accepting();
  signals.async_wait([this](const asio::error_code& e, int sig) {
    if (!e) shutdown();
  });
  schedule_heartbeat();
  schedule_token_check();
  log::info("gateway", "listening",
            {{"host", cfg->host}, {"port", std::to_string(local.port())}, {"node", cfg->node_id}});
  io.run();
  if (svc.durable) svc.durable->set_adopter(nullptr);
  stop_accepting();
  stop_http();
  for (auto& [user, entry] : users)
    caf::anon_send_exit(entry.session, caf::exit_reason::user_shutdown);
  users.clear();
  log::info("gateway", "stopped");
  return 0;
}

server::server(caf::actor_system& system, std::shared_ptr<const core::config> cfg)
    : impl_(std::make_unique<impl>(system, std::move(cfg))) {}

server::~server() = default;

actors::outbox& server::outbox() {
  return *impl_;
}

int server::run(const actors::services& svc) {
  return impl_->run(svc);
}

}  // namespace aw::gateway
