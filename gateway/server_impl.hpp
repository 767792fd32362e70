// The gateway's private parts, shared by its two translation units:
// server.cpp (connections, frames, send queues, lifecycle) and
// server_http.cpp (plain HTTP routes and HTTP auth). Not for other folders.
#pragma once

#include <atomic>
#include <chrono>
#include <deque>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <unordered_set>

#include <asio.hpp>
#include <caf/all.hpp>
#include <websocketpp/config/asio_no_tls.hpp>
#include <websocketpp/server.hpp>

#include "auth/jwt.hpp"
#include "gateway/http_routes.hpp"
#include "gateway/query_threads.hpp"
#include "gateway/operator_metrics.hpp"
#include "gateway/socket_slot.hpp"
#include "gateway/server.hpp"
#include "protocol/server_messages.hpp"
#include "store/history_store.hpp"

namespace aw::gateway {

struct agui_run;    // server_agui.cpp
struct agui_input;  // agui_input.hpp

// "application/json", parameters (charset=...) allowed, any case.
bool is_json_content_type(std::string_view value);

// Per-connection data lives in the connection object itself.
struct connection_data {
  socket_slot slot;  // counted from accept until the connection object goes
  bool http_cut = false;  // a deferred HTTP answer passed HTTP_RESPONSE_TIMEOUT_S
  bool closing = false;   // the server started its close: frames for it are dropped
  actors::conn_id id = 0;
  std::string user_id;
  std::string session_id;
  std::int64_t last_seq = -1;  // -1: no resume asked at the handshake
  std::string epoch;
  caf::actor session;
  std::int64_t last_seen_ms = 0;
  std::int64_t token_expires_s = 0;  // with AUTH_SECRET: the token's exp (a fresh `auth` moves it)
  // Frames waiting for websocketpp's own queue to drain: a replay being
  // streamed, and live events queued behind it. Both count against
  // MAX_SEND_QUEUE_BYTES; only live ones (and websocketpp's) toward 4x.
  // A list, not a deque: an empty std::list allocates nothing, and most
  // connections never queue (10,000 idle connections, TOOLCHAIN.md).
  std::list<std::pair<actors::frame_ptr, bool>> pending;  // frame, is_live
  std::size_t pending_live_bytes = 0;
  std::size_t pending_replay_bytes = 0;  // replayed frames not yet handed to websocketpp
  std::int64_t last_resume_ms = 0;       // the last resume message taken
  // The slow-consumer rule (PROTOCOL.md section 5) needs to know whether the
  // client is taking bytes: payload bytes handed to websocketpp, the most it
  // has taken (handed - websocketpp's buffered amount), and when it last
  // took some (or had nothing waiting).
  std::uint64_t handed_bytes = 0;
  std::uint64_t taken_bytes = 0;
  std::int64_t last_taken_ms = 0;
  bool over_limit = false;  // over MAX_SEND_QUEUE_BYTES now (logged once per episode)
};

struct ws_config : websocketpp::config::asio {
  typedef ws_config type;
  // A small read buffer keeps idle connections cheap (TOOLCHAIN.md).
  static const size_t connection_read_buffer_size = 1024;
  typedef connection_data connection_base;
};

using ws_server = websocketpp::server<ws_config>;
using connection_ptr = ws_server::connection_ptr;
using hdl_t = websocketpp::connection_hdl;

inline std::int64_t now_ms() {
  return protocol::now_unix_ms();
}

struct server::impl : actors::outbox {
  caf::actor_system& system;
  std::shared_ptr<const core::config> cfg;
  actors::services svc;
  asio::io_service io;
  ws_server endpoint;
  asio::signal_set signals{io, SIGINT, SIGTERM};
  asio::steady_timer heartbeat{io};
  asio::steady_timer token_timer{io};
  asio::steady_timer pump_timer{io};
  asio::steady_timer drain_timer{io};
  std::unordered_set<actors::conn_id> pumping;  // connections with pending frames
  bool pump_scheduled = false;
  std::unordered_map<actors::conn_id, connection_ptr> conns;
  operator_figures op;  // refusals, closes, HTTP requests for /metrics (Asio thread only)
  // The one registry of a user's connections and the owner of its policy
  // (MAX_CONNECTIONS_PER_USER): the session only delivers to the ones
  // attached to it, and is told when one is superseded.
  struct user_entry {
    caf::actor session;
    std::vector<actors::conn_id> sockets;  // WebSocket connections, oldest first
    int streams = 0;  // AG-UI streams, and POST /agui slots held while history is read
    int connections() const { return static_cast<int>(sockets.size()) + streams; }
  };
  std::unordered_map<std::string, user_entry> users;
  actors::conn_id next_id = 0;
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
  bool stopping = false;
  bool closing = false;                       // close_all has started
  std::unordered_set<std::string> undrained;  // users with runs while draining
  // ---- AG-UI (server_agui.cpp). A run started by POST /agui is held (by
  // user and runId) while it goes and EVENT_BUFFER_S after, with its mapped
  // events for resume; its tap (a conn_id watching the session) feeds it, and
  // any number of SSE streams (the POST's own, GET joins) read it.
  std::map<std::pair<std::string, std::string>, std::shared_ptr<agui_run>> agui_runs;
  std::unordered_map<actors::conn_id, std::shared_ptr<agui_run>> agui_taps;
  std::unordered_map<actors::conn_id, std::shared_ptr<agui_run>> agui_streams;  // open SSE streams
  std::deque<std::weak_ptr<agui_run>> agui_finished;  // oldest end first, for expiry
  std::size_t agui_held_bytes = 0;                    // events held by all runs
  // ---- HTTP (server_http.cpp): query threads for blocking work, and the
  // gateway's own history store for reads (the history writer has its own).
  std::mutex history_mutex;                       // guards the pointer, not the store
  std::shared_ptr<store::history_store> history;  // null until opened (query threads retry)
  bool history_open_failure_logged = false;       // guarded by history_mutex
  std::string store_backend = "none";             // set before listening
  std::atomic<bool> history_answers{false};       // the last ping succeeded
  asio::steady_timer store_ping_timer{io};
  // ---- accept (server_accept.cpp): the gateway's own accept loop, so that
  // sockets are counted and capped at accept and accept errors back off.
  socket_counter open_sockets = std::make_shared<std::atomic<int>>(0);
  asio::steady_timer accept_timer{io};
  int accept_backoff_ms = 0;  // 0 while accepts succeed
  int reserve_fd = -1;        // /dev/null, given up to accept one socket when out of fds
  // Deferred HTTP answers by deadline (one timeout for all, so in order);
  // swept once a second while any is waiting.
  std::deque<std::pair<std::chrono::steady_clock::time_point, std::weak_ptr<ws_server::connection_type>>>
      http_deadlines;
  asio::steady_timer http_deadline_timer{io};
  bool http_sweep_scheduled = false;
  std::unique_ptr<query_threads> queries;  // last: its threads stop before the above go

  impl(caf::actor_system& sys, std::shared_ptr<const core::config> c)
      : system(sys), cfg(std::move(c)) {}

  // ---- Asio thread only below
  // Frames go straight to websocketpp while its queue is short; otherwise they
  // wait in `pending` and the pump feeds them as the client reads.
  // Hands one frame to websocketpp and notes the client's progress.
  void send_frame(const connection_ptr& con, const std::string& frame);
  void note_taken(const connection_ptr& con);
  static constexpr std::int64_t resume_interval_ms = 1000;
  std::size_t high_water() const { return static_cast<std::size_t>(cfg->max_send_queue_bytes) / 4; }

  void on_pong(hdl_t hdl, std::string) { endpoint.get_con_from_hdl(hdl)->last_seen_ms = now_ms(); }

  // ---- outbox: called from actor threads, executed on the Asio thread
  void send(actors::conn_id conn, actors::frame_ptr frame) override;
  void send_all(const std::vector<actors::conn_id>& targets, actors::frame_ptr frame) override;
  void send_replay(actors::conn_id conn, std::vector<actors::frame_ptr> frames) override;
  void send_event(const std::vector<actors::conn_id>& targets, actors::event_ptr event) override;
  void send_error(actors::conn_id conn, const protocol::protocol_error& e,
                  std::int64_t now_ms) override;
  void close(actors::conn_id conn, actors::close_reason why) override;
  void retire(const std::string& user_id, caf::actor session) override;
  void drained(const std::string& user_id) override;
  void write(actors::conn_id conn, const actors::frame_ptr& frame, bool live);
  void enqueue(const connection_ptr& con, const actors::frame_ptr& frame, bool live);
  bool over_send_limit(const connection_ptr& con);
  void schedule_pump();
  void pump();
  void close_connection(const connection_ptr& con, std::uint16_t code, const std::string& reason);
  void close_connection(const connection_ptr& con, actors::close_reason why);
  bool on_validate(hdl_t hdl);
  // ALLOWED_ORIGINS (comma-separated) when set; browsers always send Origin,
  // other clients may not, and those are let through.
  bool origin_allowed(const std::string& origin) const;
  // POST /agui: no Origin (not a browser), a listed one, or this server's own.
  bool agui_origin_allowed(const std::string& origin, const std::string& host) const;
  // With AUTH_SECRET set, HTTP needs "Authorization: Bearer <token>"; returns
  // the token's user, or "" after answering 401.
  std::string http_user(const connection_ptr& con);
  void on_open(hdl_t hdl);
  void on_close(hdl_t hdl);
  // Over MAX_CONNECTIONS_PER_USER WebSocket connections, the user's oldest is
  // superseded: detached from the session and closed 4000.
  void supersede_oldest(user_entry& user);
  void on_message(hdl_t hdl, ws_server::message_ptr msg);
  void on_http(hdl_t hdl);
  void on_agui(const connection_ptr& con);
  // /agui/capabilities, /agui/runs/{runId}/events, /agui/runs/{runId}/cancel
  void on_agui_path(const connection_ptr& con, const std::string& path, const std::string& query);
  void on_admin(const connection_ptr& con, const std::string& method, const std::string& path);
  // The outbox's run event, error and close for a stream's conn_id (AG-UI
  // takes typed values only, never a frame); false when it is not one.
  bool agui_deliver(actors::conn_id conn, const protocol::run_event& event);
  bool agui_deliver_error(actors::conn_id conn, const protocol::protocol_error& e);
  bool agui_close(actors::conn_id conn, std::uint16_t code, const std::string& reason);
  void agui_end_all();
  // POST /agui after the thread's history was read (snapshot: "" for none).
  void agui_start(const connection_ptr& con, std::string user, std::shared_ptr<agui_input> in,
                  std::string token, std::string snapshot);
  void agui_append(agui_run& run, const std::vector<std::string>& events, std::uint64_t seq);
  void agui_run_over(const std::shared_ptr<agui_run>& run);
  void agui_mapped(const std::shared_ptr<agui_run>& run, const std::vector<std::string>& events);
  void agui_sweep();  // forgets runs held past EVENT_BUFFER_S, and beyond the byte budget
  void agui_viewer_gone(actors::conn_id viewer);
  // Before listening: query threads, history store, chart files; after io.run(): stops them.
  void start_http();
  void stop_http();
  void schedule_store_ping();  // every few seconds, on a query worker
  // Query threads only: the open store, opening it first if that has not worked yet.
  std::shared_ptr<store::history_store> history_handle();
  void answer(const connection_ptr& con, const http_answer& a);
  // Runs `job` on a query worker and answers with its result on the Asio
  // thread; answers 503 at once when the query queue is full.
  void answer_later(const connection_ptr& con, std::function<http_answer()> job);
  health_figures health_now() const;  // what /health and /readyz report
  void serve_health(const connection_ptr& con);
  void serve_metrics(const connection_ptr& con);
  void serve_chart(const connection_ptr& con, const std::string& id, const std::string& user);
  void serve_history(const connection_ptr& con, const history_route& route);
  // WebSocket pings every heartbeat_s; a connection silent for STALE_TIMEOUT_S is closed 4001.
  void schedule_heartbeat();
  // With AUTH_SECRET: once a second, connections whose token has expired are
  // closed with 4003.
  void schedule_token_check();
  void on_auth(const connection_ptr& con, const std::string& token);
  // AUTH_AUDIENCE, AUTH_ISSUER, AUTH_MAX_TTL_S and AUTH_LEEWAY_S for every token check.
  auth::token_rules token_rules() const {
    return {cfg->auth_audience, cfg->auth_issuer, cfg->auth_max_ttl_s, cfg->auth_leeway_s};
  }
  // SIGTERM/SIGINT: stop accepting, let in-flight runs finish for up to
  // DRAIN_TIMEOUT_S, end what is left, then close every socket with 1001.
  void shutdown();
  // Checks the run gauge until it reaches zero or the deadline passes.
  void user_drained(const std::string& user_id);
  void end_drain(bool forced);
  void close_all();
  // After close_all: stops the Asio loop once no socket is left.
  void stop_when_closed();
  int run(const actors::services& services);
  // server_accept.cpp
  void start_accepting();
  void accept_next();
  void on_accepted(const connection_ptr& con, const websocketpp::lib::error_code& ec);
  void stop_accepting();
  // server_http.cpp: cuts deferred HTTP answers not taken by their deadline.
  void watch_http_deadline(const connection_ptr& con);
  void schedule_http_sweep();
  void sweep_http_deadlines();
};

}  // namespace aw::gateway
