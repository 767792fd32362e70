#include <doctest/doctest.h>

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

TEST_CASE("PNG_PATH: pngcairo by default, svg on request, nothing else") {
  auto r = load_config({}, "/nonexistent.env");
  REQUIRE(r.errors.empty());
  CHECK(r.cfg.png_path == "pngcairo");
  auto svg = load_config({"--png-path", "svg"}, "/nonexistent.env");
  CHECK(svg.errors.empty());
  CHECK(svg.cfg.png_path == "svg");
  CHECK(aw::core::config_help().find("PNG_PATH") != std::string::npos);
  auto cairo = load_config({"--png-path", "pngcairo"}, "/nonexistent.env");
  CHECK(cairo.errors.empty());
  CHECK(cairo.cfg.png_path == "pngcairo");
  auto bad = load_config({"--png-path", "gd"}, "/nonexistent.env");
  REQUIRE(bad.errors.size() == 1);
  CHECK(bad.errors[0].find("PNG_PATH") != std::string::npos);
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
