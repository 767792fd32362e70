// Insights, narrative and "thinking" lines, all quoting numbers computed from the data.
#pragma once

#include <string>
#include <vector>

#include "analytics/request_profile.hpp"
#include "protocol/chart_data.hpp"
#include "protocol/chart_types.hpp"

namespace aw::analytics {

struct story_input {
  protocol::chart_type type;
  const protocol::chart_data& data;
  const protocol::statistics& stats;  // of headline_values(data)
  const request_profile& profile;
  std::string title;
  std::string x_label;
  bool synthetic = true;
};

// 3 to 5 sentences without a final period.
std::vector<std::string> make_insights(const story_input& in);
// 2 to 3 sentences.
std::string make_narrative(const story_input& in, const std::vector<std::string>& insights);
// 2 to 4 short lines for agent_thinking events.
std::vector<std::string> make_thoughts(const story_input& in);

// Pearson correlation of the points' x and y; 0 when undefined.
double correlation(const std::vector<protocol::point>& points);

}  // namespace aw::analytics
