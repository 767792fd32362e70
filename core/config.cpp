#include "core/config.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>

namespace aw::core {
namespace {

// 127.0.0.0/8 and ::1.
bool is_loopback_address(const std::string& host) {
  unsigned char addr[16];
  if (inet_pton(AF_INET, host.c_str(), addr) == 1) return addr[0] == 127;
  if (inet_pton(AF_INET6, host.c_str(), addr) == 1) {
    for (int k = 0; k < 15; ++k)
      if (addr[k] != 0) return false;
    return addr[15] == 1;
  }
  return false;
}

}  // namespace

namespace {

// One configurable value: its env name, flag, range and where it lives in `config`.
struct option {
  const char* env;
  const char* flag;
  const char* help;
  std::int64_t min;
  std::int64_t max;
  std::function<void(config&, std::int64_t)> set_int;     // integer options
  std::function<void(config&, const std::string&)> set_str;  // string options
  std::function<std::string(const config&)> show;
};

template <class T>
option int_opt(const char* env, const char* flag, const char* help, std::int64_t min,
               std::int64_t max, T config::*member) {
  return option{env,
                flag,
                help,
                min,
                max,
                [member](config& c, std::int64_t v) { c.*member = static_cast<T>(v); },
                nullptr,
                [member](const config& c) { return std::to_string(c.*member); }};
}

option str_opt(const char* env, const char* flag, const char* help, std::string config::*member,
               bool secret = false) {
  return option{env,
                flag,
                help,
                0,
                0,
                nullptr,
                [member](config& c, const std::string& v) { c.*member = v; },
                [member, secret](const config& c) {
                  if (secret) return std::string(c.*member).empty() ? std::string("(unset)")
                                                                   : std::string("(set)");
                  return c.*member;
                }};
}

const std::vector<option>& options() {
  static const std::vector<option> all = {
      str_opt("HOST", "--host", "address to listen on (0.0.0.0: every interface)", &config::host),
      int_opt("PORT", "--port", "TCP port for WebSocket and HTTP (1024..65535; 0: any free port, for tests)", 0, 65535, &config::port),
      str_opt("NODE_ID", "--node-id", "name of this node in connection_ack and /health",
              &config::node_id),
      int_opt("MAX_CONNECTIONS_PER_USER", "--max-connections-per-user",
              "open connections per user; the oldest is closed with 4000", 1, 100,
              &config::max_connections_per_user),
      int_opt("MAX_TOTAL_CONNECTIONS", "--max-total-connections",
              "open connections in all; HTTP 503 beyond", 1, 1000000,
              &config::max_total_connections),
      int_opt("HTTP_RESPONSE_TIMEOUT_S", "--http-response-timeout-s",
              "an HTTP answer (history page, chart file) not taken by then is cut", 1, 3600,
              &config::http_response_timeout_s),
      int_opt("MAX_MESSAGE_BYTES", "--max-message-bytes", "largest client frame; close 1009 beyond",
              1024, 64 << 20, &config::max_message_bytes),
      int_opt("MAX_RUNS_PER_USER", "--max-runs-per-user", "concurrent runs per user", 1, 1000,
              &config::max_runs_per_user),
      int_opt("MAX_USERS", "--max-users",
              "users held in memory (each with its resume buffer); a new one beyond gets HTTP 503",
              1, 10000000, &config::max_users),
      int_opt("RATE_LIMIT_REQUESTS", "--rate-limit-requests", "requests per window per user", 1,
              1000000, &config::rate_limit_requests),
      int_opt("RATE_LIMIT_WINDOW_S", "--rate-limit-window-s", "rate limit window in seconds", 1,
              86400, &config::rate_limit_window_s),
      int_opt("CHART_GENERATION_TIMEOUT_S", "--chart-generation-timeout-s",
              "a run longer than this ends with status timeout", 5, 300,
              &config::chart_generation_timeout_s),
      int_opt("MAX_SEND_QUEUE_BYTES", "--max-send-queue-bytes",
              "unsent bytes per connection over which a client that takes nothing for "
              "SLOW_CONSUMER_GRACE_MS is closed with 4002 (at once over 4x)",
              64 << 10, 1LL << 30, &config::max_send_queue_bytes),
      int_opt("SLOW_CONSUMER_GRACE_MS", "--slow-consumer-grace-ms",
              "how long a connection over MAX_SEND_QUEUE_BYTES may take no bytes before 4002", 0,
              600000, &config::slow_consumer_grace_ms),
      int_opt("EVENT_BUFFER_EVENTS", "--event-buffer-events", "events kept per user for resume",
              16, 1000000, &config::event_buffer_events),
      int_opt("EVENT_BUFFER_S", "--event-buffer-s", "seconds events are kept per user for resume",
              10, 86400, &config::event_buffer_s),
      int_opt("EVENT_BUFFER_BYTES", "--event-buffer-bytes", "bytes of events kept per user", 1 << 20,
              1LL << 32, &config::event_buffer_bytes),
      int_opt("EVENT_BUFFER_TOTAL_MB", "--event-buffer-total-mb",
              "MB of events kept for resume, all users together; over it, a user who adds "
              "events drops their own oldest first",
              1, 1 << 20, &config::event_buffer_total_mb),
      int_opt("STALE_TIMEOUT_S", "--stale-timeout-s", "close 4001 after this long without traffic",
              5, 86400, &config::stale_timeout_s),
      int_opt("HEARTBEAT_S", "--heartbeat-s", "WebSocket ping interval", 1, 3600,
              &config::heartbeat_s),
      int_opt("DRAIN_TIMEOUT_S", "--drain-timeout-s",
              "on SIGTERM/SIGINT, how long in-flight runs may still finish", 0, 600,
              &config::drain_timeout_s),
      str_opt("AGUI_DISCONNECT", "--agui-disconnect",
              "a cut POST /agui stream: continue (the run goes on; resume with GET "
              "/agui/runs/{runId}/events) | cancel (the run is cancelled)",
              &config::agui_disconnect),
      int_opt("RENDER_POOL_SIZE", "--render-pool-size", "gnuplot processes (0: one per core)", 0,
              64, &config::render_pool_size),
      int_opt("WORKER_THREADS", "--worker-threads", "actor scheduler threads (0: one per core)", 0,
              256, &config::worker_threads),
      int_opt("MAX_CHART_SIZE_MB", "--max-chart-size-mb",
              "a rendered image larger than this fails the run with RENDER_FAILED", 1, 100,
              &config::max_chart_size_mb),
      int_opt("CHART_CACHE_MB", "--chart-cache-mb", "memory for images served by /charts/{id}", 1,
              65536, &config::chart_cache_mb),
      int_opt("RENDER_CACHE_MB", "--render-cache-mb",
              "memory for reusing images of identical requests (0: off)", 0, 65536,
              &config::render_cache_mb),
      str_opt("GNUPLOT_PATH", "--gnuplot-path", "gnuplot executable", &config::gnuplot_path),
      str_opt("PNG_PATH", "--png-path",
              "how PNG charts are made: pngcairo (gnuplot's pngcairo terminal) | svg (gnuplot "
              "writes SVG, drawn and encoded in process: 1.5x less CPU, larger files)",
              &config::png_path),
      str_opt("LLM_PROVIDER", "--llm-provider",
              "builtin (offline) | openai (any OpenAI-compatible endpoint)",
              &config::llm_provider),
      str_opt("OPENAI_API_KEY", "--openai-api-key", "API key; required for LLM_PROVIDER=openai",
              &config::openai_api_key, true),
      str_opt("LLM_BASE_URL", "--llm-base-url", "OpenAI-compatible API base URL",
              &config::llm_base_url),
      str_opt("LLM_MODEL", "--llm-model", "model name sent to the endpoint", &config::llm_model),
      str_opt("LLM_CA_FILE", "--llm-ca-file",
              "PEM file of the CA(s) for an https:// endpoint (empty: the system's)",
              &config::llm_ca_file),
      int_opt("LLM_TIMEOUT_S", "--llm-timeout-s", "seconds per model call attempt", 1, 300,
              &config::llm_timeout_s),
      int_opt("MAX_RETRIES", "--max-retries", "retries of a model call on 429/5xx/timeouts", 0,
              10, &config::max_retries),
      int_opt("LLM_MAX_CONCURRENCY", "--llm-max-concurrency",
              "model calls in flight at once (one client thread drives them all)", 1, 100000,
              &config::llm_max_concurrency),
      int_opt("LLM_QUEUE_MAX", "--llm-queue-max",
              "model calls waiting for a slot; a call beyond it fails or falls back at once", 0,
              1000000, &config::llm_queue_max),
      int_opt("LLM_RPM", "--llm-rpm", "model calls started per minute at most (0: no limit)", 0,
              10000000, &config::llm_rpm),
      int_opt("LLM_TPM", "--llm-tpm",
              "model tokens per minute at most, prompt and completion (0: no limit)", 0,
              1000000000, &config::llm_tpm),
      str_opt("LLM_FALLBACK", "--llm-fallback",
              "when the model stays down: builtin (answer offline) | none (LLM_UNAVAILABLE)",
              &config::llm_fallback),
      str_opt("AUTH_SECRET", "--auth-secret", "HS256 secret; empty: no auth", &config::auth_secret,
              true),
      str_opt("AUTH_AUDIENCE", "--auth-audience", "tokens must carry this aud (empty: not checked)",
              &config::auth_audience),
      str_opt("AUTH_ISSUER", "--auth-issuer", "tokens must carry this iss (empty: not checked)",
              &config::auth_issuer),
      int_opt("AUTH_MAX_TTL_S", "--auth-max-ttl-s",
              "longest token lifetime accepted, exp - iat (or exp - now without iat)", 60,
              31536000, &config::auth_max_ttl_s),
      int_opt("AUTH_LEEWAY_S", "--auth-leeway-s", "clock skew allowed on a token's exp, nbf, iat",
              0, 300, &config::auth_leeway_s),
      str_opt("ALLOWED_ORIGINS", "--allowed-origins", "comma-separated Origin allow-list",
              &config::allowed_origins),
      str_opt("METRICS_TOKEN", "--metrics-token",
              "set: GET /metrics needs Authorization: Bearer <this> (a user's token does not do)",
              &config::metrics_token, true),
      str_opt("ADMIN_TOKEN", "--admin-token",
              "set: the admin API (/admin/...: nodes, users, connections, disconnect, cancel) "
              "with Authorization: Bearer <this>; unset: no admin API",
              &config::admin_token, true),
      str_opt("DATA_DIR", "--data-dir", "directory for the SQLite history and chart files",
              &config::data_dir),
      str_opt("STORE_URL", "--store-url",
              "history store: empty for SQLite under DATA_DIR, or postgresql://user@host/db",
              &config::store_url, true),
      int_opt("RETENTION_DAYS", "--retention-days",
              "history and chart files older than this many days are removed", 1, 36500,
              &config::retention_days),
      int_opt("DURABLE_LOG", "--durable-log",
              "1: a durable event log under DATA_DIR (events.db); an event is sent once it is "
              "durable, and a restart on the same DATA_DIR resumes every user (same epoch)",
              0, 1, &config::durable_log),
      int_opt("DURABLE_LOG_MAX_PENDING_MB", "--durable-log-max-pending-mb",
              "MB of events queued for the durable log and not yet written; over it new runs "
              "are refused (RATE_LIMITED) while runs in flight finish",
              1, 65536, &config::durable_log_max_pending_mb),
      int_opt("DURABLE_LOG_FSYNC", "--durable-log-fsync",
              "1: fsync each durable-log commit (survives power loss; slower); 0: survives the "
              "process dying",
              0, 1, &config::durable_log_fsync),
      int_opt("DURABLE_LEASE_SECONDS", "--durable-lease-seconds",
              "with DURABLE_LOG=1 and a postgresql STORE_URL: the node's lease, renewed every "
              "third of it; a user whose node's lease has expired is taken over by the gateway "
              "it connects to",
              2, 3600, &config::durable_lease_s),
      int_opt("CHART_DISK_MB", "--chart-disk-mb",
              "disk for chart files under DATA_DIR/charts, in all (the oldest charts go first)", 1,
              1048576, &config::chart_disk_mb),
      int_opt("CHART_DISK_USER_MB", "--chart-disk-user-mb",
              "disk for one user's chart files (that user's oldest charts go first)", 1, 1048576,
              &config::chart_disk_user_mb),
      str_opt("CORS_ORIGINS", "--cors-origins",
              "comma-separated origins allowed to call the HTTP API from a browser (* for any)",
              &config::cors_origins),
      str_opt("ROLE", "--role", "all (one process) | gateway | worker", &config::role),
      str_opt("WORKERS", "--workers", "gateway: comma-separated host:port of worker nodes",
              &config::workers),
      int_opt("WORKER_PORT", "--listen", "worker: TCP port to publish its actors on", 0, 65535,
              &config::worker_port),
      str_opt("WORKER_HOST", "--worker-host", "worker: address to publish its actors on",
              &config::worker_host),
      int_opt("WORKER_TIMEOUT_S", "--worker-timeout-s",
              "seconds without a heartbeat after which a worker node counts as lost", 1, 300,
              &config::worker_timeout_s),
      int_opt("CLUSTER_VERSION", "--cluster-version",
              "cluster protocol version this node speaks; for tests of a version mismatch", 1,
              1000000, &config::cluster_version),
      str_opt("CLUSTER_TLS_CERT", "--cluster-tls-cert",
              "PEM certificate of this node for mutual TLS between cluster nodes",
              &config::cluster_tls_cert),
      str_opt("CLUSTER_TLS_KEY", "--cluster-tls-key", "PEM private key of CLUSTER_TLS_CERT",
              &config::cluster_tls_key),
      str_opt("CLUSTER_TLS_CA", "--cluster-tls-ca",
              "PEM CA certificate; only peers whose certificate it signed are let in",
              &config::cluster_tls_ca),
      int_opt("INSECURE_CLUSTER", "--insecure-cluster",
              "1: a worker may listen on a non-loopback WORKER_HOST without TLS (the flag alone "
              "means 1)",
              0, 1, &config::insecure_cluster),
      str_opt("LOG_LEVEL", "--log-level", "debug | info | warn | error (any case)", &config::log_level),
      int_opt("ALLOW_ANONYMOUS", "--allow-anonymous",
              "1: serve a non-loopback HOST without AUTH_SECRET (anyone may be any user; logged "
              "loudly)",
              0, 1, &config::allow_anonymous),
      int_opt("START_DEGRADED", "--start-degraded",
              "1: start even when DATA_DIR is not writable or gnuplot is missing (the flag alone "
              "means 1)",
              0, 1, &config::start_degraded),
  };
  return all;
}

std::string trim(const std::string& s) {
  auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  auto e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

struct dotenv {
  std::map<std::string, std::string> values;
  std::vector<std::string> keys;      // in file order, each once
  std::vector<std::string> problems;  // "FILE:LINE: what is wrong"
};

// A dotenv file as such files are written: `KEY=value`, `export KEY=value`,
// blank lines and `# comments`; a value in double quotes (with \n \t \" \\ as
// escapes) or single quotes (literal), optionally followed by `# comment`;
// an unquoted value ends at a ` #` comment and is trimmed.
dotenv read_env_file(const std::string& path) {
  dotenv out;
  std::ifstream in(path);
  std::string line;
  int number = 0;
  auto problem = [&](const std::string& what) {
    out.problems.push_back(path + ":" + std::to_string(number) + ": " + what);
  };
  while (std::getline(in, line)) {
    ++number;
    line = trim(line);
    if (line.empty() || line[0] == '#') continue;
    if (line.rfind("export ", 0) == 0) line = trim(line.substr(7));
    auto eq = line.find('=');
    if (eq == std::string::npos) {
      problem("'" + line.substr(0, 60) + "' is not KEY=value");
      continue;
    }
    std::string key = trim(line.substr(0, eq));
    std::string rest = trim(line.substr(eq + 1));
    std::string value;
    std::size_t after = rest.size();  // where what follows a quoted value starts
    if (!rest.empty() && (rest[0] == '"' || rest[0] == '\'')) {
      char quote = rest[0];
      std::size_t i = 1;
      bool closed = false;
      for (; i < rest.size(); ++i) {
        char c = rest[i];
        if (c == quote) {
          closed = true;
          break;
        }
        if (quote == '"' && c == '\\' && i + 1 < rest.size()) {
          char n = rest[++i];
          value += n == 'n' ? '\n' : n == 't' ? '\t' : n == 'r' ? '\r' : n;
          continue;
        }
        value += c;
      }
      if (!closed) {
        problem(key + ": the value's " + std::string(1, quote) + " quote is not closed");
        continue;
      }
      after = i + 1;
      std::string tail = trim(rest.substr(after));
      if (!tail.empty() && tail[0] != '#') {
        problem(key + ": text after the closing quote: '" + tail.substr(0, 40) + "'");
        continue;
      }
    } else {
      // A '#' starts a comment at the start of the value or after a blank.
      std::size_t hash = std::string::npos;
      for (std::size_t i = 0; i < rest.size(); ++i)
        if (rest[i] == '#' && (i == 0 || rest[i - 1] == ' ' || rest[i - 1] == '\t')) {
          hash = i;
          break;
        }
      value = trim(rest.substr(0, hash));
    }
    if (!out.values.count(key)) out.keys.push_back(key);
    out.values[key] = value;
  }
  return out;
}

// Optimal string alignment distance (a swap of two neighbours is one edit).
std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i)
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.size()][b.size()];
}

std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

void apply(const option& opt, const std::string& raw, const std::string& source, config& cfg,
           std::vector<std::string>& errors) {
  if (opt.set_str) {
    opt.set_str(cfg, raw);
    return;
  }
  errno = 0;
  char* end = nullptr;
  long long v = std::strtoll(raw.c_str(), &end, 10);
  if (raw.empty() || errno != 0 || *end != '\0') {
    errors.push_back(source + ": '" + raw + "' is not an integer");
    return;
  }
  if (v < opt.min || v > opt.max) {
    errors.push_back(source + ": " + raw + " is out of range " + std::to_string(opt.min) + ".." +
                     std::to_string(opt.max));
    return;
  }
  opt.set_int(cfg, v);
}

// "" when every comma-separated item of `list` is host:port.
std::string first_bad_worker_address(const std::string& list) {
  for (const auto& item : split_worker_addresses(list)) {
    auto colon = item.rfind(':');
    if (colon == std::string::npos || colon == 0) return item;
    auto port = item.substr(colon + 1);
    if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != port.npos ||
        std::stoi(port) < 1 || std::stoi(port) > 65535)
      return item;
  }
  return "";
}

// Cluster TLS: all three files or none, each readable; a worker on a
// non-loopback address needs TLS unless INSECURE_CLUSTER=1. (That the files
// hold a certificate, its key and a CA is checked by cluster/tls_files.)
void validate_cluster_tls(const config& cfg, std::vector<std::string>& errors) {
  const std::pair<const char*, const std::string*> files[] = {
      {"CLUSTER_TLS_CERT", &cfg.cluster_tls_cert},
      {"CLUSTER_TLS_KEY", &cfg.cluster_tls_key},
      {"CLUSTER_TLS_CA", &cfg.cluster_tls_ca}};
  int set = 0;
  for (const auto& [name, path] : files) set += path->empty() ? 0 : 1;
  if (set != 0 && set != 3) {
    std::string missing;
    for (const auto& [name, path] : files)
      if (path->empty()) missing += (missing.empty() ? "" : ", ") + std::string(name);
    errors.push_back("CLUSTER_TLS_CERT, CLUSTER_TLS_KEY and CLUSTER_TLS_CA: set all three or "
                     "none (" + missing + " not set)");
    return;
  }
  if (set == 3)
    for (const auto& [name, path] : files)
      if (!std::ifstream(*path).good())
        errors.push_back(std::string(name) + ": '" + *path + "' cannot be read");
  if (cfg.role == "worker" && set == 0 && !cfg.insecure_cluster &&
      !is_loopback_address(cfg.worker_host) && cfg.worker_host != "localhost")
    errors.push_back("WORKER_HOST: listening on " + cfg.worker_host +
                     " without TLS would let anyone who reaches the port run steps on this "
                     "worker (and spend its model quota); set CLUSTER_TLS_CERT, CLUSTER_TLS_KEY "
                     "and CLUSTER_TLS_CA (deploy/make-dev-ca.sh makes a development CA), listen "
                     "on 127.0.0.1, or pass --insecure-cluster");
}

void validate(config& cfg, std::vector<std::string>& errors) {
  for (auto& c : cfg.log_level) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (cfg.log_level != "debug" && cfg.log_level != "info" && cfg.log_level != "warn" &&
      cfg.log_level != "error")
    errors.push_back("LOG_LEVEL: '" + cfg.log_level + "' is not one of debug, info, warn, error");
  if (cfg.llm_provider != "builtin" && cfg.llm_provider != "openai")
    errors.push_back("LLM_PROVIDER: '" + cfg.llm_provider + "' is not one of builtin, openai");
  if (cfg.llm_provider == "openai" && cfg.openai_api_key.empty())
    errors.push_back(
        "OPENAI_API_KEY: must be set for LLM_PROVIDER=openai (any non-empty value for a local "
        "server that needs no key)");
  if (cfg.llm_base_url.rfind("http://", 0) != 0 && cfg.llm_base_url.rfind("https://", 0) != 0)
    errors.push_back("LLM_BASE_URL: '" + cfg.llm_base_url +
                     "' must start with http:// or https://");
  if (cfg.llm_model.empty() || cfg.llm_model.size() > 200)
    errors.push_back("LLM_MODEL: must be 1..200 characters");
  if (!cfg.llm_ca_file.empty() && !std::ifstream(cfg.llm_ca_file).good())
    errors.push_back("LLM_CA_FILE: '" + cfg.llm_ca_file + "' cannot be read");
  {
    // The largest frame (a chart at MAX_CHART_SIZE_MB as base64, plus the
    // response around it) must fit under the 4x limit, or every such run
    // would close its connection with 4002.
    std::int64_t frame = (static_cast<std::int64_t>(cfg.max_chart_size_mb) << 20) * 4 / 3 +
                         (256 << 10);
    if (frame > 4 * cfg.max_send_queue_bytes)
      errors.push_back("MAX_SEND_QUEUE_BYTES: " + std::to_string(cfg.max_send_queue_bytes) +
                       " is too small for one chart of MAX_CHART_SIZE_MB=" +
                       std::to_string(cfg.max_chart_size_mb) + " (a frame of up to " +
                       std::to_string(frame) + " bytes must fit under 4x MAX_SEND_QUEUE_BYTES)");
  }
  if (!cfg.auth_secret.empty() && cfg.auth_secret.size() < 32)
    errors.push_back("AUTH_SECRET: " + std::to_string(cfg.auth_secret.size()) +
                     " bytes is too short to sign tokens safely; use at least 32 random bytes "
                     "(e.g. openssl rand -hex 32)");
  if (cfg.png_path != "svg" && cfg.png_path != "pngcairo")
    errors.push_back("PNG_PATH: '" + cfg.png_path + "' is not one of svg, pngcairo");
  if (cfg.agui_disconnect != "continue" && cfg.agui_disconnect != "cancel")
    errors.push_back("AGUI_DISCONNECT: '" + cfg.agui_disconnect +
                     "' is not one of continue, cancel");
  if (cfg.llm_fallback != "builtin" && cfg.llm_fallback != "none")
    errors.push_back("LLM_FALLBACK: '" + cfg.llm_fallback + "' is not one of builtin, none");
  if (cfg.node_id.empty() || cfg.node_id.size() > 64)
    errors.push_back("NODE_ID: must be 1..64 characters");
  if (cfg.host.empty()) {
    errors.push_back("HOST: must not be empty");
  } else {
    unsigned char addr[16];
    if (inet_pton(AF_INET, cfg.host.c_str(), addr) != 1 &&
        inet_pton(AF_INET6, cfg.host.c_str(), addr) != 1)
      errors.push_back("HOST: '" + cfg.host +
                       "' is not an IP address; use 127.0.0.1 (this host only), ::1, or 0.0.0.0 "
                       "(every interface)");
    else if (cfg.role != "worker" && cfg.auth_secret.empty() && !cfg.allow_anonymous &&
             !is_loopback_address(cfg.host))
      errors.push_back("HOST: listening on " + cfg.host +
                       " without AUTH_SECRET would let anyone on the network act as any user; "
                       "set AUTH_SECRET, listen on 127.0.0.1, or set ALLOW_ANONYMOUS=1");
  }
  if (cfg.role != "all" && cfg.role != "gateway" && cfg.role != "worker")
    errors.push_back("ROLE: '" + cfg.role + "' is not one of all, gateway, worker");
  if (cfg.role == "gateway" && cfg.workers.empty())
    errors.push_back("WORKERS: a gateway needs at least one worker (--workers host:port,...)");
  if (cfg.role == "gateway") {
    std::string bad = first_bad_worker_address(cfg.workers);
    if (!bad.empty()) errors.push_back("WORKERS: '" + bad + "' is not host:port (port 1..65535)");
  }
  validate_cluster_tls(cfg, errors);
  if (cfg.data_dir.empty()) errors.push_back("DATA_DIR: must not be empty");
  if (!cfg.store_url.empty() && cfg.store_url.rfind("postgresql://", 0) != 0 &&
      cfg.store_url.rfind("postgres://", 0) != 0 && cfg.store_url.rfind("sqlite:", 0) != 0)
    errors.push_back("STORE_URL: must start with postgresql://, postgres:// or sqlite:");
  if (cfg.port != 0 && cfg.port < 1024)
    errors.push_back("PORT: " + std::to_string(cfg.port) + " is out of range 1024..65535 (or 0)");
}

}  // namespace

std::vector<std::string> split_worker_addresses(const std::string& list) {
  std::vector<std::string> out;
  std::stringstream in(list);
  std::string item;
  while (std::getline(in, item, ',')) {
    item = trim(item);
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

std::string nearest_name(const std::string& word, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_d = 3;  // at most two edits
  for (const auto& c : candidates) {
    std::size_t d = edit_distance(upper(word), upper(c));
    if (d < best_d && d * 2 < word.size()) {
      best = c;
      best_d = d;
    }
  }
  return best;
}

config_result load_config(const std::vector<std::string>& args, const std::string& env_file) {
  config_result result;
  auto file = read_env_file(env_file);
  for (const auto& p : file.problems) result.errors.push_back(p);
  std::map<std::string, std::string> source;
  std::vector<std::string> env_names;
  std::vector<std::string> flag_names;
  for (const auto& opt : options()) {
    env_names.push_back(opt.env);
    flag_names.push_back(opt.flag);
    source[opt.env] = "default";
    if (const char* v = std::getenv(opt.env)) {
      apply(opt, v, opt.env, result.cfg, result.errors);
      source[opt.env] = "environment";
    } else if (auto it = file.values.find(opt.env); it != file.values.end()) {
      apply(opt, it->second, std::string(env_file) + ": " + opt.env, result.cfg, result.errors);
      source[opt.env] = env_file;
    }
  }
  // A key of the file that is no setting: a typo when it is near one.
  for (const auto& key : file.keys) {
    if (source.count(key)) continue;
    std::string near = nearest_name(key, env_names);
    if (!near.empty())
      result.warnings.push_back(env_file + ": " + key +
                                " is not a setting (ignored); did you mean " + near + "?");
  }
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string arg = args[i];
    if (arg == "--help" || arg == "-h") {
      result.help = true;
      continue;
    }
    std::string value;
    bool has_value = false;
    if (auto eq = arg.find('='); eq != std::string::npos) {
      value = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
      has_value = true;
    }
    const option* found = nullptr;
    for (const auto& opt : options())
      if (arg == opt.flag) found = &opt;
    if (!found) {
      std::string near = nearest_name(arg, flag_names);
      result.errors.push_back("unknown argument '" + args[i] + "'" +
                              (near.empty() ? "" : " (did you mean " + near + "?)") +
                              " (see --help)");
      // Its value, if it has one, is not a second mistake.
      if (!has_value && i + 1 < args.size() && args[i + 1].rfind("-", 0) != 0) ++i;
      continue;
    }
    // Switches: the flag alone means 1.
    if (!has_value && (arg == "--start-degraded" || arg == "--insecure-cluster")) {
      value = "1";
      has_value = true;
    }
    if (!has_value) {
      if (i + 1 >= args.size()) {
        result.errors.push_back(arg + " needs a value");
        continue;
      }
      value = args[++i];
    }
    apply(*found, value, arg + " (" + found->env + ")", result.cfg, result.errors);
    source[found->env] = "flag " + arg;
  }
  validate(result.cfg, result.errors);
  for (const auto& opt : options()) result.sources.emplace_back(opt.env, source[opt.env]);
  return result;
}

std::string describe_config(const config_result& r) {
  std::ostringstream out;
  for (const auto& opt : options()) {
    std::string where;
    for (const auto& [name, from] : r.sources)
      if (name == opt.env) where = from;
    std::string line = std::string(opt.env) + "=" + opt.show(r.cfg);
    out << line;
    for (std::size_t n = line.size(); n < 44; ++n) out << ' ';
    out << " (" << where << ")\n";
  }
  return out.str();
}

namespace {

// --help's sections: the env name of each section's first option.
const std::map<std::string, const char*>& help_sections() {
  static const std::map<std::string, const char*> sections = {
      {"HOST", "Network"},
      {"MAX_CONNECTIONS_PER_USER", "Limits (PROTOCOL.md section 5)"},
      {"RENDER_POOL_SIZE", "Rendering and scheduling"},
      {"GNUPLOT_PATH", "Rendering and scheduling"},
      {"LLM_PROVIDER", "Model"},
      {"AUTH_SECRET", "Security"},
      {"DATA_DIR", "History and charts"},
      {"CORS_ORIGINS", "Browsers (CORS)"},
      {"ROLE", "Cluster"},
      {"LOG_LEVEL", "Logs and start-up"},
  };
  return sections;
}

}  // namespace

std::string config_help() {
  std::ostringstream out;
  out << "agentwire: streams AI agent runs to chat frontends over WebSocket\n\n"
         "usage: agentwire [flags]                  run the service\n"
         "       agentwire check-config [flags]     print the effective settings and their source\n"
         "       agentwire check-token TOKEN        verify a token with AUTH_SECRET\n"
         "       agentwire token --user U [--ttl S]  a test JWT signed with AUTH_SECRET\n"
         "       agentwire render --all --out DIR   render every chart type (PNG and SVG)\n"
         "       agentwire render --bench N         charts/s through the render pool (both PNG paths)\n"
         "       agentwire version | --version      the version\n\n"
         "Every flag has an environment variable (also read from ./.env); flags win over\n"
         "the environment, which wins over .env.\n";
  config defaults;
  std::string current;
  for (const auto& opt : options()) {
    if (auto it = help_sections().find(opt.env);
        it != help_sections().end() && current != it->second) {
      current = it->second;
      out << "\n" << current << ":\n";
    }
    out << "  " << opt.flag;
    for (std::size_t n = std::string(opt.flag).size(); n < 30; ++n) out << ' ';
    out << opt.env << "\n      " << opt.help;
    // PORT states its own range (0 or 1024..65535).
    if (opt.set_int && std::string(opt.env) != "PORT")
      out << " (" << opt.min << ".." << opt.max << ")";
    out << "; default " << (opt.show(defaults).empty() ? "\"\"" : opt.show(defaults)) << "\n";
  }
  return out.str();
}

}  // namespace aw::core
