// Command line of agentwire-load: three modes (run, idle, ramp) and their
// flags. Parsing never exits; it returns a clear error instead.
#pragma once

#include <string>
#include <vector>

#include "protocol/result.hpp"

namespace aw::load {

enum class mode { run, idle, ramp, help };

struct options {
  mode what = mode::help;
  std::string url;  // ws://HOST:PORT/ws
  int threads = 2;
  // run (and each ramp step)
  int users = 50;
  int conns_per_user = 1;
  int requests = 4;
  int concurrency = 1;
  std::string chart = "bar_chart_vertical";  // or "mixed"
  std::string titles = "unique";             // unique: a title per request (no cache hits) | same
  int width = 800, height = 500;
  double duration_max_s = 120;
  // idle
  int connections = 1000;
  double hold_s = 10;
  // ramp
  int start = 50, step = 50, max_users = 2000;
  double p95_limit_ms = 50;
  double step_duration_max_s = 60;
  std::string metric = "agent_started";  // or "agent_completed"
  // all
  std::string json_file;
  std::string plots_dir;
  int server_pid = 0;
  int max_handshakes = 500;
};

// args without argv[0]; a bad command line fails with VALIDATION_FAILED and
// one line that says why.
result<options> parse_args(const std::vector<std::string>& args);
std::string usage();

}  // namespace aw::load
