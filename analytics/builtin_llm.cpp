#include "analytics/builtin_llm.hpp"

#include "analytics/insights.hpp"
#include "analytics/request_profile.hpp"
#include "analytics/rng.hpp"
#include "analytics/statistics.hpp"
#include "analytics/synthetic_data.hpp"
#include "analytics/text.hpp"
#include "analytics/titles.hpp"
#include "analytics/user_data.hpp"

namespace aw::analytics {

generation builtin_generate(const protocol::analytics_payload& payload, protocol::chart_type type) {
  generation g;
  g.chart_type = type;
  g.decided_by = payload.chart_preference ? "user" : "builtin";
  const request_profile profile = read_request(payload.content);

  if (payload.data) {
    g.data = *payload.data;
    complete_user_data(type, g.data, profile.subject.name);
    g.synthetic = false;
  } else {
    seeded_rng rng(fnv1a(protocol::to_string(type), fnv1a(payload.content)));
    g.data = synthesize(profile, type, rng);
  }

  g.title = payload.title ? *payload.title : title_from_request(payload.content);
  const axis_texts axes = axis_labels_for(type, profile, g.data, payload.content);
  g.x_label = axes.x;
  g.y_label = axes.y;

  g.stats = compute_statistics(headline_values(g.data));
  for (const auto& s : g.data.series) g.series_stats.push_back(compute_statistics(s.values));

  const story_input in{type, g.data, g.stats, profile, g.title, g.x_label, g.synthetic};
  g.insights = make_insights(in);
  g.narrative = make_narrative(in, g.insights);
  g.thoughts = make_thoughts(in);
  return g;
}

}  // namespace aw::analytics
