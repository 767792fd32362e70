// The long-lived actors and shared objects every session and run uses.
#pragma once

#include <memory>

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>

#include "actors/chart_store.hpp"
#include "actors/counters.hpp"
#include "actors/durable_recovery.hpp"
#include "actors/interfaces.hpp"
#include "actors/outbox.hpp"
#include "actors/supervisor.hpp"
#include "core/config.hpp"

namespace aw::actors {

struct services {
  // Local actors, or on a gateway one cluster dispatcher in all three roles.
  planner_api planner;
  llm_api llm;
  renderer_api renderer;  // the render pool's dispatcher
  caf::actor history;     // the history writer (actors/history_writer.hpp); null on cluster nodes
  std::shared_ptr<chart_store> charts;
  std::shared_ptr<counters> stats;
  std::shared_ptr<const core::config> cfg;
  outbox* out = nullptr;  // owned by the gateway, which outlives every session
  // DURABLE_LOG=1 (issue #18): every event goes through it before it is sent; null otherwise
  std::shared_ptr<class durable_log> durable;
};

// What every role shares: counters, the chart store, the durable event log
// (DURABLE_LOG=1; recovered from DATA_DIR before this returns; throws
// store_error when it cannot be opened) and the history writer
// where sessions run (not on a cluster node), adopted by `sup` first so that
// sup.stop_all() stops it last, after its final flush. The step actors are
// left null.
services start_common_services(caf::actor_system& system, std::shared_ptr<const core::config> cfg,
                               outbox* out, supervisor& sup);

// The common services, then the local render pool, LLM actor and planner, in
// that order. (A gateway's steps go to its cluster nodes instead:
// cluster/gateway_services.hpp.)
services start_services(caf::actor_system& system, std::shared_ptr<const core::config> cfg,
                        outbox* out, supervisor& sup);

// A run the durable log ended GATEWAY_LOST (its user's history recovered at
// start, or taken over from a dead gateway): counted once as a failed run
// and its completion recorded in the history.
void account_lost_run(const services& svc, const std::string& user_id, const ended_run& run,
                      std::int64_t now_ms);

}  // namespace aw::actors
