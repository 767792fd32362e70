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
      width = std::stoi(args[++i]);
    else if (args[i] == "--height" && i + 1 < args.size())
      height = std::stoi(args[++i]);
    else if (args[i] == "--png-path" && i + 1 < args.size() &&
             render::parse_png_path(args[i + 1], options.png))
      ++i;
    else {
      std::cerr << "usage: agentwire render --all --out DIR [--width W] [--height H]"
                   " [--png-path svg|pngcairo]\n";
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
