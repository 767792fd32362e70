#include "actors/services.hpp"

#include <filesystem>
#include <thread>

#include <caf/all.hpp>

#include "actors/history_writer.hpp"
#include "actors/llm_actor.hpp"
#include "actors/planner_actor.hpp"
#include "actors/render_pool.hpp"
#include "core/log.hpp"

namespace aw::actors {

services start_common_services(caf::actor_system& system, std::shared_ptr<const core::config> cfg,
                               outbox* out, supervisor& sup) {
  services svc;
  svc.cfg = cfg;
  svc.out = out;
  svc.stats = std::make_shared<counters>();
  svc.charts = std::make_shared<chart_store>(static_cast<std::size_t>(cfg->chart_cache_mb) << 20);
  // History (issue #8) is kept where sessions run, not on cluster nodes.
  if (cfg->role != "worker")
    svc.history = sup.adopt("history writer", spawn_history_writer(system, *cfg, svc.stats));
  return svc;
}

services start_services(caf::actor_system& system, std::shared_ptr<const core::config> cfg,
                        outbox* out, supervisor& sup) {
  auto svc = start_common_services(system, cfg, out, sup);
  int pool = cfg->render_pool_size > 0
                 ? cfg->render_pool_size
                 : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  render::renderer_options options;
  options.gnuplot_path = cfg->gnuplot_path;
  render::parse_png_path(cfg->png_path, options.png);  // validated by core/config
  options.work_dir = std::filesystem::is_directory("/dev/shm") ? "/dev/shm" : "/tmp";
  svc.renderer =
      sup.adopt("render pool",
                spawn_render_pool(system, pool, options,
                                  static_cast<std::size_t>(cfg->render_cache_mb) << 20, svc.stats));
  svc.llm = sup.adopt("llm", system.spawn(llm_actor, cfg, svc.stats));
  svc.planner = sup.adopt("planner", system.spawn(planner_actor, cfg));
  log::info("actors", "services started",
            {{"role", cfg->role}, {"render_pool", std::to_string(pool)}});
  return svc;
}

}  // namespace aw::actors
