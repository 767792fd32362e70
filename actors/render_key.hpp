#pragma once

#include <string>

#include "render/chart_spec.hpp"

namespace aw::actors {

// Everything that affects the image, as one canonical string: equal strings,
// equal images. It holds the whole chart data, so it can be large.
std::string render_key_text(const render::chart_spec& spec);

// The key the render cache and its waiters use: the SHA-256 of
// render_key_text, as 64 hex digits, so a cached image costs 64 bytes of key
// however large its data was.
std::string render_key(const render::chart_spec& spec);

}  // namespace aw::actors
