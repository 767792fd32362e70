#include "analytics/planner.hpp"

#include "analytics/builtin_llm.hpp"
#include "analytics/request_parser.hpp"
#include "analytics/request_profile.hpp"
#include "analytics/text.hpp"

namespace aw::analytics {
namespace {

using protocol::chart_type;

struct choice {
  chart_type type;
  std::string why;  // completes "The request asks about ..." or is a whole clause
  bool names_type = false;
};

std::string human_name(chart_type t) {
  switch (t) {
    case chart_type::bar_chart_vertical:
      return "vertical bar chart";
    case chart_type::bar_chart_horizontal:
      return "horizontal bar chart";
    case chart_type::bar_chart_grouped:
      return "grouped bar chart";
    case chart_type::bar_chart_stacked:
      return "stacked bar chart";
    case chart_type::line_chart:
      return "line chart";
    case chart_type::line_chart_multi:
      return "multi-line chart";
    case chart_type::area_chart:
      return "area chart";
    case chart_type::area_chart_stacked:
      return "stacked area chart";
    case chart_type::pie_chart:
      return "pie chart";
    case chart_type::donut_chart:
      return "donut chart";
    case chart_type::scatter_plot:
      return "scatter plot";
    case chart_type::bubble_chart:
      return "bubble chart";
    case chart_type::histogram:
      return "histogram";
    case chart_type::box_plot:
      return "box plot";
    case chart_type::violin_plot:
      return "violin plot";
    case chart_type::heatmap:
      return "heatmap";
    case chart_type::radar_chart:
      return "radar chart";
    case chart_type::waterfall_chart:
      return "waterfall chart";
    case chart_type::funnel_chart:
      return "funnel chart";
    case chart_type::step_chart:
      return "step chart";
    case chart_type::candlestick_chart:
      return "candlestick chart";
    case chart_type::combo_bar_line:
      return "combined bar and line chart";
    case chart_type::pareto_chart:
      return "Pareto chart";
  }
  return "chart";
}

// With several series in the user's data, a one-series type takes its several-series form.
chart_type several_form(chart_type t) {
  switch (t) {
    case chart_type::line_chart:
      return chart_type::line_chart_multi;
    case chart_type::area_chart:
      return chart_type::area_chart_stacked;
    case chart_type::bar_chart_vertical:
    case chart_type::bar_chart_horizontal:
      return chart_type::bar_chart_grouped;
    default:
      return t;
  }
}

// Data with a shape of its own decides the type.
std::optional<choice> shaped_type(const protocol::chart_data& d, const parsed_request& p) {
  if (!d.candles.empty())
    return choice{chart_type::candlestick_chart, "the data holds open/high/low/close prices"};
  if (!d.matrix.empty()) return choice{chart_type::heatmap, "the data is a matrix"};
  if (!d.points.empty()) {
    for (const auto& pt : d.points)
      if (pt.size) return choice{chart_type::bubble_chart, "the data holds points with sizes"};
    return choice{chart_type::scatter_plot, "the data holds x/y points"};
  }
  if (!d.groups.empty()) {
    if (has_any(p.text, {"violin", "density"}))
      return choice{chart_type::violin_plot,
                    "the data holds samples and the request asks about density"};
    return d.groups.size() == 1
               ? choice{chart_type::histogram, "the data holds raw samples"}
               : choice{chart_type::box_plot, "the data holds samples in several groups"};
  }
  return std::nullopt;
}

std::string sentence(const choice& c) {
  std::string name = human_name(c.type);
  std::string article = std::string("aeiou").find(name.front()) != std::string::npos ? "an " : "a ";
  if (c.names_type) return "The request names " + article + name + ", so I will draw one.";
  if (c.why.rfind("the data", 0) == 0)
    return capitalize(c.why) + ", so " + article + name + " fits.";
  return "The request asks about " + c.why + ", so " + article + name + " fits.";
}

}  // namespace

chart_plan make_plan(const protocol::analytics_payload& payload) {
  chart_plan plan;
  const auto* data = payload.data ? &*payload.data : nullptr;

  if (payload.chart_preference) {
    plan.type = *payload.chart_preference;
    plan.type_from_user = true;
    plan.reasoning = "A " + human_name(plan.type) + " was requested, so I will draw one.";
  } else {
    const parsed_request parsed = parse_request(payload.content);
    std::optional<choice> c = data ? shaped_type(*data, parsed) : std::nullopt;
    if (!c) {
      chart_type t = parsed.type;
      if (data && !data->series.empty() && !parsed.named) t = several_form(t);
      c = choice{t, parsed.reason, parsed.named.has_value()};
    }
    if (c && data && !check_data_fits(c->type, *data).ok()) c.reset();  // the data cannot draw it
    if (!c) {
      c = data && !data->series.empty()
              ? choice{chart_type::bar_chart_grouped, "the data holds several series"}
              : choice{chart_type::bar_chart_vertical, "values across categories"};
    }
    plan.type = c->type;
    plan.reasoning = sentence(*c);
  }

  plan.steps.push_back("plan_chart");
  plan.steps.push_back(data ? "prepare_data" : "generate_data");
  if (payload.enhance_labels) plan.steps.push_back("llm_enhance");
  plan.steps.push_back("render_chart");
  return plan;
}

}  // namespace aw::analytics
