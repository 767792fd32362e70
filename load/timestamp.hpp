// Clocks and RFC 3339 timestamps for the load harness.
#pragma once

#include <optional>
#include <string_view>

namespace aw::load {

// Milliseconds since the Unix epoch of "YYYY-MM-DDTHH:MM:SS.mmmZ" (the form of
// PROTOCOL.md section 3); nullopt for anything else.
std::optional<double> parse_rfc3339_ms(std::string_view text);

// Wall clock (system_clock) in milliseconds since the epoch.
double wall_ms();

// Monotonic clock (steady_clock) in milliseconds since an arbitrary origin.
double mono_ms();

}  // namespace aw::load
