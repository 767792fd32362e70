// `agentwire --role worker`: a cluster node that plans, calls the LLM and renders for
// the gateways that connect to it. It publishes one actor (node_front) on
// WORKER_HOST:WORKER_PORT and serves no HTTP or WebSocket.
#pragma once

#include <csignal>
#include <memory>

#include <caf/actor_system.hpp>

#include "core/config.hpp"

namespace aw::cluster {

// Runs until one of `stop_signals` arrives; they must be blocked in every
// thread (block them before the actor system starts its threads).
int run_cluster_node(caf::actor_system& system, std::shared_ptr<const core::config> cfg,
                     const sigset_t& stop_signals);

}  // namespace aw::cluster
