// Process-wide figures for GET /health and GET /metrics. Lock-free: every
// field is an atomic, bumped from whichever thread sees the event.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

#include "llm/client.hpp"

namespace aw::actors {

// A Prometheus-style histogram with fixed upper bounds (milliseconds).
class histogram {
 public:
  explicit histogram(std::vector<double> bounds);
  void observe(double value);

  const std::vector<double>& bounds() const { return bounds_; }
  std::uint64_t bucket(std::size_t i) const { return buckets_[i].load(std::memory_order_relaxed); }
  std::uint64_t count() const { return count_.load(std::memory_order_relaxed); }
  double sum() const { return static_cast<double>(sum_micros_.load()) / 1000.0; }

 private:
  std::vector<double> bounds_;
  std::vector<std::atomic<std::uint64_t>> buckets_;  // cumulative counts are made on export
  std::atomic<std::uint64_t> count_{0};
  std::atomic<std::uint64_t> sum_micros_{0};
};

constexpr std::size_t event_type_count = 5;
constexpr std::size_t error_code_slots = 32;

struct counters {
  std::atomic<std::int64_t> active_runs{0};
  std::atomic<std::int64_t> event_buffer_bytes{0};  // every user's resume buffer together
  std::atomic<std::int64_t> runs_started{0};
  std::atomic<std::int64_t> runs_succeeded{0};
  std::atomic<std::int64_t> runs_failed{0};
  std::atomic<std::int64_t> runs_cancelled{0};
  std::atomic<std::int64_t> runs_timed_out{0};
  std::array<std::atomic<std::int64_t>, event_type_count> events_by_type{};
  std::array<std::atomic<std::int64_t>, error_code_slots> errors_by_code{};  // by error_code
  std::atomic<std::int64_t> slow_consumer_closes{0};
  histogram run_duration_ms{{50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000}};
  histogram render_ms{{5, 10, 25, 50, 100, 250, 500, 1000, 5000}};
  histogram event_delivery_ms{{0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 1000}};
  histogram llm_ms{{1, 5, 25, 100, 250, 500, 1000, 2500, 5000, 10000, 30000}};
  // model calls (issue #15): the LLM client's gauges and counters, and per-call times
  std::shared_ptr<llm::client_stats> llm = std::make_shared<llm::client_stats>();
  histogram llm_queue_wait_ms{{1, 10, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000}};
  histogram llm_ttft_ms{{50, 100, 250, 500, 1000, 2000, 5000, 10000, 30000}};
  // history store (issue #8): written by the history writer, read by /metrics and /health
  histogram store_write_ms{{0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 1000, 5000}};
  std::atomic<std::int64_t> store_writes{0};          // rows written
  std::atomic<std::int64_t> store_write_failures{0};  // failed batches (retried)
  std::atomic<std::int64_t> store_dropped{0};         // rows dropped: queue full while down
  std::atomic<bool> store_up{true};                   // last write or ping succeeded
  // render pool: its size, and the render threads whose gnuplot is running (GET /health)
  std::atomic<std::int64_t> render_workers{0};
  std::atomic<std::int64_t> render_workers_up{0};
  // cluster (issue #6): cluster nodes seen live by this gateway
  std::atomic<std::int64_t> workers_live{0};
  std::atomic<std::int64_t> worker_lost_steps{0};     // steps whose worker died mid-step
  std::atomic<std::int64_t> worker_retried_steps{0};  // ... and were retried on another
  // durable event log (issue #18): its lag (queued, not yet durable), size and recoveries
  std::atomic<bool> durable_enabled{false};
  std::atomic<bool> durable_up{true};                   // the last write succeeded
  std::atomic<std::int64_t> durable_pending_events{0};  // queued, not yet durable
  std::atomic<std::int64_t> durable_pending_bytes{0};   // their frame bytes
  std::atomic<std::int64_t> durable_events_written{0};  // rows committed
  std::atomic<std::int64_t> durable_rows{0};            // rows held (counted at start and prune)
  std::atomic<std::int64_t> durable_write_failures{0};  // failed batches (retried)
  std::atomic<std::int64_t> durable_refused_runs{0};    // requests refused over the bound
  std::atomic<std::int64_t> durable_takeovers{0};  // users taken from a gateway whose lease expired
  std::atomic<std::int64_t> durable_claims_refused{0};  // users whose gateway's lease was live
  std::atomic<std::int64_t> durable_handoffs{0};        // users a live gateway released to this one
  std::atomic<std::int64_t> recovered_users{0};         // users rebuilt from the log at start
  std::atomic<std::int64_t> recovered_runs{0};          // runs found in flight, ended GATEWAY_LOST
  std::atomic<std::int64_t> durable_reruns{0};          // runs found in flight, run again
  std::atomic<std::int64_t> durable_reruns_diverged{0};  // ... that took another path: GATEWAY_LOST
  histogram durable_commit_ms{{0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 1000}};  // per batch
  histogram durable_lag_ms{
      {0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 1000}};  // queued -> durable
};

}  // namespace aw::actors
