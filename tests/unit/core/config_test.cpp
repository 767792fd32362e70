#include <doctest/doctest.h>

#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "core/config.hpp"

using aw::core::load_config;

TEST_CASE("defaults are the protocol's") {
  auto r = load_config({}, "/nonexistent.env");
  REQUIRE(r.errors.empty());
  CHECK(r.cfg.port == 8080);
  CHECK(r.cfg.max_connections_per_user == 3);
  CHECK(r.cfg.max_total_connections == 15000);
  CHECK(r.cfg.max_message_bytes == 1 << 20);
  CHECK(r.cfg.max_runs_per_user == 4);
  CHECK(r.cfg.rate_limit_requests == 60);
  CHECK(r.cfg.chart_generation_timeout_s == 30);
  CHECK(r.cfg.max_send_queue_bytes == 4 << 20);
  CHECK(r.cfg.event_buffer_events == 1024);
  CHECK(r.cfg.stale_timeout_s == 120);
  CHECK(r.cfg.heartbeat_s == 30);
}

TEST_CASE("flags win over the environment, both forms of flags work") {
  setenv("MAX_RUNS_PER_USER", "7", 1);
  auto r = load_config({"--port", "9001", "--max-connections-per-user=5"}, "/nonexistent.env");
  unsetenv("MAX_RUNS_PER_USER");
  REQUIRE(r.errors.empty());
  CHECK(r.cfg.port == 9001);
  CHECK(r.cfg.max_connections_per_user == 5);
  CHECK(r.cfg.max_runs_per_user == 7);
}

TEST_CASE("every bad value gets its own message") {
  auto r = load_config({"--port", "80", "--chart-generation-timeout-s", "301", "--heartbeat-s",
                        "abc", "--nope=1", "--log-level", "loud"},
                       "/nonexistent.env");
  REQUIRE(r.errors.size() == 5);
  CHECK(r.errors[0].find("--chart-generation-timeout-s") != std::string::npos);
  bool port_named = false;
  for (const auto& e : r.errors) port_named |= e.find("PORT") != std::string::npos;
  CHECK(port_named);
}

TEST_CASE("help lists every environment variable") {
  auto help = aw::core::config_help();
  for (const char* name : {"PORT", "MAX_CONNECTIONS_PER_USER", "CHART_GENERATION_TIMEOUT_S",
                           "EVENT_BUFFER_BYTES", "AUTH_SECRET", "LOG_LEVEL"})
    CHECK_MESSAGE(help.find(name) != std::string::npos, name);
}

TEST_CASE("PNG_PATH: pngcairo-fast by default, pngcairo or svg on request, nothing else") {
  auto r = load_config({}, "/nonexistent.env");
  REQUIRE(r.errors.empty());
  CHECK(r.cfg.png_path == "pngcairo-fast");
  auto svg = load_config({"--png-path", "svg"}, "/nonexistent.env");
  CHECK(svg.errors.empty());
  CHECK(svg.cfg.png_path == "svg");
  CHECK(aw::core::config_help().find("PNG_PATH") != std::string::npos);
  auto cairo = load_config({"--png-path", "pngcairo"}, "/nonexistent.env");
  CHECK(cairo.errors.empty());
  CHECK(cairo.cfg.png_path == "pngcairo");
  auto fast = load_config({"--png-path", "pngcairo-fast"}, "/nonexistent.env");
  CHECK(fast.errors.empty());
  CHECK(fast.cfg.png_path == "pngcairo-fast");
  auto bad = load_config({"--png-path", "gd"}, "/nonexistent.env");
  REQUIRE(bad.errors.size() == 1);
  CHECK(bad.errors[0].find("PNG_PATH") != std::string::npos);
}

TEST_CASE("AGUI_DISCONNECT: continue by default, cancel on request, nothing else") {
  auto r = load_config({}, "/nonexistent.env");
  REQUIRE(r.errors.empty());
  CHECK(r.cfg.agui_disconnect == "continue");
  auto cancel = load_config({"--agui-disconnect", "cancel"}, "/nonexistent.env");
  CHECK(cancel.errors.empty());
  CHECK(cancel.cfg.agui_disconnect == "cancel");
  CHECK(aw::core::config_help().find("AGUI_DISCONNECT") != std::string::npos);
  auto bad = load_config({"--agui-disconnect", "drop"}, "/nonexistent.env");
  REQUIRE(bad.errors.size() == 1);
  CHECK(bad.errors[0].find("AGUI_DISCONNECT") != std::string::npos);
}

TEST_CASE("MAX_SEND_QUEUE_BYTES must leave room for one chart frame under 4x the limit") {
  auto small = load_config({"--max-send-queue-bytes", "1048576"}, "/nonexistent.env");
  REQUIRE(small.errors.size() == 1);
  CHECK(small.errors[0].find("MAX_SEND_QUEUE_BYTES") != std::string::npos);
  CHECK(small.errors[0].find("MAX_CHART_SIZE_MB=10") != std::string::npos);
  auto fits = load_config({"--max-send-queue-bytes", "1048576", "--max-chart-size-mb", "2"},
                          "/nonexistent.env");
  CHECK(fits.errors.empty());
  auto grace = load_config({"--slow-consumer-grace-ms", "5000"}, "/nonexistent.env");
  CHECK(grace.errors.empty());
  CHECK(grace.cfg.slow_consumer_grace_ms == 5000);
}

TEST_CASE("AUTH_SECRET: at least 32 bytes when set") {
  auto shorter = load_config({"--auth-secret", "s3cret"}, "/nonexistent.env");
  REQUIRE(shorter.errors.size() == 1);
  CHECK(shorter.errors[0].find("AUTH_SECRET") != std::string::npos);
  CHECK(shorter.errors[0].find("s3cret") == std::string::npos);  // never echoed
  CHECK(load_config({"--auth-secret", std::string(32, 'k')}, "/nonexistent.env").errors.empty());
}

namespace {

std::string write_env(const std::string& text) {
  char path[] = "/tmp/aw-config-test-XXXXXX";
  int fd = mkstemp(path);
  REQUIRE(fd >= 0);
  REQUIRE(write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()));
  close(fd);
  return path;
}

bool any_has(const std::vector<std::string>& lines, const std::string& needle) {
  for (const auto& l : lines)
    if (l.find(needle) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE(".env: quotes and comments are parsed the way dotenv files are written") {
  auto path = write_env(
      "# a comment\n"
      "DATA_DIR=\"/x/data dir\" # where the charts go\n"
      "export NODE_ID='gw-#1' # single quotes are literal\n"
      "ALLOWED_ORIGINS=https://a.example#frag   # a comment after a blank\n"
      "LLM_MODEL=\"say \\\"hi\\\"\"\n"
      "  PORT = 9002  \n");
  auto r = load_config({}, path);
  std::remove(path.c_str());
  REQUIRE(r.errors.empty());
  CHECK(r.cfg.data_dir == "/x/data dir");
  CHECK(r.cfg.node_id == "gw-#1");
  CHECK(r.cfg.allowed_origins == "https://a.example#frag");
  CHECK(r.cfg.llm_model == "say \"hi\"");
  CHECK(r.cfg.port == 9002);
}

TEST_CASE(".env: an unclosed quote or text after the quote is an error naming file and line") {
  auto path = write_env("PORT=9003\nDATA_DIR=\"/x/data\n");
  auto r = load_config({}, path);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0] == path + ":2: DATA_DIR: the value's \" quote is not closed");
  std::remove(path.c_str());
  path = write_env("DATA_DIR=\"/x\" extra\n");
  r = load_config({}, path);
  std::remove(path.c_str());
  CHECK(any_has(r.errors, ":1: DATA_DIR: text after the closing quote"));
}

TEST_CASE(".env: unknown keys that look like settings get a warning with the nearest name") {
  auto path = write_env("PROT=9001\nLOG_LEVL=debug\nPOSTGRES_PASSWORD=x\n");
  auto r = load_config({}, path);
  std::remove(path.c_str());
  CHECK(r.errors.empty());
  REQUIRE(r.warnings.size() == 2);
  CHECK(r.warnings[0] == path + ": PROT is not a setting (ignored); did you mean PORT?");
  CHECK(r.warnings[1].find("did you mean LOG_LEVEL?") != std::string::npos);
  CHECK(r.cfg.port == 8080);
}

TEST_CASE("unknown flags get the nearest flag, its value is not a second error") {
  auto r = load_config({"--prot", "9000", "--log-levl=debug"}, "/nonexistent.env");
  REQUIRE(r.errors.size() == 2);
  CHECK(r.errors[0] == "unknown argument '--prot' (did you mean --port?) (see --help)");
  CHECK(r.errors[1].find("did you mean --log-level?") != std::string::npos);
  CHECK(aw::core::nearest_name("--zzzzzz", {"--port"}).empty());
}

TEST_CASE("LOG_LEVEL in any case, HOST must be an IP address") {
  auto r = load_config({"--log-level", "DEBUG"}, "/nonexistent.env");
  CHECK(r.errors.empty());
  CHECK(r.cfg.log_level == "debug");
  r = load_config({"--host", "localhost"}, "/nonexistent.env");
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].rfind("HOST: 'localhost' is not an IP address", 0) == 0);
  CHECK(load_config({"--host", "::1"}, "/nonexistent.env").errors.empty());
}

TEST_CASE("the source of each setting: default, .env, environment, flag") {
  auto path = write_env("NODE_ID=from-file\nRETENTION_DAYS=7\n");
  setenv("RETENTION_DAYS", "9", 1);
  auto r = load_config({"--port=9005", "--start-degraded"}, path);
  unsetenv("RETENTION_DAYS");
  std::remove(path.c_str());
  REQUIRE(r.errors.empty());
  auto source = [&](const std::string& name) {
    for (const auto& [n, s] : r.sources)
      if (n == name) return s;
    return std::string("?");
  };
  CHECK(source("PORT") == "flag --port");
  CHECK(source("NODE_ID") == path);
  CHECK(source("RETENTION_DAYS") == "environment");
  CHECK(source("HEARTBEAT_S") == "default");
  CHECK(r.cfg.start_degraded == 1);
  auto text = aw::core::describe_config(r);
  CHECK(text.find("PORT=9005") != std::string::npos);
  CHECK(text.find("AUTH_SECRET=(unset)") != std::string::npos);
}

TEST_CASE("help: grouped, and PORT's range is the one enforced") {
  auto help = aw::core::config_help();
  for (const char* section : {"\nNetwork:\n", "\nLimits", "\nModel:\n", "\nSecurity:\n", "\nCluster:\n"})
    CHECK_MESSAGE(help.find(section) != std::string::npos, section);
  auto port = help.find("--port");
  REQUIRE(port != std::string::npos);
  auto line = help.substr(port, help.find('\n', help.find('\n', port) + 1) - port);
  CHECK(line.find("1024..65535") != std::string::npos);
  CHECK(line.find("(0..65535)") == std::string::npos);
  CHECK(help.find("check-config") != std::string::npos);
  CHECK(help.find("--version") != std::string::npos);
}

TEST_CASE("HOST: 127.0.0.1 by default, every interface only with AUTH_SECRET or ALLOW_ANONYMOUS") {
  CHECK(load_config({}, "/nonexistent.env").cfg.host == "127.0.0.1");
  auto open = load_config({"--host", "0.0.0.0"}, "/nonexistent.env");
  REQUIRE(open.errors.size() == 1);
  CHECK(open.errors[0].find("ALLOW_ANONYMOUS") != std::string::npos);
  CHECK(load_config({"--host", "0.0.0.0", "--auth-secret", std::string(32, 'k')},
                    "/nonexistent.env")
            .errors.empty());
  CHECK(load_config({"--host", "0.0.0.0", "--allow-anonymous", "1"}, "/nonexistent.env")
            .errors.empty());
  CHECK(load_config({"--host", "::1"}, "/nonexistent.env").errors.empty());
  CHECK(load_config({"--host", "127.0.0.2"}, "/nonexistent.env").errors.empty());
  CHECK(load_config({"--host", "0.0.0.0", "--role", "worker"}, "/nonexistent.env").errors.empty());
}

TEST_CASE("CHART_DISK_MB and CHART_DISK_USER_MB: 1024 and 64 by default, at least 1") {
  auto r = load_config({}, "/nonexistent.env");
  CHECK(r.cfg.chart_disk_mb == 1024);
  CHECK(r.cfg.chart_disk_user_mb == 64);
  setenv("CHART_DISK_MB", "5", 1);
  auto set = load_config({"--chart-disk-user-mb", "2"}, "/nonexistent.env");
  unsetenv("CHART_DISK_MB");
  REQUIRE(set.errors.empty());
  CHECK(set.cfg.chart_disk_mb == 5);
  CHECK(set.cfg.chart_disk_user_mb == 2);
  auto bad = load_config({"--chart-disk-mb", "0"}, "/nonexistent.env");
  CHECK(bad.errors.size() == 1);
}

TEST_CASE("cluster TLS: all three files or none, each readable, and no open worker without it") {
  auto none = load_config({}, "/nonexistent.env");
  CHECK(none.errors.empty());
  CHECK_FALSE(none.cfg.cluster_tls());
  auto one = load_config({"--cluster-tls-cert", "/etc/hostname"}, "/nonexistent.env");
  REQUIRE(one.errors.size() == 1);
  CHECK(one.errors[0].find("set all three or none (CLUSTER_TLS_KEY, CLUSTER_TLS_CA not set)") !=
        std::string::npos);
  auto unreadable = load_config({"--cluster-tls-cert", "/etc/hostname", "--cluster-tls-key",
                                 "/nonexistent.key", "--cluster-tls-ca", "/etc/hostname"},
                                "/nonexistent.env");
  REQUIRE(unreadable.errors.size() == 1);
  CHECK(unreadable.errors[0] == "CLUSTER_TLS_KEY: '/nonexistent.key' cannot be read");
  auto all = load_config({"--cluster-tls-cert", "/etc/hostname", "--cluster-tls-key",
                          "/etc/hostname", "--cluster-tls-ca", "/etc/hostname"},
                         "/nonexistent.env");
  CHECK(all.errors.empty());
  CHECK(all.cfg.cluster_tls());

  auto open = load_config({"--role", "worker", "--worker-host", "0.0.0.0"}, "/nonexistent.env");
  REQUIRE(open.errors.size() == 1);
  CHECK(open.errors[0].find("WORKER_HOST: listening on 0.0.0.0 without TLS") == 0);
  auto named = load_config({"--role", "worker", "--worker-host", "worker-1"}, "/nonexistent.env");
  CHECK(named.errors.size() == 1);
  CHECK(load_config({"--role", "worker", "--worker-host", "::1"}, "/nonexistent.env")
            .errors.empty());
  auto insecure = load_config({"--role", "worker", "--worker-host", "0.0.0.0",
                               "--insecure-cluster"},
                              "/nonexistent.env");
  CHECK(insecure.errors.empty());
  CHECK(insecure.cfg.insecure_cluster == 1);
  auto with_tls = load_config({"--role", "worker", "--worker-host", "0.0.0.0",
                               "--cluster-tls-cert", "/etc/hostname", "--cluster-tls-key",
                               "/etc/hostname", "--cluster-tls-ca", "/etc/hostname"},
                              "/nonexistent.env");
  CHECK(with_tls.errors.empty());
}

TEST_CASE("DURABLE_LOG: off by default, 0 or 1, its pending bound at least 1 MB") {
  auto r = load_config({}, "/nonexistent.env");
  CHECK(r.cfg.durable_log == 0);
  CHECK(r.cfg.durable_log_max_pending_mb == 64);
  CHECK(r.cfg.durable_log_fsync == 0);
  CHECK(r.cfg.durable_lease_s == 10);
  CHECK(load_config({"--durable-lease-seconds", "3"}, "/nonexistent.env").cfg.durable_lease_s == 3);
  CHECK(load_config({"--durable-lease-seconds", "1"}, "/nonexistent.env").errors.size() == 1);
  setenv("DURABLE_LOG", "1", 1);
  auto set = load_config({"--durable-log-max-pending-mb", "8", "--durable-log-fsync", "1"},
                         "/nonexistent.env");
  unsetenv("DURABLE_LOG");
  REQUIRE(set.errors.empty());
  CHECK(set.cfg.durable_log == 1);
  CHECK(set.cfg.durable_log_max_pending_mb == 8);
  CHECK(set.cfg.durable_log_fsync == 1);
  CHECK(load_config({"--durable-log", "2"}, "/nonexistent.env").errors.size() == 1);
  CHECK(load_config({"--durable-log-max-pending-mb", "0"}, "/nonexistent.env").errors.size() == 1);
}
