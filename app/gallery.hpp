// `agentwire render --all --out DIR [--width W --height H] [--png-path svg|pngcairo]`:
// renders every chart type with the built-in synthetic data, in PNG and SVG.
#pragma once

#include <string>
#include <vector>

namespace aw::app {

// The text of `agentwire render --help`: both forms and every flag.
const char* render_help();

int run_gallery_command(const std::vector<std::string>& args);

}  // namespace aw::app
