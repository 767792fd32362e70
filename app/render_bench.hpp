// `agentwire render --bench N [--pool P] [--width W --height H] [--format png|svg]
//  [--png-path pngcairo-fast|pngcairo|svg|all]`: renders N distinct bar charts
// through the real render pool (actors and persistent gnuplot processes, cache
// off) and prints charts per second and CPU per chart. For PNG it measures
// every PNG path by default, in the same run and alternating (two rounds of
// N/2 charts each), so that all see the same machine load; the default path's
// line comes first, and each other path is compared with pngcairo.
#pragma once

#include <string>
#include <vector>

namespace aw::app {

int run_render_bench(const std::vector<std::string>& args);

}  // namespace aw::app
