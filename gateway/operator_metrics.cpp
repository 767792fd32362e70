#include "gateway/operator_metrics.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "core/version.hpp"

namespace aw::gateway {
namespace {

void line(std::string& out, const std::string& name, double value) {
  char buf[64];
  std::snprintf(buf, sizeof buf, " %.10g\n", value);
  out += name;
  out += buf;
}

void family(std::string& out, const char* name, const char* type, const char* help) {
  out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
}

// Boot time (seconds since 1970), for the process start time.
double boot_time() {
  std::ifstream in("/proc/stat");
  std::string key;
  double value = 0;
  while (in >> key) {
    if (key == "btime" && in >> value) return value;
    in.ignore(1 << 20, '\n');
  }
  return 0;
}

}  // namespace

std::string route_label(const std::string& path, bool static_file) {
  if (static_file) return "/static";
  for (const char* exact : {"/health", "/livez", "/readyz", "/metrics", "/agui"})
    if (path == exact) return exact;
  if (path.rfind("/charts/", 0) == 0) return "/charts/:id";
  if (path.rfind("/admin/", 0) == 0) return "/admin";
  if (path.rfind("/conversations/", 0) == 0) return "/conversations";
  if (path == "/ws" || path.rfind("/ws/", 0) == 0) return "/ws";
  return "other";
}

process_figures read_process_figures() {
  process_figures p;
  std::ifstream stat("/proc/self/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  // The command name is in parentheses and may hold spaces: fields start after ')'.
  auto close = text.rfind(')');
  if (close == std::string::npos) return p;
  std::istringstream fields(text.substr(close + 2));
  std::vector<std::string> f;
  for (std::string x; fields >> x;) f.push_back(x);
  // f[0] is field 3 (state): field N is f[N - 3].
  if (f.size() < 22) return p;
  double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  double page = static_cast<double>(sysconf(_SC_PAGESIZE));
  p.cpu_seconds = (std::stod(f[14 - 3]) + std::stod(f[15 - 3])) / ticks;
  p.threads = std::stod(f[20 - 3]);
  p.start_time_seconds = boot_time() + std::stod(f[22 - 3]) / ticks;
  p.resident_bytes = std::stod(f[24 - 3]) * page;
  std::error_code ec;
  std::size_t fds = 0;
  for (std::filesystem::directory_iterator it("/proc/self/fd", ec), end; !ec && it != end;
       it.increment(ec))
    ++fds;
  p.open_fds = static_cast<double>(fds);
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) == 0) p.max_fds = static_cast<double>(lim.rlim_cur);
  p.ok = true;
  return p;
}

std::string operator_metrics_text(const operator_figures& f, const process_figures& p) {
  std::string out;
  family(out, "agentwire_build_info", "gauge", "Always 1; the version in a label.");
  line(out, std::string("agentwire_build_info{version=\"") + core::version + "\"}", 1);
  family(out, "agentwire_handshake_refusals_total", "counter",
         "WebSocket handshakes refused, by HTTP status (400, 401, 403, 503).");
  for (int status : {400, 401, 403, 503}) {
    auto it = f.handshake_refusals.find(status);
    line(out, "agentwire_handshake_refusals_total{status=\"" + std::to_string(status) + "\"}",
         static_cast<double>(it == f.handshake_refusals.end() ? 0 : it->second));
  }
  family(out, "agentwire_closes_total", "counter",
         "WebSocket connections the server closed, by close code (1001 shutdown, 1009 too big, "
         "4000 superseded, 4001 stale, 4002 slow consumer, 1013 user live on another gateway).");
  for (int code : {1001, 1009, 1013, 4000, 4001, 4002}) {
    auto it = f.closes.find(code);
    line(out, "agentwire_closes_total{code=\"" + std::to_string(code) + "\"}",
         static_cast<double>(it == f.closes.end() ? 0 : it->second));
  }
  family(out, "agentwire_accept_errors_total", "counter",
         "accept() failures (such as running out of file descriptors); the accept loop backs off.");
  line(out, "agentwire_accept_errors_total", static_cast<double>(f.accept_errors));
  family(out, "agentwire_accept_refusals_total", "counter",
         "Sockets closed right after accept: over MAX_TOTAL_CONNECTIONS plus head-room, or out of "
         "file descriptors.");
  line(out, "agentwire_accept_refusals_total", static_cast<double>(f.accept_refusals));
  family(out, "agentwire_http_timeouts_total", "counter",
         "HTTP responses cut because they were not taken within HTTP_RESPONSE_TIMEOUT_S.");
  line(out, "agentwire_http_timeouts_total", static_cast<double>(f.http_timeouts));
  family(out, "agentwire_http_requests_total", "counter",
         "Plain HTTP requests answered, by route and status.");
  for (const auto& [key, n] : f.http_requests)
    line(out,
         "agentwire_http_requests_total{route=\"" + key.first + "\",status=\"" +
             std::to_string(key.second) + "\"}",
         static_cast<double>(n));
  if (p.ok) {
    family(out, "process_cpu_seconds_total", "counter", "User and system CPU time, in seconds.");
    line(out, "process_cpu_seconds_total", p.cpu_seconds);
    family(out, "process_resident_memory_bytes", "gauge", "Resident memory, in bytes.");
    line(out, "process_resident_memory_bytes", p.resident_bytes);
    family(out, "process_open_fds", "gauge", "Open file descriptors.");
    line(out, "process_open_fds", p.open_fds);
    family(out, "process_max_fds", "gauge", "The file descriptor limit.");
    line(out, "process_max_fds", p.max_fds);
    family(out, "process_threads", "gauge", "OS threads of the process.");
    line(out, "process_threads", p.threads);
    family(out, "process_start_time_seconds", "gauge", "Start time, in seconds since 1970.");
    line(out, "process_start_time_seconds", p.start_time_seconds);
  }
  return out;
}

}  // namespace aw::gateway
