// How long each step of a run may take; the same figures bound a step on
// the run, on the dispatcher and on the worker node that does it.
#pragma once

#include <algorithm>
#include <chrono>

#include "core/config.hpp"

namespace aw::actors {

inline std::chrono::seconds plan_timeout(const core::config&) {
  return std::chrono::seconds(10);
}

// Retries and backoff happen inside the LLM actor; the session's run timeout
// (CHART_GENERATION_TIMEOUT_S) bounds the whole run anyway.
inline std::chrono::seconds generate_timeout(const core::config& cfg) {
  return std::max(std::chrono::seconds(60),
                  std::chrono::seconds(cfg.chart_generation_timeout_s + 5));
}

// Past the run's own timeout, with a margin: a render that hangs ends the run
// as `timeout` by the session's timer, never as RENDER_FAILED in a race with it.
inline std::chrono::seconds render_timeout(const core::config& cfg) {
  return std::chrono::seconds(cfg.chart_generation_timeout_s + 2);
}

}  // namespace aw::actors
