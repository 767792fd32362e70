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

void gauge(std::string& out, const char* name, const char* help, double value) {
  family(out, name, "gauge", help);
  sample(out, name, value);
}

void counter(std::string& out, const char* name, const char* help, double value) {
  family(out, name, "counter", help);
  sample(out, name, value);
}

// Histograms are kept in milliseconds and exported in seconds (Prometheus
// base units): bounds and sum divided by 1000.
void histogram_family(std::string& out, const char* name, const char* help,
                      const actors::histogram& h) {
  family(out, name, "histogram", help);
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < h.bounds().size(); ++i) {
    cumulative += h.bucket(i);
    char le[32];
    std::snprintf(le, sizeof le, "%g", h.bounds()[i] / 1000.0);
    sample(out, std::string(name) + "_bucket{le=\"" + le + "\"}", static_cast<double>(cumulative));
  }
  cumulative += h.bucket(h.bounds().size());
  sample(out, std::string(name) + "_bucket{le=\"+Inf\"}", static_cast<double>(cumulative));
  sample(out, std::string(name) + "_sum", h.sum() / 1000.0);
  sample(out, std::string(name) + "_count", static_cast<double>(h.count()));
}

// The durable event log (issue #18, DURABLE_LOG=1): lag, size, recoveries.
void durable_log_metrics(std::string& out, const actors::counters& c) {
  gauge(out, "agentwire_durable_log_up", "1 when the durable event log's last write succeeded.",
        c.durable_up.load() ? 1 : 0);
  gauge(out, "agentwire_durable_log_pending_events",
        "Events queued for the durable log, not yet durable (so not yet sent).",
        static_cast<double>(c.durable_pending_events.load()));
  gauge(out, "agentwire_durable_log_pending_bytes",
        "Bytes of those events (bounded by DURABLE_LOG_MAX_PENDING_MB).",
        static_cast<double>(c.durable_pending_bytes.load()));
  gauge(out, "agentwire_durable_log_events", "Events held in the durable log (all users).",
        static_cast<double>(c.durable_rows.load()));
  counter(out, "agentwire_durable_log_written_total", "Events made durable.",
          static_cast<double>(c.durable_events_written.load()));
  counter(out, "agentwire_durable_log_write_failures_total",
          "Durable-log batches that failed (retried; delivery waits).",
          static_cast<double>(c.durable_write_failures.load()));
  counter(out, "agentwire_durable_log_refused_runs_total",
          "Requests refused because the pending bytes were over DURABLE_LOG_MAX_PENDING_MB.",
          static_cast<double>(c.durable_refused_runs.load()));
  counter(out, "agentwire_durable_log_recovered_users_total",
          "Users whose history was rebuilt from the durable log at start.",
          static_cast<double>(c.recovered_users.load()));
  counter(out, "agentwire_durable_log_recovered_runs_total",
          "Runs found in flight at start or at a takeover, ended once with GATEWAY_LOST.",
          static_cast<double>(c.recovered_runs.load()));
  counter(out, "agentwire_durable_log_reruns_total",
          "Runs found in flight at start or at a takeover and run again under the same run_id.",
          static_cast<double>(c.durable_reruns.load()));
  counter(out, "agentwire_durable_log_reruns_diverged_total",
          "Runs run again that took another path than the log held: ended GATEWAY_LOST.",
          static_cast<double>(c.durable_reruns_diverged.load()));
  counter(out, "agentwire_durable_log_takeovers_total",
          "Users taken over from a gateway whose lease had expired (shared PostgreSQL log).",
          static_cast<double>(c.durable_takeovers.load()));
  counter(out, "agentwire_durable_log_claims_refused_total",
          "Connections closed 1013 because the user's gateway still held a live lease.",
          static_cast<double>(c.durable_claims_refused.load()));
  counter(out, "agentwire_durable_log_handoffs_total",
          "Users a live gateway released to this one (it had asked for them, refused 1013).",
          static_cast<double>(c.durable_handoffs.load()));
  histogram_family(out, "agentwire_durable_log_commit_seconds",
                   "One durable-log transaction (a batch), in seconds.", c.durable_commit_ms);
  histogram_family(out, "agentwire_durable_log_lag_seconds",
                   "From a batch's oldest event being queued to it being durable, in seconds.",
                   c.durable_lag_ms);
}

}  // namespace

std::string metrics_text(const actors::counters& c, const gauges& g) {
  std::string out;
  out.reserve(4096);
  family(out, "agentwire_connections", "gauge", "Open WebSocket connections.");
  sample(out, "agentwire_connections", static_cast<double>(g.connections));
  family(out, "agentwire_agui_streams", "gauge", "Open AG-UI event streams (POST /agui and GET /agui/runs/{runId}/events).");
  sample(out, "agentwire_agui_streams", static_cast<double>(g.agui_streams));
  family(out, "agentwire_agui_runs_held", "gauge",
         "AG-UI runs held for resume and joins (running, or ended within EVENT_BUFFER_S).");
  sample(out, "agentwire_agui_runs_held", static_cast<double>(g.agui_runs_held));
  family(out, "agentwire_agui_held_bytes", "gauge",
         "Bytes those runs hold (events and records), within 4x EVENT_BUFFER_BYTES.");
  sample(out, "agentwire_agui_held_bytes", static_cast<double>(g.agui_held_bytes));
  family(out, "agentwire_users", "gauge", "Users with a session on this node.");
  sample(out, "agentwire_users", static_cast<double>(g.users));
  family(out, "agentwire_event_buffer_bytes", "gauge",
         "Bytes of events kept for resume, all users together (bounded by EVENT_BUFFER_TOTAL_MB).");
  sample(out, "agentwire_event_buffer_bytes", static_cast<double>(c.event_buffer_bytes.load()));
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
  histogram_family(out, "agentwire_event_delivery_seconds",
                   "From the emitter to the socket write, in seconds.", c.event_delivery_ms);
  histogram_family(out, "agentwire_run_duration_seconds", "Run duration, in seconds.",
                   c.run_duration_ms);
  histogram_family(out, "agentwire_render_seconds", "gnuplot render time, in seconds.",
                   c.render_ms);
  histogram_family(out, "agentwire_llm_seconds",
                   "Time to generate a run's data and text, in seconds.", c.llm_ms);
  const auto& llm = *c.llm;
  gauge(out, "agentwire_llm_calls_in_flight", "Model calls in flight (HTTP transfers).",
        static_cast<double>(llm.in_flight.load()));
  gauge(out, "agentwire_llm_calls_queued",
        "Model calls waiting: for a slot, a provider pause, a quota or a retry.",
        static_cast<double>(llm.queued.load()));
  counter(out, "agentwire_llm_calls_total", "Model calls ended.",
          static_cast<double>(llm.calls.load()));
  counter(out, "agentwire_llm_call_failures_total", "Model calls that ended without an answer.",
          static_cast<double>(llm.calls_failed.load()));
  counter(out, "agentwire_llm_queue_rejected_total",
          "Model calls refused at once because LLM_QUEUE_MAX calls were waiting.",
          static_cast<double>(llm.rejected_queue_full.load()));
  counter(out, "agentwire_llm_rate_limited_total", "429 answers from the model endpoint.",
          static_cast<double>(llm.rate_limited.load()));
  family(out, "agentwire_llm_tokens_total", "counter",
         "Model tokens, as the endpoint reported them (else estimated).");
  sample(out, "agentwire_llm_tokens_total{direction=\"in\"}",
         static_cast<double>(llm.tokens_in.load()));
  sample(out, "agentwire_llm_tokens_total{direction=\"out\"}",
         static_cast<double>(llm.tokens_out.load()));
  histogram_family(out, "agentwire_llm_queue_wait_seconds",
                   "From a model call's submission to its first attempt, in seconds.",
                   c.llm_queue_wait_ms);
  histogram_family(out, "agentwire_llm_time_to_first_token_seconds",
                   "From a model call's first attempt to its first answer text, in seconds.",
                   c.llm_ttft_ms);
  histogram_family(out, "agentwire_store_write_seconds",
                   "History store write (one batch, one transaction), in seconds.",
                   c.store_write_ms);
  gauge(out, "agentwire_store_up", "1 when the history store answers writes and pings.",
        g.store_up ? 1 : 0);
  counter(out, "agentwire_store_writes_total", "History rows written.",
          static_cast<double>(c.store_writes.load()));
  counter(out, "agentwire_store_write_failures_total", "History batches that failed (retried).",
          static_cast<double>(c.store_write_failures.load()));
  counter(out, "agentwire_store_dropped_total", "History rows dropped while the store was down.",
          static_cast<double>(c.store_dropped.load()));
  gauge(out, "agentwire_render_workers", "Render workers (gnuplot processes) in the local pool.",
        static_cast<double>(c.render_workers.load()));
  gauge(out, "agentwire_render_workers_up", "Render workers whose gnuplot is running.",
        static_cast<double>(c.render_workers_up.load()));
  gauge(out, "agentwire_workers_live", "Worker nodes this gateway sees live.",
        static_cast<double>(c.workers_live.load()));
  counter(out, "agentwire_worker_lost_steps_total", "Steps whose worker node died mid-step.",
          static_cast<double>(c.worker_lost_steps.load()));
  counter(out, "agentwire_worker_retried_steps_total", "Lost steps retried on another worker.",
          static_cast<double>(c.worker_retried_steps.load()));
  counter(out, "agentwire_chart_files_written_total", "Chart images written under DATA_DIR/charts.",
          static_cast<double>(g.chart_files_written));
  counter(out, "agentwire_chart_file_failures_total",
          "Chart images not written to disk (error or full queue).",
          static_cast<double>(g.chart_file_failures));
  gauge(out, "agentwire_chart_disk_bytes", "Bytes of chart files under DATA_DIR/charts.",
        static_cast<double>(g.chart_disk_bytes));
  gauge(out, "agentwire_chart_disk_charts", "Chart ids with a file under DATA_DIR/charts.",
        static_cast<double>(g.chart_disk_charts));
  gauge(out, "agentwire_chart_disk_images",
        "Image files under DATA_DIR/charts (identical charts share one).",
        static_cast<double>(g.chart_disk_images));
  counter(out, "agentwire_chart_disk_evictions_total",
          "Charts removed from disk by CHART_DISK_MB or CHART_DISK_USER_MB (oldest first).",
          static_cast<double>(g.chart_disk_evictions));
  counter(out, "agentwire_chart_disk_expired_total", "Chart files removed by RETENTION_DAYS.",
          static_cast<double>(g.chart_disk_expired));
  gauge(out, "agentwire_http_queue", "HTTP requests waiting for a query worker.",
        static_cast<double>(g.http_queue));
  if (c.durable_enabled.load()) durable_log_metrics(out, c);
  return out;
}

}  // namespace aw::gateway
