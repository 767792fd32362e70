// `agentwire render --bench N [--pool P] [--width W --height H] [--format png|svg]`:
// renders N distinct bar charts through the real render pool (actors and
// persistent gnuplot processes, cache off) and prints charts per second.
#pragma once

#include <string>
#include <vector>

namespace aw::app {

int run_render_bench(const std::vector<std::string>& args);

}  // namespace aw::app
