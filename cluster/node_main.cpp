#include "cluster/node_main.hpp"

#include <caf/all.hpp>
#include <caf/io/middleman.hpp>
#include <caf/openssl/all.hpp>

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
  // With TLS, the port speaks TLS only: a peer without a certificate from
  // CLUSTER_TLS_CA is dropped in the handshake, before BASP reads anything.
  auto port_number = static_cast<std::uint16_t>(cfg->worker_port);
  auto port = cfg->cluster_tls()
                  ? caf::openssl::publish(front, port_number, cfg->worker_host.c_str(), true)
                  : system.middleman().publish(front, port_number, cfg->worker_host.c_str(), true);
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
             {"tls", cfg->cluster_tls() ? "on" : "off"},
             {"cluster_version", std::to_string(cluster_version(*cfg))}});
  int sig = 0;
  sigwait(&stop_signals, &sig);
  log::info("worker", "stopping", {{"signal", std::to_string(sig)}});
  if (cfg->cluster_tls()) {
    // (caf/openssl/unpublish.hpp of CAF 0.17.6 does not compile: it omits the address.)
    auto unpublish = caf::make_function_view(system.openssl_manager().actor_handle());
    unpublish(caf::unpublish_atom::value, front.address(), *port);
  } else {
    system.middleman().unpublish(front, *port);
  }
  stop_actors();
  return 0;
}

}  // namespace aw::cluster
