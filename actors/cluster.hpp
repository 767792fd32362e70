// What a gateway and its worker nodes agree on: the cluster protocol version,
// the message types registered on both sides, and the WORKER_LOST error.
#pragma once

#include <cstdint>
#include <string>

#include <caf/actor_system_config.hpp>
#include <caf/error.hpp>

#include "core/config.hpp"

namespace aw::actors {

// Bump whenever a message between gateway and worker changes shape; nodes
// of different versions refuse each other with a log line naming both.
constexpr std::uint32_t cluster_protocol_version = 1;

// The version this node speaks: CLUSTER_VERSION, whose default is
// cluster_protocol_version (tests set another to make two versions meet).
std::uint32_t cluster_version(const core::config& cfg);

// Registers every type that crosses nodes, and loads the middleman with
// BASP heartbeats on (CAF 0.17 has them off by default).
void configure_cluster(caf::actor_system_config& cfg, int worker_timeout_s);

// The error a step gets when its worker node died and no other took it.
enum class cluster_error : std::uint8_t { worker_lost = 1, version_mismatch = 2 };
caf::error make_error(cluster_error x, std::string message);
bool is_worker_lost(const caf::error& err);

// The message a cluster (or other) error carries, else CAF's rendering of it.
std::string error_text(const caf::error& err);

}  // namespace aw::actors
