// Service configuration: defaults, then a .env file, then the environment,
// then command-line flags (--port 9000 or --port=9000). Every value is
// validated at start; each bad value gets one clear message.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace aw::core {

struct config {
  // network
  std::string host = "127.0.0.1";  // this host only unless HOST says otherwise
  int port = 8080;
  std::string node_id = "gw-1";
  // limits (PROTOCOL.md section 5)
  int max_connections_per_user = 3;
  int max_total_connections = 15000;
  int http_response_timeout_s = 30;
  std::int64_t max_message_bytes = 1 << 20;
  int max_runs_per_user = 4;
  int max_users = 100000;  // users held in memory (sessions with their resume buffers)
  int rate_limit_requests = 60;
  int rate_limit_window_s = 60;
  int chart_generation_timeout_s = 30;
  std::int64_t max_send_queue_bytes = 4 << 20;
  int slow_consumer_grace_ms = 2000;  // over the queue limit, taking nothing for this long: 4002
  int event_buffer_events = 1024;
  int event_buffer_s = 300;
  std::int64_t event_buffer_bytes = 16 << 20;
  int event_buffer_total_mb = 1024;
  int stale_timeout_s = 120;
  int heartbeat_s = 30;
  int drain_timeout_s = 30;      // on SIGTERM: how long in-flight runs may take to finish
  // AG-UI (issue #19): what a cut POST /agui stream does to its run
  std::string agui_disconnect = "continue";  // continue (resumable) | cancel
  // work
  int render_pool_size = 0;      // 0: one gnuplot per core
  int worker_threads = 0;        // CAF scheduler threads; 0: one per core
  int max_chart_size_mb = 10;
  int chart_cache_mb = 256;      // rendered images kept for GET /charts/{id}
  int render_cache_mb = 64;      // images reused for identical render requests
  std::string gnuplot_path = "gnuplot";
  // pngcairo-fast (pngcairo + our preloaded PNG writer) | pngcairo | svg (gnuplot svg,
  // librsvg + fast_png in process)
  std::string png_path = "pngcairo-fast";
  std::string llm_provider = "builtin";  // builtin | openai
  std::string openai_api_key;            // required for openai; never logged
  std::string llm_base_url = "https://api.openai.com/v1";
  std::string llm_model = "gpt-4o-mini";
  std::string llm_ca_file;               // CA bundle for an https endpoint; empty: the system's
  int llm_timeout_s = 30;                // per HTTP attempt
  int max_retries = 3;
  int llm_max_concurrency = 1024;        // model calls in flight at once
  int llm_queue_max = 10000;             // model calls waiting beyond that
  std::int64_t llm_rpm = 0;              // calls per minute; 0: no limit
  std::int64_t llm_tpm = 0;              // tokens per minute; 0: no limit
  std::string llm_fallback = "builtin";  // builtin | none
  // security
  std::string auth_secret;       // empty: no auth (development default)
  std::string auth_audience;     // non-empty: tokens must carry this aud
  std::string auth_issuer;       // non-empty: tokens must carry this iss
  int auth_max_ttl_s = 86400;    // longest token lifetime accepted (exp - iat)
  int auth_leeway_s = 30;        // clock skew allowed on exp, nbf, iat
  std::string allowed_origins;   // comma-separated; empty: any
  std::string metrics_token;     // set: GET /metrics needs it as a Bearer token (no user JWT)
  std::string admin_token;       // set: the admin API (/admin/...) with it as a Bearer token
  // history and charts (issue #8)
  std::string data_dir = "./data";   // SQLite file and chart files live here
  std::string store_url;             // empty: SQLite under DATA_DIR; postgresql://... for clusters
  int retention_days = 30;           // history rows and chart files older than this are removed
  int chart_disk_mb = 1024;          // chart files under DATA_DIR/charts, in all (oldest go first)
  int chart_disk_user_mb = 64;       // ... and per user (the user's oldest go first)
  std::string cors_origins;          // comma-separated origins allowed by CORS; "*" any; empty: none
  // durable event log (issue #18): DATA_DIR/events.db
  int durable_log = 0;                  // 1: an event is sent only once durable; restart resumes
  int durable_log_max_pending_mb = 64;  // queued, not yet durable; over it new runs are refused
  int durable_log_fsync = 0;            // 1: synchronous=FULL (survives power loss, slower)
  int durable_lease_s = 10;  // PostgreSQL: a node's lease; expired, a survivor may take its users
  // cluster (issue #6)
  std::string role = "all";          // all | gateway | worker
  std::string workers;               // gateway: comma-separated host:port of worker nodes
  int worker_port = 9100;            // worker: port its actors are published on (0: any free)
  std::string worker_host = "127.0.0.1";  // worker: address the published actors bind to
  int worker_timeout_s = 5;          // heartbeat loss after which a worker node counts as lost
  // The cluster protocol version this node speaks (cluster/cluster.hpp); only
  // tests set another, to make nodes of different versions meet.
  int cluster_version = 2;
  // Mutual TLS between gateways and workers (issue #17): all three PEM files
  // or none. With none, a worker listens on loopback only unless
  // insecure_cluster (--insecure-cluster) is 1.
  std::string cluster_tls_cert;  // this node's certificate (chain)
  std::string cluster_tls_key;   // its private key
  std::string cluster_tls_ca;    // the CA that signs every node's certificate
  int insecure_cluster = 0;
  bool cluster_tls() const { return !cluster_tls_cert.empty(); }
  // logs
  std::string log_level = "info";  // any case; lower-cased when read
  // 1: start even when DATA_DIR is not writable or gnuplot is missing (app/preflight)
  int start_degraded = 0;
  int allow_anonymous = 0;  // 1: a non-loopback HOST without AUTH_SECRET is allowed (warned)
};

struct config_result {
  config cfg;
  std::vector<std::string> errors;    // one line per bad value
  std::vector<std::string> warnings;  // e.g. an unknown .env key that looks like a setting
  // Where each setting's value came from, by env name: "default", "environment",
  // the env file's path, or "flag --name". Every option has an entry.
  std::vector<std::pair<std::string, std::string>> sources;
  bool help = false;
};

// One line per setting for `agentwire check-config`: NAME=value  (source);
// secrets show as (set) / (unset).
std::string describe_config(const config_result& r);

// The nearest of `candidates` to `word` (at most two edits apart, and fewer
// than half its length), or "" when none is near ("PROT" -> "PORT").
std::string nearest_name(const std::string& word, const std::vector<std::string>& candidates);

// argv excludes the program name and any subcommand.
config_result load_config(const std::vector<std::string>& args, const std::string& env_file = ".env");

// WORKERS ("host:port,host:port") as a list, blanks dropped.
std::vector<std::string> split_worker_addresses(const std::string& list);

// The text of `agentwire --help`.
std::string config_help();

}  // namespace aw::core
