#include "cluster/gateway_services.hpp"

#include <caf/all.hpp>

#include "cluster/node_dispatcher.hpp"
#include "core/log.hpp"

namespace aw::cluster {

actors::services start_gateway_services(caf::actor_system& system,
                                        std::shared_ptr<const core::config> cfg,
                                        actors::outbox* out, actors::supervisor& sup) {
  auto svc = actors::start_common_services(system, cfg, out, sup);
  // The dispatcher keeps all three contracts (step_api): the compiler checks it here.
  auto dispatcher = sup.adopt("node dispatcher", system.spawn(node_dispatcher, cfg, svc.stats));
  svc.planner = dispatcher;
  svc.llm = dispatcher;
  svc.renderer = dispatcher;
  log::info("actors", "services started", {{"role", cfg->role}});
  return svc;
}

}  // namespace aw::cluster
