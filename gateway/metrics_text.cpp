#include "gateway/metrics_text.hpp"

#include <cstdio>

#include "protocol/errors.hpp"
#include "protocol/server_messages.hpp"

namespace aw::gateway {
namespace {

void family(std::string& out, const char* name, const char* type, const char* help) {
  out += "# HELP ";
  out += name;
  out += ' ';
  out += help;
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += type;
  out += '\n';
}

void sample(std::string& out, const std::string& name, double value) {
  char buf[64];
  std::snprintf(buf, sizeof buf, " %.10g\n", value);
  out += name;
  out += buf;
}

void histogram_family(std::string& out, const char* name, const char* help,
                      const actors::histogram& h) {
  family(out, name, "histogram", help);
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < h.bounds().size(); ++i) {
    cumulative += h.bucket(i);
    char le[32];
    std::snprintf(le, sizeof le, "%g", h.bounds()[i]);
    sample(out, std::string(name) + "_bucket{le=\"" + le + "\"}", static_cast<double>(cumulative));
  }
  cumulative += h.bucket(h.bounds().size());
  sample(out, std::string(name) + "_bucket{le=\"+Inf\"}", static_cast<double>(cumulative));
  sample(out, std::string(name) + "_sum", h.sum());
  sample(out, std::string(name) + "_count", static_cast<double>(h.count()));
}

}  // namespace

std::string metrics_text(const actors::counters& c, const gauges& g) {
  std::string out;
  out.reserve(4096);
  family(out, "agentwire_connections", "gauge", "Open WebSocket connections.");
  sample(out, "agentwire_connections", static_cast<double>(g.connections));
  family(out, "agentwire_users", "gauge", "Users with a session on this node.");
  sample(out, "agentwire_users", static_cast<double>(g.users));
  family(out, "agentwire_active_runs", "gauge", "Runs in flight.");
  sample(out, "agentwire_active_runs", static_cast<double>(c.active_runs.load()));
  family(out, "agentwire_runs_total", "counter", "Finished runs by status.");
  sample(out, "agentwire_runs_total{status=\"success\"}",
         static_cast<double>(c.runs_succeeded.load()));
  sample(out, "agentwire_runs_total{status=\"error\"}", static_cast<double>(c.runs_failed.load()));
  sample(out, "agentwire_runs_total{status=\"cancelled\"}",
         static_cast<double>(c.runs_cancelled.load()));
  sample(out, "agentwire_runs_total{status=\"timeout\"}",
         static_cast<double>(c.runs_timed_out.load()));
  family(out, "agentwire_runs_started_total", "counter", "Accepted runs.");
  sample(out, "agentwire_runs_started_total", static_cast<double>(c.runs_started.load()));
  family(out, "agentwire_events_sent_total", "counter", "Events emitted, by type.");
  for (std::size_t i = 0; i < actors::event_type_count; ++i) {
    auto type = protocol::to_string(static_cast<protocol::event_type>(i));
    sample(out, "agentwire_events_sent_total{type=\"" + std::string(type) + "\"}",
           static_cast<double>(c.events_by_type[i].load()));
  }
  family(out, "agentwire_errors_total", "counter", "Error frames and failed runs, by code.");
  for (std::size_t i = 0; i < actors::error_code_slots; ++i) {
    auto n = c.errors_by_code[i].load();
    if (n == 0) continue;
    auto code = protocol::to_string(static_cast<protocol::error_code>(i));
    sample(out, "agentwire_errors_total{code=\"" + std::string(code) + "\"}",
           static_cast<double>(n));
  }
  family(out, "agentwire_slow_consumer_closes_total", "counter",
         "Connections closed 4002 for an over-full send queue.");
  sample(out, "agentwire_slow_consumer_closes_total",
         static_cast<double>(c.slow_consumer_closes.load()));
  family(out, "agentwire_charts_cached", "gauge", "Images held for GET /charts/{id}.");
  sample(out, "agentwire_charts_cached", static_cast<double>(g.charts_cached));
  family(out, "agentwire_chart_cache_bytes", "gauge", "Bytes of those images.");
  sample(out, "agentwire_chart_cache_bytes", static_cast<double>(g.chart_bytes));
  histogram_family(out, "agentwire_event_delivery_ms",
                   "From the emitter to the socket write, in milliseconds.", c.event_delivery_ms);
  histogram_family(out, "agentwire_run_duration_ms", "Run duration, in milliseconds.",
                   c.run_duration_ms);
  histogram_family(out, "agentwire_render_ms", "gnuplot render time, in milliseconds.",
                   c.render_ms);
  return out;
}

}  // namespace aw::gateway
