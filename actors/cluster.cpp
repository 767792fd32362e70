#include "actors/cluster.hpp"

#include <caf/io/middleman.hpp>
#include <caf/message.hpp>

#include "actors/messages.hpp"

namespace aw::actors {
namespace {
constexpr caf::atom_value cluster_category = caf::atom("awcluster");
}

void configure_cluster(caf::actor_system_config& cfg, int worker_timeout_s) {
  cfg.load<caf::io::middleman>();
  cfg.add_message_type<protocol::analytics_payload>("aw.analytics_payload");
  cfg.add_message_type<protocol::chart_type>("aw.chart_type");
  cfg.add_message_type<analytics::chart_plan>("aw.chart_plan");
  cfg.add_message_type<analytics::generation>("aw.generation");
  cfg.add_message_type<render::chart_spec>("aw.chart_spec");
  cfg.add_message_type<render::render_output>("aw.render_output");
  // A lost node is noticed by the socket closing (a killed process) or, for a
  // silent peer, by missing heartbeats: one per second, and the connection is
  // dropped after WORKER_TIMEOUT_S without any traffic.
  cfg.set("middleman.heartbeat-interval", caf::timespan{std::chrono::seconds(1)});
  cfg.set("middleman.connection-timeout",
          caf::timespan{std::chrono::seconds(std::max(2, worker_timeout_s))});
}

// core::config's default for cluster_version is cluster_protocol_version (1).
std::uint32_t cluster_version(const core::config& cfg) {
  return static_cast<std::uint32_t>(cfg.cluster_version);
}

caf::error make_error(cluster_error x, std::string message) {
  return caf::error{static_cast<std::uint8_t>(x), cluster_category,
                    caf::make_message(std::move(message))};
}

bool is_worker_lost(const caf::error& err) {
  return err.category() == cluster_category &&
         err.code() == static_cast<std::uint8_t>(cluster_error::worker_lost);
}

std::string error_text(const caf::error& err) {
  const auto& context = err.context();
  if (context.size() == 1 && context.match_element<std::string>(0))
    return context.get_as<std::string>(0);
  return caf::to_string(err);
}

}  // namespace aw::actors
