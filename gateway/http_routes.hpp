// Bodies of the plain HTTP endpoints (PROTOCOL.md section 8). Pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "protocol/result.hpp"

namespace aw::actors {
struct stored_chart;
}

namespace aw::gateway {

struct health_figures {
  std::string node;
  std::int64_t active_connections = 0;
  std::int64_t active_users = 0;
  std::int64_t active_runs = 0;
  double uptime_s = 0;
  std::string store_backend;  // "sqlite" | "postgresql" | "none"
  bool store_up = false;
  std::int64_t render_workers = 0;  // 0: no local render pool reports (nothing to judge)
  std::int64_t render_workers_up = 0;
  std::int64_t cluster_workers = 0;  // gateway role: worker nodes configured (0: not a gateway)
  std::int64_t cluster_workers_live = 0;
  // DURABLE_LOG=1 (issue #18): the log's state, lag and size, and what start-up recovered
  bool durable_enabled = false;
  bool durable_up = true;
  std::int64_t durable_pending_events = 0;
  std::int64_t durable_pending_bytes = 0;
  std::int64_t durable_events = 0;
  std::int64_t durable_recovered_users = 0;
  std::int64_t durable_recovered_runs = 0;
  std::int64_t durable_reruns = 0;
  std::int64_t durable_takeovers = 0;
};

// "healthy", or "degraded" when the store or the durable event log is down, no render worker is up,
// or (gateway role) no worker node is live. /health answers 200 either way, so a load balancer can
// decide.
std::string health_status(const health_figures& h);

std::string health_json(const health_figures& h);

// One HTTP answer, made off the Asio thread when it needs the disk or the store.
struct http_answer {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra ones
};

// GET /livez: 200 while the process answers HTTP at all (the kubelet restarts
// it otherwise). GET /readyz: 200 when this node can serve runs; 503 with the
// reasons when the store is down, no render worker is up, no worker node is
// live (gateway role), or the server is draining (SIGTERM).
http_answer liveness_answer();
http_answer readiness_answer(const health_figures& h, bool draining);

// REST errors: {"error": message, "code": CODE}, the shape of /agui's, CODE
// named after the status (error_code_for).
http_answer json_error(int status, const std::string& message);
std::string error_json(const std::string& message, const std::string& code);
std::string error_code_for(int status);  // 404 -> "NOT_FOUND", ...

// The reason phrase of a status line ("Unprocessable Entity"); "" when unknown.
const char* http_reason(int status);

// The methods a path answers, for Allow on 405 and OPTIONS.
const char* allowed_methods_for(const std::string& path);

// GET /ws (or /ws/U/S) without a WebSocket upgrade: 426 with a hint.
http_answer upgrade_required_answer();

// "/charts/{id}" -> id, or "" when the path is not a chart path or the id is malformed.
std::string chart_id_from_path(const std::string& path);

// GET /charts/{id} for a chart found in memory or on disk (null: found nowhere).
// 404 as well when `user` (set with auth on) is not the owner, so that chart
// ids of others cannot be probed. ETag is the id (a chart never changes);
// a matching If-None-Match gets 304.
http_answer chart_answer(const std::string& id, const actors::stored_chart* chart,
                         const std::string& user, const std::string& if_none_match);

// GET /conversations/{user_id}[/{conversation_id}/messages]?limit=&before=&before_id=
struct history_route {
  enum class kind { none, conversations, messages } what = kind::none;  // none: not a history path
  std::string user_id;          // percent-decoded and checked (PROTOCOL.md section 1 charset)
  std::string conversation_id;  // messages only
  int limit = 50;               // 1..200
  std::optional<std::int64_t> before_ms;
  std::string before_id;  // with before_ms only: the tie-break of the cursor
};

constexpr int history_default_limit = 50;
constexpr int history_max_limit = 200;

// what == none: not a history path (404). A history path with a bad id,
// limit or cursor fails with VALIDATION_FAILED and why (answered 400).
result<history_route> parse_history_route(std::string_view path, std::string_view query);

}  // namespace aw::gateway
