#include "load/cli.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <map>

#include "protocol/chart_types.hpp"

namespace aw::load {

namespace {

bool to_int(const std::string& s, long lo, long hi, int* out) {
  if (s.empty()) return false;
  char* end = nullptr;
  errno = 0;
  long v = std::strtol(s.c_str(), &end, 10);
  if (errno || *end != '\0' || v < lo || v > hi) return false;
  *out = static_cast<int>(v);
  return true;
}

bool to_double(const std::string& s, double lo, double hi, double* out) {
  if (s.empty()) return false;
  char* end = nullptr;
  errno = 0;
  double v = std::strtod(s.c_str(), &end);
  if (errno || *end != '\0' || !std::isfinite(v) || v < lo || v > hi) return false;
  *out = v;
  return true;
}

using setter = std::function<bool(options&, const std::string&)>;

setter int_flag(int options::*field, long lo, long hi) {
  return [=](options& o, const std::string& v) { return to_int(v, lo, hi, &(o.*field)); };
}
setter num_flag(double options::*field, double lo, double hi) {
  return [=](options& o, const std::string& v) { return to_double(v, lo, hi, &(o.*field)); };
}
setter str_flag(std::string options::*field) {
  return [=](options& o, const std::string& v) {
    o.*field = v;
    return !v.empty();
  };
}

struct flag {
  setter set;
  std::string expects;
};

std::map<std::string, flag> flags_for(mode m) {
  std::map<std::string, flag> f = {
      {"--url", {str_flag(&options::url), "a ws:// URL"}},
      {"--threads", {int_flag(&options::threads, 1, 64), "an integer 1..64"}},
      {"--json", {str_flag(&options::json_file), "a file name"}},
      {"--plots", {str_flag(&options::plots_dir), "a directory"}},
      {"--server-pid", {int_flag(&options::server_pid, 1, 1 << 30), "a process id"}},
      {"--max-handshakes", {int_flag(&options::max_handshakes, 1, 10000), "an integer 1..10000"}},
  };
  auto add_run = [&] {
    f["--conns-per-user"] = {int_flag(&options::conns_per_user, 1, 16), "an integer 1..16"};
    f["--requests"] = {int_flag(&options::requests, 0, 10000), "an integer 0..10000"};
    f["--concurrency"] = {int_flag(&options::concurrency, 1, 64), "an integer 1..64"};
    f["--chart"] = {str_flag(&options::chart), "a chart type or mixed"};
    f["--titles"] = {[](options& o, const std::string& v) {
                       o.titles = v;
                       return v == "unique" || v == "same";
                     },
                     "unique or same"};
    f["--width"] = {int_flag(&options::width, 200, 4000), "an integer 200..4000"};
    f["--height"] = {int_flag(&options::height, 200, 4000), "an integer 200..4000"};
  };
  if (m == mode::run) {
    add_run();
    f["--users"] = {int_flag(&options::users, 1, 100000), "an integer 1..100000"};
    f["--duration-max"] = {num_flag(&options::duration_max_s, 1, 86400), "seconds 1..86400"};
  } else if (m == mode::idle) {
    f["--connections"] = {int_flag(&options::connections, 1, 1000000), "an integer 1..1000000"};
    f["--hold"] = {num_flag(&options::hold_s, 0, 86400), "seconds 0..86400"};
  } else if (m == mode::ramp) {
    add_run();
    f["--start"] = {int_flag(&options::start, 1, 100000), "an integer 1..100000"};
    f["--step"] = {int_flag(&options::step, 1, 100000), "an integer 1..100000"};
    f["--max-users"] = {int_flag(&options::max_users, 1, 100000), "an integer 1..100000"};
    f["--p95-limit-ms"] = {num_flag(&options::p95_limit_ms, 0.001, 1e7), "milliseconds > 0"};
    f["--step-duration-max"] = {num_flag(&options::step_duration_max_s, 1, 86400),
                                "seconds 1..86400"};
    f["--metric"] = {str_flag(&options::metric), "agent_started or agent_completed"};
  }
  return f;
}

}  // namespace

std::string usage() {
  return "usage:\n"
         "  agentwire-load run  --url ws://HOST:PORT/ws --users N [--conns-per-user C] "
         "[--requests R]\n"
         "                      [--concurrency K] [--chart TYPE|mixed] [--width W] "
         "[--height H]\n"
         "                      [--titles unique|same (same: identical charts, the render "
         "cache answers)]\n"
         "                      [--duration-max S] [--json FILE] [--plots DIR] "
         "[--server-pid PID]\n"
         "  agentwire-load idle --url ws://HOST:PORT/ws --connections N --hold S "
         "[--server-pid PID]\n"
         "                      [--json FILE] [--plots DIR]\n"
         "  agentwire-load ramp --url ws://HOST:PORT/ws [--start 50] [--step 50] "
         "[--max-users 2000]\n"
         "                      [--requests R] [--p95-limit-ms 50] [--metric "
         "agent_started|agent_completed]\n"
         "                      [--step-duration-max S] [--json FILE] [--plots DIR] "
         "[--server-pid PID]\n"
         "  common: [--threads T (default 2)] [--max-handshakes M (default 500)]\n";
}

result<options> parse_args(const std::vector<std::string>& args) {
  auto refused = [](std::string why) -> result<options> {
    return {protocol::error_code::validation_failed, std::move(why)};
  };
  options opts;
  if (args.empty()) {
    return refused("missing mode: run, idle or ramp");
  }
  const std::string& m = args[0];
  if (m == "-h" || m == "--help" || m == "help") {
    opts.what = mode::help;
    return opts;
  }
  if (m == "run")
    opts.what = mode::run;
  else if (m == "idle")
    opts.what = mode::idle;
  else if (m == "ramp")
    opts.what = mode::ramp;
  else {
    return refused("unknown mode '" + m + "': expected run, idle or ramp");
  }
  auto table = flags_for(opts.what);
  for (std::size_t i = 1; i < args.size(); ++i) {
    std::string name = args[i], value;
    bool inline_value = false;
    if (auto eq = name.find('='); name.rfind("--", 0) == 0 && eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
      inline_value = true;
    }
    if (name == "-h" || name == "--help") {
      opts.what = mode::help;
      return opts;
    }
    auto it = table.find(name);
    if (it == table.end()) {
      return refused("unknown option '" + name + "' for mode " + m);
    }
    if (!inline_value) {
      if (i + 1 >= args.size()) {
        return refused("option " + name + " needs a value (" + it->second.expects + ")");
      }
      value = args[++i];
    }
    if (!it->second.set(opts, value)) {
      return refused("bad value '" + value + "' for " + name + ": expected " + it->second.expects);
    }
  }
  const options& o = opts;
  if (o.url.empty()) {
    return refused("missing --url (e.g. --url ws://127.0.0.1:8080/ws)");
  }
  if (o.url.rfind("ws://", 0) != 0 || o.url.size() <= 5) {
    return refused("bad --url '" + o.url + "': must start with ws://");
  }
  if (o.chart != "mixed" && !protocol::parse_chart_type(o.chart)) {
    return refused("bad --chart '" + o.chart + "': not one of the 23 chart types nor 'mixed'");
  }
  if (o.what == mode::ramp) {
    if (o.metric != "agent_started" && o.metric != "agent_completed") {
      return refused("bad --metric '" + o.metric + "': expected agent_started or agent_completed");
    }
    if (o.start > o.max_users) {
      return refused("--start " + std::to_string(o.start) + " is above --max-users " +
                     std::to_string(o.max_users));
    }
  }
  return opts;
}

}  // namespace aw::load
