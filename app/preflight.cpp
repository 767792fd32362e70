#include "app/preflight.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "render/gnuplot_png_library.hpp"

namespace aw::app {
namespace {

namespace fs = std::filesystem;

// "" when `dir` (and dir/charts) exists or can be made, and takes a file.
std::string write_problem(const std::string& dir) {
  std::error_code ec;
  fs::create_directories(fs::path(dir) / "charts", ec);
  if (ec) return ec.message();
  fs::path probe = fs::path(dir) / (".agentwire-write-check-" + std::to_string(::getpid()));
  {
    std::ofstream out(probe);
    if (!out || !(out << "ok") || !out.flush()) return std::strerror(errno ? errno : EACCES);
  }
  fs::remove(probe, ec);
  return "";
}

bool executable(const std::string& path) {
  std::error_code ec;
  return fs::is_regular_file(path, ec) && ::access(path.c_str(), X_OK) == 0;
}

// GNUPLOT_PATH as execvp would find it.
bool findable(const std::string& program) {
  if (program.find('/') != std::string::npos) return executable(program);
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "/usr/bin:/bin");
  std::string dir;
  while (std::getline(dirs, dir, ':'))
    if (executable((dir.empty() ? "." : dir) + "/" + program)) return true;
  return false;
}

}  // namespace

std::vector<std::string> preflight_problems(const core::config& cfg) {
  std::vector<std::string> problems;
  if (cfg.role != "worker") {
    std::string why = write_problem(cfg.data_dir);
    if (!why.empty()) {
      std::error_code ec;
      auto shown = fs::absolute(cfg.data_dir, ec).string();
      problems.push_back("DATA_DIR: cannot write to '" + (ec ? cfg.data_dir : shown) + "' (" + why +
                         "); make it writable by this user, or set DATA_DIR (--data-dir) to a "
                         "directory that is");
    }
  }
  if (cfg.role != "gateway" && !findable(cfg.gnuplot_path))
    problems.push_back("GNUPLOT_PATH: '" + cfg.gnuplot_path + "' is not an executable file" +
                       (cfg.gnuplot_path.find('/') == std::string::npos ? " on PATH" : "") +
                       "; install gnuplot (Debian: apt-get install gnuplot-nox), or set "
                       "GNUPLOT_PATH (--gnuplot-path) to it");
  if (cfg.role != "gateway" && cfg.png_path == "pngcairo-fast" &&
      render::gnuplot_png_library().empty())
    problems.push_back(std::string("PNG_PATH: pngcairo-fast needs ") +
                       render::kGnuplotPngLibraryName +
                       " next to the agentwire binary or in ../lib/agentwire/ from it (it is built "
                       "with it); copy it there, or set PNG_PATH (--png-path) to pngcairo");
  return problems;
}

}  // namespace aw::app
