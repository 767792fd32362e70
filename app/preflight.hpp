// Start-up checks of the environment, before anything listens: a DATA_DIR
// this process can write (gateway and all), a gnuplot it can run and, for
// PNG_PATH=pngcairo-fast, the PNG writer to preload into it (worker and all). Each problem is one line naming the setting and the fix; the caller
// exits non-zero unless START_DEGRADED says to start anyway.
#pragma once

#include <string>
#include <vector>

#include "core/config.hpp"

namespace aw::app {

std::vector<std::string> preflight_problems(const core::config& cfg);

}  // namespace aw::app
