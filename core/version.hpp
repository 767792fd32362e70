// The version agentwire reports (--version, /health, agentwire_build_info).
#pragma once

namespace aw::core {

inline constexpr const char* version = "0.1.0";

}  // namespace aw::core
