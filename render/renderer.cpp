#include "render/renderer.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>

#include "render/fast_png.hpp"
#include "render/gnuplot_png_library.hpp"
#include "render/gnuplot_process.hpp"
#include "render/palette.hpp"
#include "render/svg_rasteriser.hpp"

namespace aw::render {
namespace {

std::atomic<unsigned> next_instance{0};

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// A PNG ends with its IEND chunk; an SVG with its closing tag.
bool complete_image(const std::string& bytes, image_format format) {
  if (format == image_format::svg) {
    return bytes.find("<svg") != std::string::npos && bytes.find("</svg>") != std::string::npos;
  }
  static const std::string signature = "\x89PNG\r\n\x1a\n";
  static const std::string iend("IEND\xAE\x42\x60\x82", 8);
  return bytes.size() > signature.size() + iend.size() && bytes.compare(0, 8, signature) == 0 &&
         bytes.compare(bytes.size() - iend.size(), iend.size(), iend) == 0;
}

std::string join_messages(const std::vector<std::string>& messages) {
  std::string out;
  for (const auto& m : messages) {
    std::string line = m;
    auto first = line.find_first_not_of(" \t");
    line = first == std::string::npos ? "" : line.substr(first);
    if (line.empty() || line == "^") continue;
    if (!out.empty()) out += " | ";
    out += line;
    if (out.size() > 600) break;
  }
  return out;
}

// SVG from our own gnuplot is ~15 KB for a typical chart; far beyond this it
// is not drawn in process.
constexpr std::size_t kMaxRasterSvgBytes = 32u << 20;
constexpr std::size_t kKeepScratchBytes = 2'000'000u * 3;

}  // namespace

bool parse_png_path(const std::string& text, png_path& out) {
  if (text == "svg") {
    out = png_path::svg_raster;
    return true;
  }
  if (text == "pngcairo") {
    out = png_path::pngcairo;
    return true;
  }
  if (text == "pngcairo-fast") {
    out = png_path::pngcairo_fast;
    return true;
  }
  return false;
}

const char* to_string(png_path path) {
  switch (path) {
    case png_path::svg_raster:
      return "svg";
    case png_path::pngcairo:
      return "pngcairo";
    case png_path::pngcairo_fast:
      break;
  }
  return "pngcairo-fast";
}

chart_renderer::chart_renderer(renderer_options options) : options_(std::move(options)) {
  std::string preload;
  if (options_.png == png_path::pngcairo_fast)
    preload = options_.png_library.empty() ? gnuplot_png_library() : options_.png_library;
  process_ = std::make_unique<gnuplot_process>(options_.gnuplot_path, preload);
  std::string base = options_.work_dir + "/aw-render-" + std::to_string(getpid()) + "-" +
                     std::to_string(next_instance++);
  output_path_png_ = base + ".png";
  output_path_svg_ = base + ".svg";
}

chart_renderer::~chart_renderer() {
  std::remove(output_path_png_.c_str());
  std::remove(output_path_svg_.c_str());
}

void chart_renderer::abandon() {
  process_->abandon();
}

bool chart_renderer::start(std::string* error) {
  return process_->start(options_.timeout, error);
}

long chart_renderer::gnuplot_pid() const {
  return process_->pid();
}

render_output chart_renderer::render(const chart_spec& spec) {
  auto started = std::chrono::steady_clock::now();
  render_output out;
  auto finish = [&](render_output& r) -> render_output& {
    r.duration_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
            .count();
    return r;
  };
  const bool raster = spec.format == image_format::png && options_.png == png_path::svg_raster;
  // What gnuplot writes: SVG for the svg_raster path too.
  const auto written = raster ? image_format::svg : spec.format;
  const std::string& path = written == image_format::svg ? output_path_svg_ : output_path_png_;
  std::remove(path.c_str());

  std::string script;
  try {
    script = build_script(
        spec, path,
        raster ? script_target::svg_for_raster
               : (written == image_format::svg ? script_target::svg : script_target::pngcairo));
  } catch (const std::exception& e) {
    out.error = e.what();
    return finish(out);
  }

  gnuplot_run run = process_->run(script, options_.timeout);
  std::string bytes = read_file(path);
  std::remove(path.c_str());
  std::string messages = join_messages(run.messages);
  if (!run.ok) {
    out.error = run.error + (messages.empty() ? "" : ": " + messages);
    return finish(out);
  }
  bool errors = false;
  for (const auto& m : run.messages) errors = errors || gnuplot_process::is_error_message(m);
  if (!complete_image(bytes, written)) {
    if (errors) {
      out.error = "gnuplot error: " + messages;
    } else {
      out.error = bytes.empty() ? "gnuplot wrote no image" : "gnuplot wrote an incomplete image";
    }
    return finish(out);
  }
  if (raster && !rasterise(spec, bytes, out.error)) return finish(out);
  out.ok = true;
  out.bytes = std::move(bytes);
  return finish(out);
}

bool chart_renderer::rasterise(const chart_spec& spec, std::string& bytes, std::string& error) {
  if (bytes.size() > kMaxRasterSvgBytes) {
    error = "gnuplot wrote an SVG too large to rasterise";
    return false;
  }
  if (!rasteriser_) rasteriser_ = std::make_unique<svg_rasteriser>();
  auto background = static_cast<std::uint32_t>(colour_value(spec.colours.background));
  if (!rasteriser_->draw(shift_text_baselines(bytes), spec.width, spec.height, background, &error))
    return false;
  std::string png;
  if (!png_encoder_) png_encoder_ = std::make_unique<fast_png_encoder>();
  bool encoded =
      png_encoder_->encode(rasteriser_->pixels(), rasteriser_->stride(), rasteriser_->width(),
                           rasteriser_->height(), cairo_pixels::rgb24, png, &error);
  // Kept for the next chart only up to 2 megapixels of RGB (a 4000x4000
  // chart would otherwise hold 48 MB per render worker).
  png_encoder_->trim(kKeepScratchBytes);
  if (!encoded) return false;
  bytes = std::move(png);
  return true;
}

}  // namespace aw::render
