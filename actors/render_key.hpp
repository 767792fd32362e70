#pragma once

#include <string>

#include "render/chart_spec.hpp"

namespace aw::actors {

// Everything that affects the image, as one string: equal keys, equal images.
std::string render_key(const render::chart_spec& spec);

}  // namespace aw::actors
