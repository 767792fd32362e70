#include "load/report.hpp"

#include <cstdio>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include "load/stats.hpp"

namespace aw::load {

namespace {

using json_writer = rapidjson::PrettyWriter<rapidjson::StringBuffer>;

std::string fmt(double v, int prec = 2) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(prec) << v;
  return s.str();
}

void row(std::ostream& out, const std::string& name, const std::vector<double>& v) {
  summary s = summarize(v);
  out << "  " << std::left << std::setw(30) << name << std::right << std::setw(8) << s.n;
  for (double x : {s.p50, s.p95, s.p99, s.max})
    out << std::setw(11) << (s.n ? fmt(x) : std::string("-"));
  out << "\n";
}

template <typename M>
std::string join_map(const M& m) {
  if (m.empty()) return "none";
  std::ostringstream s;
  bool first = true;
  for (const auto& [k, v] : m) {
    s << (first ? "" : ", ") << k << "=" << v;
    first = false;
  }
  return s.str();
}

double runs_per_s(const run_result& r) {
  return r.active_s > 0 ? static_cast<double>(r.runs_completed) / r.active_s : 0;
}
double events_per_s(const run_result& r) {
  return r.active_s > 0 ? static_cast<double>(r.events_received) / r.active_s : 0;
}

void summary_json(json_writer& w, const char* name, const std::vector<double>& v) {
  summary s = summarize(v);
  w.Key(name);
  w.StartObject();
  w.Key("n");
  w.Uint64(s.n);
  for (auto [k, x] : {std::pair<const char*, double>{"p50", s.p50},
                      {"p95", s.p95},
                      {"p99", s.p99},
                      {"max", s.max},
                      {"mean", s.mean}}) {
    w.Key(k);
    w.Double(x);
  }
  w.EndObject();
}

template <typename M>
void map_json(json_writer& w, const char* name, const M& m) {
  w.Key(name);
  w.StartObject();
  for (const auto& [k, v] : m) {
    w.Key(std::string(k).c_str());
    w.Uint64(v);
  }
  w.EndObject();
}

}  // namespace

void print_table(std::ostream& out, const run_result& r) {
  out << "agentwire-load " << r.mode << "  url=" << r.url << "  tag=" << r.tag << "\n";
  if (r.mode == "run")
    out << "  users=" << r.users << " connections=" << r.connections
        << " requests/user=" << r.requests_per_user << " concurrency=" << r.concurrency
        << " chart=" << r.chart << " threads=" << r.threads << "\n";
  else
    out << "  connections=" << r.connections << " threads=" << r.threads << "\n";
  out << "\n  " << std::left << std::setw(30) << "latency (ms)" << std::right << std::setw(8) << "n"
      << std::setw(11) << "p50" << std::setw(11) << "p95" << std::setw(11) << "p99" << std::setw(11)
      << "max"
      << "\n";
  row(out, "connect (handshake)", r.connect_ms);
  if (r.mode == "run") {
    for (int e = 0; e < event_type_count; ++e)
      row(out, "send -> " + std::string(event_type_names[e]), r.to_event_ms[e]);
    row(out, "delivery lag", r.lag_ms);
  }
  out << "\n";
  if (r.mode == "run") {
    out << "  runs        sent " << r.requests_sent << ", completed " << r.runs_completed
        << " (success " << r.runs_success << "), lost " << r.runs_lost << ", rejected "
        << r.runs_rejected << ", not sent " << r.requests_not_sent << "\n";
    out << "  failed runs " << join_map(r.failed_runs) << "\n";
    out << "  throughput  " << fmt(runs_per_s(r)) << " runs/s, " << fmt(events_per_s(r), 1)
        << " events/s over " << fmt(r.active_s) << " s (" << r.events_received
        << " events on all connections)\n";
  } else {
    out << "  held        " << r.connected << " connections, " << r.pings_sent << " pings, "
        << r.pongs << " pongs\n";
  }
  out << "  connections " << r.connected << " opened, " << r.connect_failures << " failed ("
      << join_map(r.connect_failure_reasons) << "), unexpected closes "
      << join_map(r.unexpected_closes) << "\n";
  out << "  error frames " << join_map(r.error_frames) << "\n";
  out << "  violations  " << r.violations.total() << " " << join_map(r.violations.by_kind())
      << "\n";
  for (const auto& s : r.violations.samples()) out << "    " << s << "\n";
  if (r.server_pid) {
    out << "  server RSS  before " << r.rss_before_kb << " KiB, after " << r.rss_after_kb
        << " KiB, per connection " << fmt(r.rss_per_conn_kb) << " KiB (" << r.rss_samples.size()
        << " samples)\n";
  }
  out << "  elapsed     " << fmt(r.elapsed_s) << " s" << (r.deadline_hit ? " (DEADLINE HIT)" : "")
      << "\n  result      " << (r.failed() ? "FAIL" : "OK") << "\n";
}

std::string to_json(const run_result& r) {
  rapidjson::StringBuffer sb;
  json_writer w(sb);
  w.StartObject();
  w.Key("mode");
  w.String(r.mode.c_str());
  w.Key("url");
  w.String(r.url.c_str());
  w.Key("tag");
  w.String(r.tag.c_str());
  for (auto [k, v] : {std::pair<const char*, int>{"users", r.users},
                      {"connections", r.connections},
                      {"requests_per_user", r.requests_per_user},
                      {"concurrency", r.concurrency},
                      {"threads", r.threads},
                      {"connected", r.connected}}) {
    w.Key(k);
    w.Int(v);
  }
  w.Key("chart");
  w.String(r.chart.c_str());
  w.Key("ok");
  w.Bool(!r.failed());
  w.Key("deadline_hit");
  w.Bool(r.deadline_hit);
  w.Key("elapsed_s");
  w.Double(r.elapsed_s);
  w.Key("active_s");
  w.Double(r.active_s);
  w.Key("runs");
  w.StartObject();
  for (auto [k, v] : {std::pair<const char*, std::uint64_t>{"sent", r.requests_sent},
                      {"completed", r.runs_completed},
                      {"success", r.runs_success},
                      {"lost", r.runs_lost},
                      {"rejected", r.runs_rejected},
                      {"not_sent", r.requests_not_sent}}) {
    w.Key(k);
    w.Uint64(v);
  }
  map_json(w, "failed", r.failed_runs);
  w.EndObject();
  w.Key("runs_per_s");
  w.Double(runs_per_s(r));
  w.Key("events_per_s");
  w.Double(events_per_s(r));
  w.Key("events_received");
  w.Uint64(r.events_received);
  w.Key("frames_received");
  w.Uint64(r.frames_received);
  w.Key("pings_sent");
  w.Uint64(r.pings_sent);
  w.Key("pongs");
  w.Uint64(r.pongs);
  w.Key("violations");
  w.Uint64(r.violations.total());
  map_json(w, "violations_by_kind", r.violations.by_kind());
  w.Key("violation_samples");
  w.StartArray();
  for (const auto& s : r.violations.samples()) w.String(s.c_str());
  w.EndArray();
  map_json(w, "error_frames", r.error_frames);
  w.Key("connect_failures");
  w.Uint64(r.connect_failures);
  map_json(w, "connect_failure_reasons", r.connect_failure_reasons);
  std::map<std::string, std::uint64_t> closes;
  for (const auto& [k, v] : r.unexpected_closes) closes[std::to_string(k)] = v;
  map_json(w, "unexpected_closes", closes);
  w.Key("latency_ms");
  w.StartObject();
  summary_json(w, "connect", r.connect_ms);
  for (int e = 0; e < event_type_count; ++e)
    summary_json(w, std::string(event_type_names[e]).c_str(), r.to_event_ms[e]);
  summary_json(w, "delivery_lag", r.lag_ms);
  w.EndObject();
  w.Key("timeline");
  w.StartArray();
  auto secs = per_second(r.completions, r.elapsed_s);
  for (const auto& s : secs) {
    w.StartObject();
    w.Key("second");
    w.Int(s.second);
    w.Key("runs_completed");
    w.Uint64(s.count);
    w.Key("p99_completed_ms");
    w.Double(s.p99);
    w.EndObject();
  }
  w.EndArray();
  w.Key("server");
  w.StartObject();
  w.Key("pid");
  w.Int(r.server_pid);
  w.Key("rss_before_kb");
  w.Int64(r.rss_before_kb);
  w.Key("rss_after_kb");
  w.Int64(r.rss_after_kb);
  w.Key("rss_per_connection_kb");
  w.Double(r.rss_per_conn_kb);
  w.Key("rss_samples");
  w.Uint64(r.rss_samples.size());
  w.EndObject();
  w.EndObject();
  return std::string(sb.GetString()) + "\n";
}

void print_ramp_step(std::ostream& out, const ramp_step& s) {
  out << "  step users=" << std::setw(6) << s.users << "  p95=" << std::setw(10) << fmt(s.p95_ms)
      << " ms  runs/s=" << std::setw(8) << fmt(s.runs_per_s) << "  violations=" << s.violations
      << " lost=" << s.lost << " failed=" << s.failed_runs
      << (s.under_limit ? "  under limit" : "  OVER limit / broken") << std::endl;
}

void print_ramp(std::ostream& out, const ramp_result& r) {
  out << "agentwire-load ramp  url=" << r.url << "  metric=p95 send -> " << r.metric
      << "  limit=" << fmt(r.limit_ms) << " ms\n";
  for (const auto& s : r.steps) print_ramp_step(out, s);
  out << "  last step under the limit: "
      << (r.best_users ? std::to_string(r.best_users) + " users" : std::string("none")) << "\n"
      << "  result      " << (r.failed ? "FAIL" : "OK") << "\n";
}

std::string to_json(const ramp_result& r) {
  rapidjson::StringBuffer sb;
  json_writer w(sb);
  w.StartObject();
  w.Key("mode");
  w.String("ramp");
  w.Key("url");
  w.String(r.url.c_str());
  w.Key("metric");
  w.String(r.metric.c_str());
  w.Key("p95_limit_ms");
  w.Double(r.limit_ms);
  w.Key("best_users");
  w.Int(r.best_users);
  w.Key("ok");
  w.Bool(!r.failed);
  w.Key("steps");
  w.StartArray();
  for (const auto& s : r.steps) {
    w.StartObject();
    w.Key("users");
    w.Int(s.users);
    w.Key("p95_ms");
    w.Double(s.p95_ms);
    w.Key("runs_per_s");
    w.Double(s.runs_per_s);
    w.Key("violations");
    w.Uint64(s.violations);
    w.Key("lost");
    w.Uint64(s.lost);
    w.Key("failed_runs");
    w.Uint64(s.failed_runs);
    w.Key("under_limit");
    w.Bool(s.under_limit);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return std::string(sb.GetString()) + "\n";
}

bool write_file(const std::string& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  if (!f) {
    std::cerr << "agentwire-load: cannot write " << path << "\n";
    return false;
  }
  f << text;
  return static_cast<bool>(f);
}

}  // namespace aw::load
