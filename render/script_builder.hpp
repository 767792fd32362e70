// build_script (declared in render/renderer.hpp) writes the gnuplot commands
// for one chart. It throws std::invalid_argument (script_error) when the spec
// cannot be drawn: data shape missing for the type, non-finite numbers, or a
// size outside 200..4000.
#pragma once

#include "render/renderer.hpp"

namespace aw::render {

constexpr int kMinImageSide = 200;
constexpr int kMaxImageSide = 4000;

}  // namespace aw::render
