#include "gateway/server.hpp"

#include <chrono>
#include <unordered_map>

#include <asio.hpp>
#include <caf/all.hpp>
#include <websocketpp/config/asio_no_tls.hpp>
#include <websocketpp/server.hpp>

#include "actors/messages.hpp"
#include "actors/session_actor.hpp"
#include "core/log.hpp"
#include "gateway/handshake.hpp"
#include "gateway/http_routes.hpp"
#include "protocol/parse.hpp"
#include "protocol/server_messages.hpp"

namespace aw::gateway {
namespace {

// Per-connection data lives in the connection object itself.
struct connection_data {
  actors::conn_id id = 0;
  std::string user_id;
  std::string session_id;
  std::int64_t last_seq = -1;  // -1: no resume asked at the handshake
  std::string epoch;
  caf::actor session;
  std::int64_t last_seen_ms = 0;
};

struct ws_config : websocketpp::config::asio {
  typedef ws_config type;
  // A small read buffer keeps idle connections cheap (TOOLCHAIN.md).
  static const size_t connection_read_buffer_size = 4096;
  typedef connection_data connection_base;
};

using ws_server = websocketpp::server<ws_config>;
using connection_ptr = ws_server::connection_ptr;
using hdl_t = websocketpp::connection_hdl;

std::int64_t now_ms() { return protocol::now_unix_ms(); }

}  // namespace

struct server::impl : actors::outbox {
  caf::actor_system& system;
  std::shared_ptr<const core::config> cfg;
  actors::services svc;
  asio::io_service io;
  ws_server endpoint;
  asio::signal_set signals{io, SIGINT, SIGTERM};
  asio::steady_timer heartbeat{io};
  std::unordered_map<actors::conn_id, connection_ptr> conns;
  struct user_entry {
    caf::actor session;
    int connections = 0;
  };
  std::unordered_map<std::string, user_entry> users;
  actors::conn_id next_id = 0;
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
  bool stopping = false;

  impl(caf::actor_system& sys, std::shared_ptr<const core::config> c)
      : system(sys), cfg(std::move(c)) {}

  // ---- outbox: called from actor threads, executed on the Asio thread
  void send(actors::conn_id conn, actors::frame_ptr frame) override {
    asio::post(io, [this, conn, frame = std::move(frame)] { write(conn, *frame); });
  }
  void send_all(const std::vector<actors::conn_id>& targets, actors::frame_ptr frame) override {
    asio::post(io, [this, targets, frame = std::move(frame)] {
      for (auto conn : targets) write(conn, *frame);
    });
  }
  void close(actors::conn_id conn, std::uint16_t code, std::string reason) override {
    asio::post(io, [this, conn, code, reason = std::move(reason)] {
      if (auto it = conns.find(conn); it != conns.end()) close_connection(it->second, code, reason);
    });
  }
  void retire(const std::string& user_id, caf::actor session) override {
    asio::post(io, [this, user_id, session = std::move(session)] {
      auto it = users.find(user_id);
      if (it == users.end() || it->second.session != session || it->second.connections > 0) return;
      users.erase(it);
      caf::anon_send(session, actors::retire_atom::value);
    });
  }

  // ---- Asio thread only below
  void write(actors::conn_id conn, const std::string& frame) {
    auto it = conns.find(conn);
    if (it == conns.end()) return;
    auto& con = it->second;
    if (con->get_buffered_amount() > static_cast<std::size_t>(cfg->max_send_queue_bytes)) {
      log::warn("gateway", "slow consumer closed",
                {{"user", con->user_id}, {"queued", std::to_string(con->get_buffered_amount())}});
      close_connection(con, 4002, "slow consumer: send queue over MAX_SEND_QUEUE_BYTES");
      return;
    }
    con->send(frame, websocketpp::frame::opcode::text);  // a closed connection just refuses
  }

  void close_connection(const connection_ptr& con, std::uint16_t code, const std::string& reason) {
    websocketpp::lib::error_code ec;
    con->close(code, reason, ec);
  }

  void send_now(const connection_ptr& con, const std::string& frame) {
    con->send(frame, websocketpp::frame::opcode::text);  // a closed connection just refuses
  }

  bool on_validate(hdl_t hdl) {
    auto con = endpoint.get_con_from_hdl(hdl);
    auto refuse = [&](websocketpp::http::status_code::value status, const std::string& why) {
      con->set_status(status);
      con->set_body(error_json(why));
      con->replace_header("Content-Type", "application/json");
      log::info("gateway", "handshake refused",
                {{"status", std::to_string(static_cast<int>(status))}, {"why", why}});
      return false;
    };
    if (stopping) return refuse(websocketpp::http::status_code::service_unavailable, "shutting down");
    auto parsed = parse_handshake(con->get_resource());
    if (!parsed.ok) return refuse(websocketpp::http::status_code::bad_request, parsed.error);
    if (static_cast<int>(conns.size()) >= cfg->max_total_connections)
      return refuse(websocketpp::http::status_code::service_unavailable,
                    "over MAX_TOTAL_CONNECTIONS");
    con->user_id = parsed.ok->user_id;
    con->session_id = parsed.ok->session_id;
    con->last_seq = parsed.ok->last_seq ? static_cast<std::int64_t>(*parsed.ok->last_seq) : -1;
    con->epoch = parsed.ok->epoch;
    return true;
  }

  void on_open(hdl_t hdl) {
    auto con = endpoint.get_con_from_hdl(hdl);
    con->id = ++next_id;
    con->last_seen_ms = now_ms();
    conns.emplace(con->id, con);
    auto& user = users[con->user_id];
    if (!user.session) user.session = actors::spawn_session(system, svc, con->user_id);
    user.connections++;
    con->session = user.session;
    caf::anon_send(con->session, actors::connect_atom::value, con->id, con->session_id,
                   con->last_seq, con->epoch);
    log::debug("gateway", "connection open",
               {{"user", con->user_id}, {"conn", std::to_string(con->id)}});
  }

  void on_close(hdl_t hdl) {
    auto con = endpoint.get_con_from_hdl(hdl);
    if (con->id == 0 || conns.erase(con->id) == 0) return;
    caf::anon_send(con->session, actors::disconnect_atom::value, con->id);
    if (auto it = users.find(con->user_id); it != users.end()) it->second.connections--;
    log::debug("gateway", "connection closed",
               {{"user", con->user_id},
                {"conn", std::to_string(con->id)},
                {"code", std::to_string(con->get_remote_close_code())}});
  }

  void on_message(hdl_t hdl, ws_server::message_ptr msg) {
    auto con = endpoint.get_con_from_hdl(hdl);
    con->last_seen_ms = now_ms();
    auto reply_error = [&](const protocol::protocol_error& e) {
      send_now(con, protocol::write_error(e, now_ms()));
    };
    if (msg->get_opcode() != websocketpp::frame::opcode::text)
      return reply_error({protocol::error_code::invalid_json, "frames must be JSON text", ""});
    auto parsed = protocol::parse_client_message(msg->get_payload());
    if (auto* err = std::get_if<protocol::protocol_error>(&parsed)) return reply_error(*err);
    auto& message = std::get<protocol::client_message>(parsed);
    std::visit(
        [&](auto& m) {
          using T = std::decay_t<decltype(m)>;
          if constexpr (std::is_same_v<T, protocol::ping_request>) {
            send_now(con, protocol::write_pong(now_ms()));
          } else if constexpr (std::is_same_v<T, protocol::analytics_request>) {
            caf::anon_send(con->session, actors::request_atom::value, con->id, std::move(m));
          } else if constexpr (std::is_same_v<T, protocol::cancel_request>) {
            caf::anon_send(con->session, actors::cancel_atom::value, con->id, m.correlation_id);
          } else if constexpr (std::is_same_v<T, protocol::resume_request>) {
            caf::anon_send(con->session, actors::resume_atom::value, con->id, m.last_seq);
          }
          // ack: accepted and ignored; the buffer is kept by time and count.
        },
        message);
  }

  void on_pong(hdl_t hdl, std::string) { endpoint.get_con_from_hdl(hdl)->last_seen_ms = now_ms(); }

  void on_http(hdl_t hdl) {
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
    if (std::string id = chart_id_from_path(path); !id.empty()) {
      if (auto chart = svc.charts->get(id)) {
        con->replace_header("Cache-Control", "private, max-age=86400, immutable");
        return respond(websocketpp::http::status_code::ok, chart->content_type, *chart->bytes);
      }
      return respond(websocketpp::http::status_code::not_found, "application/json",
                     error_json("no chart " + id));
    }
    respond(websocketpp::http::status_code::not_found, "application/json",
            error_json("not found: " + path));
  }

  // WebSocket pings every heartbeat_s; a connection silent for STALE_TIMEOUT_S is closed 4001.
  void schedule_heartbeat() {
    heartbeat.expires_after(std::chrono::seconds(cfg->heartbeat_s));
    heartbeat.async_wait([this](const asio::error_code& ec) {
      if (ec || stopping) return;
      auto stale_before = now_ms() - static_cast<std::int64_t>(cfg->stale_timeout_s) * 1000;
      for (auto& [id, con] : conns) {
        if (con->last_seen_ms < stale_before) {
          close_connection(con, 4001, "stale: no traffic and no pong");
          continue;
        }
        websocketpp::lib::error_code ping_ec;
        con->ping("", ping_ec);
      }
      schedule_heartbeat();
    });
  }

  void shutdown() {
    if (stopping) return;
    stopping = true;
    log::info("gateway", "shutting down", {{"connections", std::to_string(conns.size())}});
    websocketpp::lib::error_code ec;
    endpoint.stop_listening(ec);
    heartbeat.cancel();
    for (auto& [id, con] : conns) close_connection(con, 1001, "server shutting down");
    // Close handshakes finish on their own; give them a moment, then stop.
    auto grace = std::make_shared<asio::steady_timer>(io, std::chrono::seconds(2));
    grace->async_wait([this, grace](const asio::error_code&) { io.stop(); });
  }

  int run(const actors::services& services) {
    svc = services;
    endpoint.clear_access_channels(websocketpp::log::alevel::all);
    endpoint.clear_error_channels(websocketpp::log::elevel::all);
    endpoint.init_asio(&io);
    endpoint.set_reuse_addr(true);
    endpoint.set_max_message_size(static_cast<std::size_t>(cfg->max_message_bytes));
    endpoint.set_validate_handler([this](hdl_t h) { return on_validate(h); });
    endpoint.set_open_handler([this](hdl_t h) { on_open(h); });
    endpoint.set_close_handler([this](hdl_t h) { on_close(h); });
    endpoint.set_message_handler([this](hdl_t h, ws_server::message_ptr m) { on_message(h, m); });
    endpoint.set_pong_handler([this](hdl_t h, std::string p) {
      on_pong(h, std::move(p));
      return;
    });
    endpoint.set_http_handler([this](hdl_t h) { on_http(h); });

    asio::error_code ec;
    auto address = asio::ip::make_address(cfg->host, ec);
    if (ec) {
      log::error("gateway", "bad HOST", {{"host", cfg->host}, {"error", ec.message()}});
      return 2;
    }
    websocketpp::lib::error_code wec;
    endpoint.listen(asio::ip::tcp::endpoint(address, static_cast<unsigned short>(cfg->port)), wec);
    if (wec) {
      log::error("gateway", "cannot listen",
                 {{"port", std::to_string(cfg->port)}, {"error", wec.message()}});
      return 1;
    }
    asio::error_code lec;
    auto local = endpoint.get_local_endpoint(lec);
    endpoint.start_accept();
    signals.async_wait([this](const asio::error_code& e, int sig) {
      if (!e) shutdown();
    });
    schedule_heartbeat();
    log::info("gateway", "listening",
              {{"host", cfg->host}, {"port", std::to_string(local.port())}, {"node", cfg->node_id}});
    io.run();
    log::info("gateway", "stopped");
    return 0;
  }
};

server::server(caf::actor_system& system, std::shared_ptr<const core::config> cfg)
    : impl_(std::make_unique<impl>(system, std::move(cfg))) {}

server::~server() = default;

actors::outbox& server::outbox() { return *impl_; }

int server::run(const actors::services& svc) { return impl_->run(svc); }

}  // namespace aw::gateway
