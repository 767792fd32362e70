// The typed contracts between a run and the actors that do its steps. The
// local planner, LLM actor and render pool each implement one; the cluster
// dispatcher implements all three (step_api), so the compiler checks that a
// run cannot tell whether its steps run here or on a cluster node. A cluster
// node's front actor adds the cluster's own greeting and load query
// (cluster/cluster.hpp: node_front_api).
//
// Every type named here crosses nodes in cluster mode: each has an inspect
// overload (actors/wire_types.hpp) and is announced in configure_cluster
// (cluster/cluster.cpp).
#pragma once

#include <string>

#include <caf/actor.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include "actors/messages.hpp"

namespace aw::actors {

// (plan_atom, payload) -> chart_plan
using planner_api = caf::typed_actor<
    caf::replies_to<plan_atom, protocol::analytics_payload>::with<analytics::chart_plan>>;

// (generate_atom, payload, chart_type, stream_to) -> generation. The model's
// text, as it is written, goes to `stream_to` (the run) as
// (llm_partial_atom, std::string).
using llm_api = caf::typed_actor<
    caf::replies_to<generate_atom, protocol::analytics_payload, protocol::chart_type,
                    caf::actor>::with<analytics::generation>>;

// (render_atom, user_id, chart_spec) -> render_output; a failed drawing is
// an answer with ok == false, not an error.
using renderer_api = caf::typed_actor<
    caf::replies_to<render_atom, std::string, render::chart_spec>::with<render::render_output>>;

// Every step of a run: what the cluster dispatcher answers.
using step_api = planner_api::extend_with<llm_api>::extend_with<renderer_api>;

}  // namespace aw::actors
