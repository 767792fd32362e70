// The `data` objects of a run's tool calls, as plain functions of the run's
// values: what each step's tool_executing carries as args and its
// tool_completed as result. No actor state; the run actor only sends them.
#pragma once

#include <string>

#include "analytics/builtin_llm.hpp"
#include "analytics/planner.hpp"
#include "core/config.hpp"
#include "protocol/client_messages.hpp"
#include "render/renderer.hpp"

namespace aw::actors::run_events {

// plan_chart
std::string plan_args(const protocol::analytics_payload& payload);
std::string plan_result(const analytics::chart_plan& plan);
// When the model chose the type (issue #16): what it chose, who decided
// (model, or builtin when its choice was not kept) and the built-in plan.
std::string model_plan_result(protocol::chart_type chosen, const std::string& decided_by,
                              protocol::chart_type builtin_plan);

// prepare_data (the user sent data) or generate_data (synthetic)
const char* generate_tool(const protocol::analytics_payload& payload);
std::string generate_args(const protocol::analytics_payload& payload, protocol::chart_type type,
                          const core::config& cfg);
std::string generate_result(const analytics::generation& gen);

// render_chart
std::string render_args(const protocol::analytics_payload& payload, protocol::chart_type type);
std::string render_result(const render::render_output& image);

}  // namespace aw::actors::run_events
