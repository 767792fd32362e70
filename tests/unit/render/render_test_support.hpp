// Helpers for the render tests: sample specs for every chart type, SVG and
// gallery helpers.
#pragma once

#include <string>

#include "render/chart_spec.hpp"
#include "support/png_check.hpp"

namespace aw::render::test {

// A spec of `type` with its data shape filled in (and the summary view).
chart_spec sample_spec(chart_kind type);

// PNG decoding: tests/support/png_check.hpp (shared with the e2e tests).
using aw::test::decode_png;

bool looks_like_svg(const std::string& bytes);

// <dir of the test binary>/../gallery, created when missing.
std::string gallery_dir();

}  // namespace aw::render::test
