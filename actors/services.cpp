#include "actors/services.hpp"

#include <cstdlib>
#include <filesystem>
#include <thread>

#include <caf/all.hpp>

#include "actors/durable_log.hpp"
#include "actors/history_record.hpp"
#include "actors/history_writer.hpp"
#include "actors/llm_actor.hpp"
#include "actors/planner_actor.hpp"
#include "actors/render_pool.hpp"
#include "core/log.hpp"

namespace aw::actors {

namespace {

// DATA_DIR/events.db, recovered before any session can start: the runs that
// were in flight end GATEWAY_LOST (durable first), and the history learns it.
void start_durable_log(services& svc, const core::config& cfg) {
  durable_log_options opt;
  opt.max_pending_bytes = static_cast<std::size_t>(cfg.durable_log_max_pending_mb) << 20;
  opt.keep_ms = static_cast<std::int64_t>(cfg.event_buffer_s) * 1000;
  opt.keep_events = static_cast<std::uint64_t>(cfg.event_buffer_events);
  opt.max_user_bytes = static_cast<std::size_t>(cfg.event_buffer_bytes);
  opt.max_total_bytes = static_cast<std::size_t>(cfg.event_buffer_total_mb) << 20;
  auto path = (std::filesystem::path(cfg.data_dir) / "events.db").string();
  auto notify = [](const caf::actor& session, std::uint64_t upto, std::vector<frame_ptr> frames) {
    caf::anon_send(session, durable_atom::value, upto, std::move(frames));
  };
  bool shared =
      cfg.store_url.rfind("postgresql://", 0) == 0 || cfg.store_url.rfind("postgres://", 0) == 0;
  opt.renew_every = std::chrono::milliseconds(cfg.durable_lease_s * 1000 / 3);
  // Fenced, this process could deliver nothing more: its clients would wait
  // on open sockets. It stops at once instead (crash-only; nothing it sent
  // is lost), so that they reconnect to the gateway that owns them now, and
  // its supervisor restarts it with a new lease epoch.
  opt.on_fenced = [](const std::string& why) {
    log::error("durable_log",
               "this gateway is fenced (its users were taken over, or its NODE_ID opened "
               "elsewhere): exiting with code 3 so that its clients reconnect to their owner",
               {{"error", why}});
    std::_Exit(3);
  };
  auto db = shared ? store::open_postgres_event_log(cfg.store_url, cfg.node_id,
                                                    cfg.durable_log_fsync != 0,
                                                    std::int64_t{cfg.durable_lease_s} * 1000)
                   : store::open_sqlite_event_log(path, cfg.durable_log_fsync != 0);
  if (shared) path = "postgresql (node " + cfg.node_id + ")";
  svc.durable = std::make_shared<durable_log>(std::move(db), svc.stats, opt, notify);
  auto now = protocol::now_unix_ms();
  for (auto& [user, run] : svc.durable->recover(now)) account_lost_run(svc, user, run, now);
  svc.durable->start();
  log::info("actors", "durable event log open",
            {{"path", path}, {"fsync", cfg.durable_log_fsync != 0 ? "1" : "0"}});
}

}  // namespace

void account_lost_run(const services& svc, const std::string& user_id, const ended_run& run,
                      std::int64_t now_ms) {
  svc.stats->runs_failed++;
  svc.stats->errors_by_code[static_cast<std::size_t>(protocol::error_code::gateway_lost)]++;
  if (svc.history)
    caf::anon_send(svc.history, history_completed(user_id, run.id, now_ms,
                                                  protocol::run_status::error, run.completed_data));
}

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
  if (cfg->role != "worker" && cfg->durable_log != 0) start_durable_log(svc, *cfg);
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
