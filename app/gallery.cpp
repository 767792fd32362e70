#include "app/gallery.hpp"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "actors/chart_spec_for.hpp"
#include "analytics/builtin_llm.hpp"
#include "protocol/chart_types.hpp"
#include "render/renderer.hpp"

namespace aw::app {

const char* render_help() {
  return "usage: agentwire render --all --out DIR [--width W] [--height H] [--png-path P]\n"
         "       agentwire render --bench N [--pool P] [--width W] [--height H] [--format "
         "png|svg]\n"
         "\n"
         "Draws charts with gnuplot (GNUPLOT_PATH is not read: gnuplot on PATH), without a "
         "server.\n"
         "\n"
         "  --all           every one of the 23 chart types, as PNG and SVG, with sample data\n"
         "  --out DIR       where --all writes them (made if missing)\n"
         "  --bench N       render N charts through a pool and print charts/s (1..100000)\n"
         "  --pool P        gnuplot processes for --bench (1..64; default: one per core)\n"
         "  --format F      png (default) or svg, for --bench (which measures every PNG path)\n"
         "  --png-path P    pngcairo-fast (default), pngcairo or svg: how --all makes its PNGs\n"
         "  --width W       200..4000 (default 800)\n"
         "  --height H      200..4000 (default 500)\n"
         "  --help          this text\n";
}

int run_gallery_command(const std::vector<std::string>& args) {
  std::string out_dir;
  bool all = false;
  int width = 800;
  int height = 500;
  render::renderer_options options;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--all")
      all = true;
    else if (args[i] == "--out" && i + 1 < args.size())
      out_dir = args[++i];
    else if (args[i] == "--width" && i + 1 < args.size())
      width = std::atoi(args[++i].c_str());  // 0 on garbage: refused below
    else if (args[i] == "--height" && i + 1 < args.size())
      height = std::atoi(args[++i].c_str());
    else if (args[i] == "--png-path" && i + 1 < args.size() &&
             render::parse_png_path(args[i + 1], options.png))
      ++i;
    else {
      std::cerr << "agentwire render: unknown or incomplete argument '" << args[i]
                << "'; see agentwire render --help\n";
      return 2;
    }
  }
  if (!all || out_dir.empty() || width < 200 || width > 4000 || height < 200 || height > 4000) {
    std::cerr << "usage: agentwire render --all --out DIR [--width W] [--height H]"
                 " (sizes 200..4000)\n";
    return 2;
  }
  std::filesystem::create_directories(out_dir);
  render::chart_renderer renderer(options);
  std::string error;
  if (!renderer.start(&error)) {
    std::cerr << "gnuplot did not start: " << error << "\n";
    return 1;
  }
  int failures = 0;
  for (auto type : protocol::all_chart_types()) {
    protocol::analytics_payload payload;
    payload.content = "Show " + std::string(protocol::to_string(type)) + " of monthly sales";
    auto gen = analytics::builtin_generate(payload, type);
    for (auto format : {protocol::image_format::png, protocol::image_format::svg}) {
      payload.format = format;
      payload.width = width;
      payload.height = height;
      auto spec = actors::chart_spec_for(gen, type, payload);
      auto out = renderer.render(spec);
      std::string name = std::string(protocol::to_string(type)) +
                         (format == protocol::image_format::png ? ".png" : ".svg");
      if (!out.ok) {
        std::cerr << name << ": FAILED: " << out.error << "\n";
        ++failures;
        continue;
      }
      std::ofstream(std::filesystem::path(out_dir) / name, std::ios::binary) << out.bytes;
      std::cout << name << " " << out.bytes.size() << " bytes " << out.duration_ms << " ms\n";
    }
  }
  return failures == 0 ? 0 : 1;
}

}  // namespace aw::app
