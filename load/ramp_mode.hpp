// `agentwire-load ramp`: run steps with growing users until the p95 time to
// agent_started (or agent_completed, --metric) crosses --p95-limit-ms.
#pragma once

#include <functional>

#include "load/cli.hpp"
#include "load/results.hpp"

namespace aw::load {

// `step` runs one step (run_load in the tool; a fake in tests) and is told
// the options for it; `on_step` sees each finished step (for progress lines).
using step_runner = std::function<run_result(const options&)>;
ramp_result ramp_load(const options& o, const step_runner& step,
                      const std::function<void(const ramp_step&, const run_result&)>& on_step);

}  // namespace aw::load
