// Unique identifiers: "<prefix>-<process tag>-<counter>". The tag is random per
// process, so ids never repeat across restarts or nodes.
#pragma once

#include <string>
#include <string_view>

namespace aw::actors {

std::string make_id(std::string_view prefix);

// A fresh random tag, e.g. for a user's event history epoch ("e-3fa9c1d2").
std::string random_tag(std::string_view prefix);

// `bytes` bytes from the OS's random generator (getrandom), as hex digits:
// for ids that must not be guessed (a chart id carries 16 bytes, 128 bits).
std::string random_hex(std::size_t bytes);

}  // namespace aw::actors
