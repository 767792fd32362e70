// The admin API (issue #22 item 12), like Centrifugo's server API: with its
// own credential, ADMIN_TOKEN (never a user's token), an operator lists this
// node, its users and connections, reads a user's event-log position,
// disconnects a user and cancels a run. Without ADMIN_TOKEN the routes do not
// exist (404). What this node holds only: each gateway answers for its users.
//   GET  /admin/nodes                                 this node and its worker nodes
//   GET  /admin/users                                 users with a session here
//   GET  /admin/connections                           WebSocket connections here
//   GET  /admin/users/{user}                          event-log position, runs
//   POST /admin/users/{user}/disconnect               closes the user's connections (1000)
//   POST /admin/users/{user}/runs/{correlation_id}/cancel
#include <rapidjson/stringbuffer.h>

#include <chrono>
#include <vector>

#include "actors/messages.hpp"
#include "auth/jwt.hpp"
#include "core/log.hpp"
#include "core/version.hpp"
#include "encoding/json_writer.hpp"
#include "gateway/handshake.hpp"
#include "gateway/server_impl.hpp"
#include "protocol/parse.hpp"

namespace aw::gateway {
namespace {

constexpr auto session_answer_timeout = std::chrono::seconds(2);
constexpr std::size_t max_listed = 10000;  // rows per list answer

using encoding::json_writer;

http_answer json_answer(const rapidjson::StringBuffer& buf) {
  http_answer a;
  a.body = encoding::take(buf);
  a.headers.emplace_back("Cache-Control", "no-store");
  return a;
}

// "/admin/users/a/runs/c/cancel" -> {"users", "a", "runs", "c", "cancel"}; ids percent-decoded.
std::vector<std::string> segments_of(const std::string& path, bool* ok) {
  std::vector<std::string> out;
  std::string rest = path.substr(std::string("/admin/").size());
  std::size_t start = 0;
  while (start <= rest.size() && out.size() < 8) {
    auto end = rest.find('/', start);
    if (end == std::string::npos) end = rest.size();
    std::string decoded;
    if (!url_decode(rest.substr(start, end - start), false, &decoded)) *ok = false;
    out.push_back(decoded);
    start = end + 1;
  }
  return out;
}

}  // namespace

void server::impl::on_admin(const connection_ptr& con, const std::string& method,
                            const std::string& path) {
  if (cfg->admin_token.empty()) return answer(con, json_error(404, "not found: " + path));
  auto token = auth::bearer_token(con->get_request_header("Authorization"));
  if (!auth::same_secret(token.value_or(""), cfg->admin_token)) {
    auto a = json_error(401, "the admin API needs Authorization: Bearer <ADMIN_TOKEN>");
    a.headers.emplace_back("WWW-Authenticate", "Bearer");
    log::warn("admin", "admin request refused",
              {{"path", path}, {"client", con->get_remote_endpoint()}});
    return answer(con, a);
  }
  bool ok = true;
  auto seg = segments_of(path, &ok);
  if (!ok) return answer(con, json_error(400, "malformed percent-encoding in " + path));
  bool is_post = method == "POST";
  auto wrong_method = [&](const char* allow) {
    auto a = json_error(405, method + " is not allowed on " + path);
    a.headers.emplace_back("Allow", allow);
    answer(con, a);
  };
  auto user_of = [&](const std::string& id) -> const user_entry* {
    auto it = users.find(id);
    return it == users.end() ? nullptr : &it->second;
  };

  if (seg.size() == 1 && (seg[0] == "nodes" || seg[0] == "users" || seg[0] == "connections")) {
    if (is_post) return wrong_method("GET, HEAD, OPTIONS");
    rapidjson::StringBuffer buf;
    json_writer w(buf);
    w.StartObject();
    if (seg[0] == "nodes") {
      auto h = health_now();
      w.Key("nodes");
      w.StartArray();
      w.StartObject();
      w.Key("node");
      encoding::write_string(w, h.node);
      w.Key("role");
      encoding::write_string(w, cfg->role);
      w.Key("version");
      w.String(core::version);
      w.Key("status");
      encoding::write_string(w, health_status(h));
      w.Key("connections");
      w.Int64(h.active_connections);
      w.Key("users");
      w.Int64(h.active_users);
      w.Key("active_runs");
      w.Int64(h.active_runs);
      w.Key("uptime_s");
      w.Double(h.uptime_s);
      w.EndObject();
      for (const auto& addr : core::split_worker_addresses(cfg->workers)) {
        w.StartObject();
        w.Key("node");
        encoding::write_string(w, addr);
        w.Key("role");
        w.String("worker");
        w.EndObject();
      }
      w.EndArray();
      w.Key("worker_nodes_live");
      w.Int64(h.cluster_workers_live);
    } else if (seg[0] == "users") {
      w.Key("users");
      w.StartArray();
      std::size_t n = 0;
      for (const auto& [id, entry] : users) {
        if (++n > max_listed) break;
        w.StartObject();
        w.Key("user_id");
        encoding::write_string(w, id);
        w.Key("connections");
        w.Int(entry.connections());
        w.EndObject();
      }
      w.EndArray();
      w.Key("total");
      w.Uint64(users.size());
    } else {
      w.Key("connections");
      w.StartArray();
      std::size_t n = 0;
      for (const auto& [id, c] : conns) {
        if (++n > max_listed) break;
        w.StartObject();
        w.Key("id");
        w.Uint64(id);
        w.Key("user_id");
        encoding::write_string(w, c->user_id);
        w.Key("session_id");
        encoding::write_string(w, c->session_id);
        w.Key("remote");
        std::string remote = c->get_remote_endpoint();
        encoding::write_string(w, remote);
        w.Key("pending_frames");
        w.Uint64(c->pending.size());
        w.EndObject();
      }
      w.EndArray();
      w.Key("total");
      w.Uint64(conns.size());
    }
    w.EndObject();
    return answer(con, json_answer(buf));
  }

  if (seg.size() >= 2 && seg[0] == "users") {
    const std::string& user = seg[1];
    if (!protocol::is_valid_id(user))
      return answer(con, json_error(400, protocol::invalid_id_message("user_id")));
    const user_entry* entry = user_of(user);
    if (seg.size() == 2) {
      if (is_post) return wrong_method("GET, HEAD, OPTIONS");
      if (!entry)
        return answer(con, json_error(404, "no session of user " + user + " on this node"));
      caf::actor session = entry->session;
      // The session answers on its own actor; wait for it on a query worker.
      return answer_later(con, [this, session, user] {
        std::string body;
        caf::scoped_actor self{system};
        self->request(session, session_answer_timeout, actors::admin_info_atom::value)
            .receive([&](std::string& info) { body = std::move(info); }, [&](caf::error&) {});
        if (body.empty()) return json_error(503, "the session of " + user + " did not answer");
        http_answer a;
        a.body = std::move(body);
        a.headers.emplace_back("Cache-Control", "no-store");
        return a;
      });
    }
    if (seg.size() == 3 && seg[2] == "disconnect") {
      if (!is_post) return wrong_method("POST, OPTIONS");
      std::vector<connection_ptr> of_user;
      for (const auto& [id, c] : conns)
        if (c->user_id == user) of_user.push_back(c);
      for (const auto& c : of_user) close_connection(c, 1000, "disconnected by an operator");
      log::info("admin", "user disconnected",
                {{"user", user}, {"connections", std::to_string(of_user.size())}});
      rapidjson::StringBuffer buf;
      json_writer w(buf);
      w.StartObject();
      w.Key("disconnected");
      w.Uint64(of_user.size());
      w.EndObject();
      return answer(con, json_answer(buf));
    }
    if (seg.size() == 5 && seg[2] == "runs" && seg[4] == "cancel") {
      if (!is_post) return wrong_method("POST, OPTIONS");
      const std::string& cid = seg[3];
      if (!protocol::is_valid_id(cid))
        return answer(con, json_error(400, protocol::invalid_id_message("correlation_id")));
      if (!entry)
        return answer(con, json_error(404, "no session of user " + user + " on this node"));
      caf::actor session = entry->session;
      return answer_later(con, [this, session, user, cid] {
        int found = -1;
        caf::scoped_actor self{system};
        self->request(session, session_answer_timeout, actors::admin_cancel_atom::value, cid)
            .receive([&](bool cancelled) { found = cancelled ? 1 : 0; }, [&](caf::error&) {});
        if (found < 0) return json_error(503, "the session of " + user + " did not answer");
        if (found == 0)
          return json_error(404, "no running run of " + user + " has correlation_id " + cid);
        log::info("admin", "run cancelled", {{"user", user}, {"correlation_id", cid}});
        http_answer a;
        a.body = R"({"cancelled":true})";
        return a;
      });
    }
  }
  answer(con, json_error(404, "not found: " + path));
}

}  // namespace aw::gateway
