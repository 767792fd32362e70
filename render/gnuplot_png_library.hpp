// Where the PNG writer preloaded into gnuplot for PNG_PATH=pngcairo-fast
// (gnuplot_png_preload.cpp, built as libaw_gnuplot_png.so) is found.
#pragma once

#include <string>

namespace aw::render {

inline constexpr const char* kGnuplotPngLibraryName = "libaw_gnuplot_png.so";

// The first that exists of: next to the running executable, in
// ../lib/agentwire/ from it, and where this build put it. Empty when none
// does, or when its path holds a character that LD_PRELOAD would split at.
std::string gnuplot_png_library();

}  // namespace aw::render
