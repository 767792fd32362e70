// What a run (or an idle hold, or one ramp step) measured: the input of the
// report and the plots.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "load/stream_checker.hpp"

namespace aw::load {

struct run_result {
  std::string mode;  // "run" or "idle"
  std::string url;
  std::string tag;
  int users = 0, connections = 0, requests_per_user = 0, concurrency = 0, threads = 0;
  std::string chart;
  double elapsed_s = 0;  // from the first connect to the last completion (or the deadline)
  double active_s = 0;   // from the first request sent to the last completion
  bool deadline_hit = false;

  // runs
  std::uint64_t requests_sent = 0, runs_completed = 0, runs_success = 0, runs_lost = 0,
                runs_rejected = 0, requests_not_sent = 0;
  std::map<std::string, std::uint64_t> failed_runs;   // "status/code" -> count
  std::map<std::string, std::uint64_t> error_frames;  // code -> count
  std::uint64_t events_received = 0, frames_received = 0, pongs = 0, pings_sent = 0;

  // connections
  int connected = 0;
  std::uint64_t connect_failures = 0;
  std::map<std::string, std::uint64_t> connect_failure_reasons;  // "http 503" / reason
  std::map<int, std::uint64_t> unexpected_closes;                // close code -> count

  // checker
  violation_log violations{20};

  // latencies, ms
  std::vector<double> connect_ms;
  std::array<std::vector<double>, event_type_count> to_event_ms;  // send -> first of each type
  std::vector<double> lag_ms;                          // receive wall clock - event timestamp
  std::vector<std::pair<double, double>> completions;  // (s since first send, ms to completed)
  std::vector<double> event_times_s;                   // receive times, s since first send

  // server memory
  int server_pid = 0;
  long rss_before_kb = -1, rss_after_kb = -1;
  double rss_per_conn_kb = 0;
  std::vector<std::pair<double, long>> rss_samples;  // (s, KiB)

  bool failed() const {
    return violations.total() > 0 || runs_lost > 0 || connect_failures > 0 ||
           !unexpected_closes.empty();
  }
};

struct ramp_step {
  int users = 0;
  double p95_ms = 0;
  double runs_per_s = 0;
  std::uint64_t violations = 0, lost = 0, failed_runs = 0;
  bool under_limit = false;
};

struct ramp_result {
  std::string url, metric;
  double limit_ms = 0;
  std::vector<ramp_step> steps;
  int best_users = 0;   // last step under the limit (0: none)
  bool failed = false;  // a violation, lost run or connection failure in any step
};

}  // namespace aw::load
