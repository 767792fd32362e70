// PNG plots drawn with gnuplot through gnuplot-iostream. Call only after the
// client threads stopped (gnuplot is a child process: it would inherit open
// sockets otherwise).
#pragma once

#include <string>
#include <vector>

#include "load/results.hpp"

namespace aw::load {

// run: latency_cdf.png, throughput.png, p99_completed.png (+ server_rss.png
// with a server pid); idle: connect_cdf.png (+ server_rss.png). Returns the
// files written; creates dir when missing.
std::vector<std::string> write_plots(const run_result& r, const std::string& dir);

// ramp: ramp.png (p95 and runs/s per step).
std::vector<std::string> write_ramp_plots(const ramp_result& r, const std::string& dir);

}  // namespace aw::load
