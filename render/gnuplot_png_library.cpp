#include "render/gnuplot_png_library.hpp"

#include <unistd.h>

#include <array>
#include <string>

namespace aw::render {
namespace {

bool usable(const std::string& path) {
  return !path.empty() && path.find_first_of(" :\t\n") == std::string::npos &&
         ::access(path.c_str(), R_OK) == 0;
}

std::string executable_dir() {
  std::array<char, 4096> buffer{};
  ssize_t n = ::readlink("/proc/self/exe", buffer.data(), buffer.size() - 1);
  if (n <= 0) return {};
  std::string path(buffer.data(), static_cast<std::size_t>(n));
  auto slash = path.rfind('/');
  return slash == std::string::npos ? std::string() : path.substr(0, slash);
}

}  // namespace

std::string gnuplot_png_library() {
  std::string dir = executable_dir();
  if (!dir.empty()) {
    for (std::string candidate :
         {dir + "/" + kGnuplotPngLibraryName, dir + "/../lib/agentwire/" + kGnuplotPngLibraryName})
      if (usable(candidate)) return candidate;
  }
#ifdef AW_GNUPLOT_PNG_BUILD_PATH
  if (usable(AW_GNUPLOT_PNG_BUILD_PATH)) return AW_GNUPLOT_PNG_BUILD_PATH;
#endif
  return {};
}

}  // namespace aw::render
