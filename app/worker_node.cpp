#include "app/worker_node.hpp"

#include <caf/all.hpp>
#include <caf/io/middleman.hpp>

#include "actors/cluster.hpp"
#include "actors/services.hpp"
#include "actors/supervisor.hpp"
#include "actors/worker_front.hpp"
#include "core/log.hpp"

namespace aw::app {

int run_worker(caf::actor_system& system, std::shared_ptr<const core::config> cfg,
               const sigset_t& stop_signals) {
  actors::supervisor sup(system);
  auto svc = actors::start_services(system, cfg, nullptr, sup);
  auto front = sup.adopt("node front", system.spawn(actors::worker_front, svc));
  auto stop_actors = [&] { sup.stop_all(); };
  // reuse_addr: a worker restarted at once gets its port back.
  auto port = system.middleman().publish(front, static_cast<std::uint16_t>(cfg->worker_port),
                                         cfg->worker_host.c_str(), true);
  if (!port) {
    log::error("worker", "cannot listen",
               {{"host", cfg->worker_host},
                {"port", std::to_string(cfg->worker_port)},
                {"error", system.render(port.error())}});
    stop_actors();
    return 1;
  }
  log::info("worker", "listening",
            {{"port", std::to_string(*port)},
             {"host", cfg->worker_host},
             {"node", cfg->node_id},
             {"cluster_version", std::to_string(actors::cluster_version(*cfg))}});
  int sig = 0;
  sigwait(&stop_signals, &sig);
  log::info("worker", "stopping", {{"signal", std::to_string(sig)}});
  system.middleman().unpublish(front, *port);
  stop_actors();
  return 0;
}

}  // namespace aw::app
