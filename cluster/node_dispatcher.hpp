// The gateway's side of a cluster: it keeps one link per cluster node listed in
// WORKERS (connecting with backoff to those not up yet or lost, greeting each
// with the cluster protocol version, heartbeating the live ones) and sends
// each step of a run to the least-loaded live node. It answers the same
// messages as the local planner, LLM actor and render pool, so a run does not
// know whether its steps run here or on another node.
//
// When a node dies mid-step, the step goes once more to another live
// node; with none, it fails at once with WORKER_LOST (cluster_error).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include <caf/actor.hpp>
#include <caf/behavior.hpp>
#include <caf/response_promise.hpp>
#include <caf/stateful_actor.hpp>

#include "actors/counters.hpp"
#include "actors/interfaces.hpp"
#include "cluster/cluster.hpp"
#include "core/config.hpp"

namespace aw::cluster {

struct node_link {
  std::string host;
  std::uint16_t port = 0;
  std::string address;   // host:port, as configured
  node_front_api front;  // set while live
  std::string node;      // the node's NODE_ID
  bool connecting = false;
  std::uint64_t incarnation = 0;  // bumps on every loss: late answers of a lost link are dropped
  int failures = 0;               // consecutive failed connects, for the backoff
  std::int64_t next_attempt_ms = 0;
  int in_flight = 0;                 // steps this gateway has on it now
  std::int64_t reported_active = 0;  // steps the node runs for all gateways (last heartbeat)
  std::int64_t steps_done = 0;
  bool live() const { return static_cast<bool>(front); }
};

struct dispatched_step {
  caf::response_promise promise;
  const char* what = "";  // plan | generate | render, for logs and errors
  std::function<void(std::size_t node, std::uint64_t attempt)> send;  // issues the request
  std::size_t node = 0;
  int attempts = 0;
  std::uint64_t attempt = 0;  // id of the attempt whose answer counts
};

struct dispatcher_state {
  std::shared_ptr<const core::config> cfg;
  std::shared_ptr<actors::counters> stats;
  std::vector<node_link> nodes;
  std::unordered_map<std::uint64_t, dispatched_step> steps;
  std::uint64_t next_step = 0;
  std::uint64_t next_attempt = 0;
  std::size_t round_robin = 0;
  static inline const char* name = "node_dispatcher";
};

// step_api, plus the tick it sends itself to reconnect and heartbeat.
using dispatcher_actor_type = actors::step_api::extend<caf::reacts_to<reconnect_atom>>;

dispatcher_actor_type::behavior_type node_dispatcher(
    dispatcher_actor_type::stateful_pointer<dispatcher_state> self,
    std::shared_ptr<const core::config> cfg, std::shared_ptr<actors::counters> stats);

}  // namespace aw::cluster
