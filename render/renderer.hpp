// Turns a chart_spec into image bytes with one persistent gnuplot process.
// Blocking and not thread-safe: one owner (a detached actor) per instance.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "render/chart_spec.hpp"

namespace aw::render {

struct render_output {
  bool ok = false;
  std::string bytes;  // PNG or SVG bytes when ok
  std::string error;  // what went wrong otherwise (gnuplot's own message when it has one)
  double duration_ms = 0;
};

struct renderer_options {
  std::string gnuplot_path = "gnuplot";
  std::string work_dir = "/tmp";  // where the per-chart output file lives
  std::chrono::milliseconds timeout{std::chrono::seconds(20)};
};

class gnuplot_process;

class chart_renderer {
 public:
  explicit chart_renderer(renderer_options options = {});
  ~chart_renderer();
  chart_renderer(const chart_renderer&) = delete;
  chart_renderer& operator=(const chart_renderer&) = delete;

  // Starts gnuplot now (rather than on the first render); false when it cannot.
  bool start(std::string* error = nullptr);

  render_output render(const chart_spec& spec);

  // The gnuplot child's process id, or -1 when none runs (for tests and metrics).
  long gnuplot_pid() const;

 private:
  renderer_options options_;
  std::unique_ptr<gnuplot_process> process_;
  std::string output_path_png_;
  std::string output_path_svg_;
};

// The gnuplot commands that draw `spec` into `output_path` (exposed for tests).
std::string build_script(const chart_spec& spec, const std::string& output_path);

}  // namespace aw::render
