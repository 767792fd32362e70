// What a gateway and its cluster nodes agree on: the cluster protocol
// version, the messages only they exchange, the interface a node publishes,
// and the message types registered on both sides. (The step errors,
// WORKER_LOST among them, are in actors/step_errors.hpp: runs handle them.)
//
// Words: a *cluster node* (role=worker, listed in WORKERS) runs steps for
// gateways; its *node front* is the one actor it publishes; a gateway's
// *node dispatcher* sends each step to a live node.
#pragma once

#include <cstdint>
#include <string>

#include <caf/actor_system_config.hpp>
#include <caf/atom.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include "actors/interfaces.hpp"
#include "actors/step_errors.hpp"
#include "core/config.hpp"

namespace aw::cluster {

// Bump whenever a message between gateway and node changes shape; nodes
// of different versions refuse each other with a log line naming both.
// 2: a generation carries its chart_type and decided_by (a model's choice of
// type was lost between nodes before).
constexpr std::uint32_t cluster_protocol_version = 2;

// The version this node speaks: CLUSTER_VERSION, whose default is
// cluster_protocol_version (tests set another to make two versions meet).
std::uint32_t cluster_version(const core::config& cfg);

// gateway -> node: (hello_atom, cluster version, gateway node id) and
// (heartbeat_atom) -> steps in progress on that node
using hello_atom = caf::atom_constant<caf::atom("hello")>;
using heartbeat_atom = caf::atom_constant<caf::atom("heartbeat")>;
// dispatcher -> itself: try to connect to the nodes that are not live
using reconnect_atom = caf::atom_constant<caf::atom("reconnect")>;

// A cluster node's published actor: every step of actors::step_api, plus
// (hello_atom, cluster version, gateway node id) -> (version, node id) and
// (heartbeat_atom) -> steps in progress on that node.
using node_front_api = actors::step_api::extend<
    caf::replies_to<hello_atom, std::uint32_t, std::string>::with<std::uint32_t, std::string>,
    caf::replies_to<heartbeat_atom>::with<std::int64_t>>;

// Registers every type that crosses nodes, and loads the middleman with
// BASP heartbeats on (CAF 0.17 has them off by default).
void configure_cluster(caf::actor_system_config& cfg, int worker_timeout_s);

}  // namespace aw::cluster
