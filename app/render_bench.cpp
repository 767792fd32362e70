#include "app/render_bench.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <thread>

#include <unistd.h>

#include <caf/all.hpp>

#include "actors/chart_spec_for.hpp"
#include "actors/messages.hpp"
#include "actors/render_pool.hpp"
#include "analytics/builtin_llm.hpp"

namespace aw::app {

namespace {

struct bench_total {
  int charts = 0;
  int ok = 0;
  std::size_t bytes = 0;
  double secs = 0;
  double cpu_ms = 0;  // this process and its gnuplot children
};

// utime + stime of one process from /proc/PID/stat, in ms; 0 when unreadable.
double process_cpu_ms(const std::string& stat_path, long* parent = nullptr) {
  std::ifstream in(stat_path);
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto close = stat.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream fields(stat.substr(close + 2));
  std::string state;
  long ppid = 0;
  fields >> state >> ppid;
  std::string skip;
  for (int i = 0; i < 9; ++i) fields >> skip;  // pgrp .. cmajflt
  unsigned long long utime = 0, stime = 0;
  fields >> utime >> stime;
  if (parent) *parent = ppid;
  return (utime + stime) * 1000.0 / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// CPU used so far by this process and its live children (the gnuplot processes
// of every pool: the idle pools add nothing while one is measured).
double family_cpu_ms() {
  double total = process_cpu_ms("/proc/self/stat");
  long self = static_cast<long>(getpid());
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    long parent = -1;
    double cpu = process_cpu_ms(entry.path().string() + "/stat", &parent);
    if (parent == self) total += cpu;
  }
  return total;
}

// N charts through `renderer`, all sent at once, titles distinct from every
// other call (`first` numbers them): no cache, no sharing of renders.
void measure(caf::scoped_actor& self, const actors::renderer_api& renderer, render::chart_spec spec,
             const std::string& title, int first, int charts, bench_total& total) {
  double cpu_before = family_cpu_ms();
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < charts; ++i) {
    spec.title = title + " #" + std::to_string(first + i);
    self->send(renderer, actors::render_atom::value, "user-" + std::to_string(i % 16), spec);
  }
  int received = 0;
  self->receive_for(received, charts)([&](render::render_output& out) {
    total.ok += out.ok ? 1 : 0;
    total.bytes += out.bytes.size();
  });
  total.secs += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  total.cpu_ms += family_cpu_ms() - cpu_before;
  total.charts += charts;
}

double load_average() {
  double load[1] = {-1};
  return getloadavg(load, 1) == 1 ? load[0] : -1;
}

}  // namespace

int run_render_bench(const std::vector<std::string>& args) {
  int charts = 200;
  int pool = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  int width = 800;
  int height = 500;
  auto format = protocol::image_format::png;
  std::string which = "all";
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
    else if (args[i] == "--png-path")
      which = value();
    else {
      std::cerr << "usage: agentwire render --bench N [--pool P] [--width W] [--height H]"
                   " [--format png|svg] [--png-path pngcairo-fast|pngcairo|svg|all]\n";
      return 2;
    }
  }
  render::png_path single = render::png_path::pngcairo_fast;
  if (charts < 1 || charts > 100000 || pool < 1 || pool > 64 ||
      (which != "all" && !render::parse_png_path(which, single))) {
    std::cerr << "agentwire render --bench: N must be 1..100000, P 1..64, --png-path"
                 " pngcairo-fast, pngcairo, svg or all\n";
    return 2;
  }
  // The default path first: bench/summary.js reads the first figure. Every
  // other path is compared with pngcairo (cairo's own PNG writer).
  std::vector<render::png_path> paths;
  if (format == protocol::image_format::svg || which != "all")
    paths = {single};
  else
    paths = {render::png_path::pngcairo_fast, render::png_path::pngcairo,
             render::png_path::svg_raster};

  caf::actor_system_config cfg;
  // The server's scheduler (app/main.cpp): work stealing's idle workers poll
  // and would take CPU from the render workers here.
  cfg.set("scheduler.policy", caf::atom("sharing"));
  caf::actor_system system{cfg};
  std::vector<actors::renderer_api> pools;
  for (auto path : paths) {
    render::renderer_options options;
    options.png = path;
    // Where the server has gnuplot write its output (actors/services.cpp).
    options.work_dir = std::filesystem::is_directory("/dev/shm") ? "/dev/shm" : "/tmp";
    pools.push_back(actors::spawn_render_pool(system, pool, options, 0));
  }

  protocol::analytics_payload payload;
  payload.content = "Show quarterly revenue growth for 2024";
  auto gen = analytics::builtin_generate(payload, protocol::chart_type::bar_chart_vertical);
  payload.format = format;
  payload.width = width;
  payload.height = height;
  auto spec = actors::chart_spec_for(gen, protocol::chart_type::bar_chart_vertical, payload);

  caf::scoped_actor self{system};
  // Warm up every gnuplot process first: start-up is not what is measured.
  for (const auto& renderer : pools) {
    for (int i = 0; i < pool; ++i) {
      spec.title = "warm-up " + std::to_string(i);
      self->send(renderer, actors::render_atom::value, "user-" + std::to_string(i), spec);
    }
    for (int i = 0; i < pool; ++i) self->receive([](render::render_output&) {});
  }

  double load_before = load_average();
  std::vector<bench_total> totals(paths.size());
  const int rounds = paths.size() > 1 && charts >= 2 ? 2 : 1;
  for (int r = 0; r < rounds; ++r) {
    int n = r + 1 < rounds ? charts / rounds : charts - charts / rounds * (rounds - 1);
    for (std::size_t p = 0; p < paths.size(); ++p)
      measure(self, pools[p], spec, gen.title, totals[p].charts, n, totals[p]);
  }
  for (std::size_t p = 0; p < paths.size(); ++p) {
    const auto& t = totals[p];
    const char* what = format == protocol::image_format::svg ? "svg"
                       : paths[p] == render::png_path::svg_raster
                           ? "png via svg + librsvg + fast_png"
                       : paths[p] == render::png_path::pngcairo_fast
                           ? "png via gnuplot pngcairo + our preloaded encoder"
                           : "png via gnuplot pngcairo + cairo's encoder";
    std::printf(
        "render pool: %d charts (%dx%d %s) with %d gnuplot processes in %.2f s: %.1f charts/s"
        ", %d ok, %.1f KB average, %.2f ms of CPU per chart\n",
        t.charts, width, height, what, pool, t.secs, t.charts / t.secs, t.ok,
        t.ok ? t.bytes / 1024.0 / t.ok : 0.0, t.cpu_ms / t.charts);
  }
  if (paths.size() > 1) {
    const auto& base = totals[1];  // pngcairo
    for (std::size_t p = 0; p < paths.size(); ++p) {
      if (p == 1) continue;
      std::printf("%s / pngcairo: %.2fx the charts/s, %.2fx less CPU per chart\n",
                  render::to_string(paths[p]),
                  (totals[p].charts / totals[p].secs) / (base.charts / base.secs),
                  (base.cpu_ms / base.charts) / (totals[p].cpu_ms / totals[p].charts));
    }
    std::printf("(alternating rounds; load average %.2f before, %.2f after, on %u cores)\n",
                load_before, load_average(), std::thread::hardware_concurrency());
  }
  bool all_ok = true;
  for (const auto& t : totals) all_ok = all_ok && t.ok == t.charts;
  for (const auto& renderer : pools) caf::anon_send_exit(renderer, caf::exit_reason::user_shutdown);
  return all_ok ? 0 : 1;
}

}  // namespace aw::app
