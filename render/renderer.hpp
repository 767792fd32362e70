// Turns a chart_spec into image bytes with one persistent gnuplot process.
// Blocking and not thread-safe: one owner (a detached actor) per instance.
//
// PNG has three paths (renderer_options::png). `pngcairo_fast` (the default)
// has gnuplot's pngcairo terminal draw the chart and our encoder, preloaded
// into gnuplot (gnuplot_png_preload.cpp), write the PNG: pngcairo's pixels,
// ~5x less CPU. `pngcairo` has cairo's own PNG writer (libpng, zlib level 6,
// ~90% of the chart's CPU). `svg_raster` has gnuplot write SVG, then draws it
// with librsvg onto a cairo image and encodes the PNG with fast_png, all in
// the owner's thread.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "render/chart_spec.hpp"

namespace aw::render {

struct render_output {
  bool ok = false;
  std::string bytes;  // PNG or SVG bytes when ok
  std::string error;  // what went wrong otherwise (gnuplot's own message when it has one)
  double duration_ms = 0;
};

// How PNG images are made (SVG is always gnuplot's svg terminal).
enum class png_path {
  svg_raster,     // gnuplot svg -> librsvg + cairo -> fast_png, in process
  pngcairo,       // gnuplot's pngcairo terminal, cairo's PNG writer
  pngcairo_fast,  // gnuplot's pngcairo terminal, our preloaded PNG writer
};

// "svg", "pngcairo" or "pngcairo-fast"; false for anything else.
bool parse_png_path(const std::string& text, png_path& out);
const char* to_string(png_path path);

struct renderer_options {
  std::string gnuplot_path = "gnuplot";
  png_path png = png_path::pngcairo_fast;
  // pngcairo_fast: the preloaded PNG writer; empty: gnuplot_png_library().
  // When there is none, gnuplot keeps cairo's writer (same pixels, slower).
  std::string png_library;
  std::string work_dir = "/tmp";  // where the per-chart output file lives
  std::chrono::milliseconds timeout{std::chrono::seconds(20)};
};

class gnuplot_process;
class svg_rasteriser;
class fast_png_encoder;

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

  // Any thread, for shutdown: a render or start blocked on gnuplot returns at
  // once, and no gnuplot is started again (gnuplot_process::abandon).
  void abandon();

 private:
  // svg_raster: turns gnuplot's SVG in `bytes` into PNG bytes in place.
  bool rasterise(const chart_spec& spec, std::string& bytes, std::string& error);

  renderer_options options_;
  std::unique_ptr<gnuplot_process> process_;
  std::unique_ptr<svg_rasteriser> rasteriser_;     // created on the first svg_raster PNG
  std::unique_ptr<fast_png_encoder> png_encoder_;  // its buffers reused between encodes
  std::string output_path_png_;
  std::string output_path_svg_;
};

// Which gnuplot terminal a script is written for.
enum class script_target {
  pngcairo,        // PNG drawn by gnuplot
  svg,             // SVG handed out as it is
  svg_for_raster,  // SVG for the svg_raster PNG path: fonts, ticks and points
                   // sized so that librsvg draws what pngcairo would have drawn
};

// The gnuplot commands that draw `spec` into `output_path` (exposed for tests):
// for pngcairo or svg as spec.format says.
std::string build_script(const chart_spec& spec, const std::string& output_path);
std::string build_script(const chart_spec& spec, const std::string& output_path,
                         script_target target);

}  // namespace aw::render
