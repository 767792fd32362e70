// The planner: which chart type to draw and which tool steps the run takes.
#pragma once

#include <string>
#include <vector>

#include "protocol/chart_types.hpp"
#include "protocol/client_messages.hpp"

namespace aw::analytics {

struct chart_plan {
  protocol::chart_type type = protocol::chart_type::bar_chart_vertical;
  bool type_from_user = false;     // chart_preference was given
  std::string reasoning;           // one sentence for agent_thinking
  std::vector<std::string> steps;  // tool names in order, e.g. generate_data, llm_enhance, render_chart
};

// Deterministic: the same payload gives the same plan.
chart_plan make_plan(const protocol::analytics_payload& payload);

}  // namespace aw::analytics
