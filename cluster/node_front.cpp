#include "cluster/node_front.hpp"

#include <caf/all.hpp>

#include "actors/messages.hpp"
#include "actors/step_timeouts.hpp"
#include "core/log.hpp"

namespace aw::cluster {
namespace {

using namespace actors;

using front_self = node_front_api::stateful_base<node_front_state>;

// Passes one step to a local actor and its answer (or error) back to the
// gateway, counting the steps in progress for the gateway's load figure.
template <class Reply, class Handle, class... Ts>
caf::result<Reply> pass_on(front_self* self, const Handle& to, std::chrono::seconds timeout,
                           Ts&&... xs) {
  auto promise = self->make_response_promise();
  self->state.active_steps++;
  self->request(to, timeout, std::forward<Ts>(xs)...)
      .then(
          [self, promise](Reply& reply) mutable {
            self->state.active_steps--;
            self->state.steps_served++;
            promise.deliver(std::move(reply));
          },
          [self, promise](caf::error& err) mutable {
            self->state.active_steps--;
            promise.deliver(std::move(err));
          });
  return caf::delegated<Reply>();
}

}  // namespace

node_front_api::behavior_type node_front(front_self* self, services svc) {
  self->state.svc = std::move(svc);
  const auto& cfg = *self->state.svc.cfg;
  return {
      [self](hello_atom, std::uint32_t version,
             const std::string& gateway) -> caf::result<std::uint32_t, std::string> {
        const auto& node = self->state.svc.cfg->node_id;
        if (version != cluster_version(*self->state.svc.cfg)) {
          std::string why = "cluster protocol version " + std::to_string(version) + " of gateway " +
                            gateway + " differs from this worker's " +
                            std::to_string(cluster_version(*self->state.svc.cfg));
          log::error("worker", "refusing gateway", {{"gateway", gateway}, {"error", why}});
          return make_error(cluster_error::version_mismatch, why);
        }
        log::info("worker", "gateway connected", {{"gateway", gateway}});
        return {cluster_version(*self->state.svc.cfg), node};
      },
      [self](heartbeat_atom) { return self->state.active_steps; },
      [self, &cfg](plan_atom a, protocol::analytics_payload& payload) {
        return pass_on<analytics::chart_plan>(self, self->state.svc.planner, plan_timeout(cfg), a,
                                              std::move(payload));
      },
      [self, &cfg](generate_atom a, protocol::analytics_payload& payload, protocol::chart_type type,
                   caf::actor& stream_to) {
        return pass_on<analytics::generation>(self, self->state.svc.llm, generate_timeout(cfg), a,
                                              std::move(payload), type, std::move(stream_to));
      },
      [self, &cfg](render_atom a, std::string& user, render::chart_spec& spec) {
        return pass_on<render::render_output>(self, self->state.svc.renderer, render_timeout(cfg),
                                              a, std::move(user), std::move(spec));
      },
  };
}

}  // namespace aw::cluster
