#include "app/render_bench.hpp"

#include <chrono>
#include <cstdio>
#include <iostream>
#include <thread>

#include <caf/all.hpp>

#include "actors/chart_spec_for.hpp"
#include "actors/messages.hpp"
#include "actors/render_pool.hpp"
#include "analytics/builtin_llm.hpp"

namespace aw::app {

int run_render_bench(const std::vector<std::string>& args) {
  int charts = 200;
  int pool = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  int width = 800;
  int height = 500;
  auto format = protocol::image_format::png;
  for (std::size_t i = 0; i < args.size(); ++i) {
    auto value = [&]() -> std::string { return i + 1 < args.size() ? args[++i] : ""; };
    if (args[i] == "--bench")
      charts = std::atoi(value().c_str());
    else if (args[i] == "--pool")
      pool = std::atoi(value().c_str());
    else if (args[i] == "--width")
      width = std::atoi(value().c_str());
    else if (args[i] == "--height")
      height = std::atoi(value().c_str());
    else if (args[i] == "--format")
      format = value() == "svg" ? protocol::image_format::svg : protocol::image_format::png;
    else {
      std::cerr << "usage: agentwire render --bench N [--pool P] [--width W] [--height H]"
                   " [--format png|svg]\n";
      return 2;
    }
  }
  if (charts < 1 || charts > 100000 || pool < 1 || pool > 64) {
    std::cerr << "agentwire render --bench: N must be 1..100000 and P 1..64\n";
    return 2;
  }
  caf::actor_system_config cfg;
  caf::actor_system system{cfg};
  render::renderer_options options;
  auto renderer = actors::spawn_render_pool(system, pool, options, 0);

  protocol::analytics_payload payload;
  payload.content = "Show quarterly revenue growth for 2024";
  auto gen = analytics::builtin_generate(payload, protocol::chart_type::bar_chart_vertical);
  payload.format = format;
  payload.width = width;
  payload.height = height;
  auto spec = actors::chart_spec_for(gen, protocol::chart_type::bar_chart_vertical, payload);

  caf::scoped_actor self{system};
  // Warm up every gnuplot process first: start-up is not what is measured.
  for (int i = 0; i < pool; ++i) {
    spec.title = "warm-up " + std::to_string(i);
    self->send(renderer, actors::render_atom::value, "user-" + std::to_string(i), spec);
  }
  for (int i = 0; i < pool; ++i) self->receive([](render::render_output&) {});

  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < charts; ++i) {
    spec.title = gen.title + " #" + std::to_string(i);  // distinct: no cache, no sharing
    self->send(renderer, actors::render_atom::value, "user-" + std::to_string(i % 16), spec);
  }
  int ok = 0;
  std::size_t bytes = 0;
  int received = 0;
  self->receive_for(received, charts)([&](render::render_output& out) {
    ok += out.ok ? 1 : 0;
    bytes += out.bytes.size();
  });
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf(
      "render pool: %d charts (%dx%d %s) with %d gnuplot processes in %.2f s: %.1f charts/s"
      ", %d ok, %.1f KB average\n",
      charts, width, height, format == protocol::image_format::png ? "png" : "svg", pool, secs,
      charts / secs, ok, ok ? bytes / 1024.0 / ok : 0.0);
  caf::anon_send_exit(renderer, caf::exit_reason::user_shutdown);
  return ok == charts ? 0 : 1;
}

}  // namespace aw::app
