// How long a run and each of its steps may take.
//
// A run carries one deadline, CHART_GENERATION_TIMEOUT_S after the session
// accepted it. The session's timer ends the run as `timeout` at that deadline;
// the run derives each step's request timeout from what is left of it, plus a
// grace, so that a hanging step always loses the race to the session's timer
// (the user sees `timeout`, never a step error, for a run that ran out of time).
//
// The actors that only carry a step (the node dispatcher and a cluster
// node's front actor) do not see the run's deadline: their hop timeouts only
// guard against an answer that never comes, and are never shorter than what
// the run allows itself.
#pragma once

#include <algorithm>
#include <chrono>

#include "core/config.hpp"

namespace aw::actors {

using run_clock = std::chrono::steady_clock;

struct run_deadline {
  run_clock::time_point at;

  // What is left of the run's time, zero once past.
  std::chrono::milliseconds left(run_clock::time_point now = run_clock::now()) const {
    return std::max(std::chrono::milliseconds(0),
                    std::chrono::duration_cast<std::chrono::milliseconds>(at - now));
  }
};

inline run_deadline deadline_for(const core::config& cfg,
                                 run_clock::time_point now = run_clock::now()) {
  return {now + std::chrono::seconds(cfg.chart_generation_timeout_s)};
}

// Past the deadline: the session's timer fires first.
constexpr std::chrono::seconds step_grace{2};
// Planning is local arithmetic; longer means its actor is stuck.
constexpr std::chrono::seconds plan_cap{10};

inline std::chrono::milliseconds step_timeout(
    const run_deadline& d, std::chrono::milliseconds cap = std::chrono::milliseconds::max(),
    run_clock::time_point now = run_clock::now()) {
  return std::min(cap, d.left(now) + step_grace);
}

// Hop timeouts, for the node dispatcher and a cluster node's front actor.
inline std::chrono::seconds plan_timeout(const core::config&) {
  return plan_cap;
}

// A cluster node may have a shorter CHART_GENERATION_TIMEOUT_S than the
// gateway that sends it the step: a model call gets at least a minute there.
inline std::chrono::seconds generate_timeout(const core::config& cfg) {
  return std::max(std::chrono::seconds(60),
                  std::chrono::seconds(cfg.chart_generation_timeout_s) + step_grace);
}

inline std::chrono::seconds render_timeout(const core::config& cfg) {
  return std::chrono::seconds(cfg.chart_generation_timeout_s) + step_grace;
}

}  // namespace aw::actors
