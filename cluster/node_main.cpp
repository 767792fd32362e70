#include "cluster/node_main.hpp"

#include <caf/all.hpp>
#include <caf/io/middleman.hpp>

#include "actors/services.hpp"
#include "actors/supervisor.hpp"
#include "cluster/cluster.hpp"
#include "cluster/node_front.hpp"
#include "core/log.hpp"

namespace aw::cluster {

int run_cluster_node(caf::actor_system& system, std::shared_ptr<const core::config> cfg,
                     const sigset_t& stop_signals) {
  actors::supervisor sup(system);
  auto svc = actors::start_services(system, cfg, nullptr, sup);
  auto front = sup.adopt("node front", system.spawn(node_front, svc));
  auto stop_actors = [&] { sup.stop_all(); };
  // reuse_addr: a node restarted at once gets its port back.
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
             {"cluster_version", std::to_string(cluster_version(*cfg))}});
  int sig = 0;
  sigwait(&stop_signals, &sig);
  log::info("worker", "stopping", {{"signal", std::to_string(sig)}});
  system.middleman().unpublish(front, *port);
  stop_actors();
  return 0;
}

}  // namespace aw::cluster
