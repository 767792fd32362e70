// The operator's families of GET /metrics, beside metrics_text's service
// families: agentwire_build_info, handshake refusals by status, server
// closes by code, HTTP requests by route and status, and the standard
// process_* metrics (CPU, RSS, fds, threads).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>

namespace aw::gateway {

// Counted on the Asio thread; copied out for each scrape.
struct operator_figures {
  std::map<int, std::int64_t> handshake_refusals;  // by HTTP status (400, 401, 403, 503)
  std::map<int, std::int64_t> closes;              // server-initiated, by close code
  std::map<std::pair<std::string, int>, std::int64_t> http_requests;  // (route, status)
  std::int64_t accept_errors = 0;    // accept() failed (out of fds, ...): the loop backed off
  std::int64_t accept_refusals = 0;  // accepted and closed at once: over the cap or out of fds
  std::int64_t http_timeouts = 0;    // HTTP responses cut at their deadline
};

struct process_figures {
  bool ok = false;  // /proc was readable
  double cpu_seconds = 0;
  double resident_bytes = 0;
  double open_fds = 0;
  double max_fds = 0;
  double threads = 0;
  double start_time_seconds = 0;  // since 1970
};

// The route label of a request path: "/charts/:id" (no braces: some parsers
// of the text format read a `}` in a label value as the end of the labels), "/conversations",
// "/static" for the chat page's files, "other" for anything unknown (so that
// the label set stays small whatever clients ask for).
std::string route_label(const std::string& path, bool static_file);

// Reads /proc/self: blocking, call it off the Asio thread.
process_figures read_process_figures();

std::string operator_metrics_text(const operator_figures& f, const process_figures& p);

}  // namespace aw::gateway
