#include "cluster/cluster.hpp"

#include <algorithm>
#include <chrono>

#include <caf/io/middleman.hpp>

#include "actors/messages.hpp"

namespace aw::cluster {

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

// core::config's default for cluster_version is cluster_protocol_version (2).
std::uint32_t cluster_version(const core::config& cfg) {
  return static_cast<std::uint32_t>(cfg.cluster_version);
}

}  // namespace aw::cluster
