#include "load/ramp_mode.hpp"

#include "load/stats.hpp"

namespace aw::load {

ramp_result ramp_load(const options& o, const step_runner& step,
                      const std::function<void(const ramp_step&, const run_result&)>& on_step) {
  ramp_result rr;
  rr.url = o.url;
  rr.metric = o.metric;
  rr.limit_ms = o.p95_limit_ms;
  const int metric_index = o.metric == "agent_completed" ? event_type_count - 1 : 0;
  // Bounded: at most (max_users - start) / step + 1 steps.
  const int max_steps = (o.max_users - o.start) / std::max(1, o.step) + 1;
  for (int i = 0; i < max_steps; ++i) {
    options so = o;
    so.what = mode::run;
    so.users = o.start + i * o.step;
    so.duration_max_s = o.step_duration_max_s;
    run_result r = step(so);
    ramp_step s;
    s.users = so.users;
    s.p95_ms = percentile(r.to_event_ms[metric_index], 0.95);
    s.runs_per_s = r.active_s > 0 ? static_cast<double>(r.runs_completed) / r.active_s : 0;
    s.violations = r.violations.total();
    s.lost = r.runs_lost;
    for (const auto& [k, v] : r.failed_runs) s.failed_runs += v;
    const bool broken = r.failed();
    s.under_limit = !broken && !r.to_event_ms[metric_index].empty() && s.p95_ms <= o.p95_limit_ms;
    rr.failed = rr.failed || broken;
    rr.steps.push_back(s);
    if (on_step) on_step(s, r);
    if (!s.under_limit) break;
    rr.best_users = s.users;
  }
  return rr;
}

}  // namespace aw::load
