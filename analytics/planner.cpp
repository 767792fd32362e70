#include "analytics/planner.hpp"

#include "analytics/builtin_llm.hpp"
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

bool time_words(const request_profile& p) {
  return has_any(p.lowered, {"trend", "over time", "monthly", "weekly", "daily", "hourly", "yearly",
                             "annual", "timeline", "history", "trajectory", "over the years",
                             "over the past", "year over year", "since"}) ||
         (p.time_axis() && has_any(p.lowered, {"growth", "grew", "grow", "increase", "decline",
                                               "change", "evolution", "progress"}));
}

// The request names a chart type outright ("pie chart", "histogram", ...).
std::optional<choice> named_type(const request_profile& p, bool several) {
  const std::string& t = p.lowered;
  auto named = [](chart_type type) { return choice{type, "", true}; };
  // The protocol names with spaces ("line chart multi"), longest first.
  std::optional<chart_type> best;
  std::size_t best_length = 0;
  for (chart_type type : protocol::all_chart_types()) {
    std::string spaced(protocol::to_string(type));
    for (char& c : spaced)
      if (c == '_') c = ' ';
    if (spaced.size() > best_length &&
        (has_word(t, spaced) || has_word(t, protocol::to_string(type)))) {
      best = type;
      best_length = spaced.size();
    }
  }
  if (best) return named(*best);
  if (has_any(t, {"candlestick", "ohlc"})) return named(chart_type::candlestick_chart);
  if (has_any(t, {"heatmap", "heat map"})) return named(chart_type::heatmap);
  if (has_any(t, {"histogram"})) return named(chart_type::histogram);
  if (has_any(t, {"violin"})) return named(chart_type::violin_plot);
  if (has_any(t, {"box plot", "boxplot", "box and whisker", "box"}))
    return named(chart_type::box_plot);
  if (has_any(t, {"bubble"})) return named(chart_type::bubble_chart);
  if (has_any(t, {"scatter"})) return named(chart_type::scatter_plot);
  if (has_any(t, {"radar", "spider"})) return named(chart_type::radar_chart);
  if (has_any(t, {"waterfall"})) return named(chart_type::waterfall_chart);
  if (has_any(t, {"funnel"})) return named(chart_type::funnel_chart);
  if (has_any(t, {"pareto"})) return named(chart_type::pareto_chart);
  if (has_any(t, {"donut", "doughnut", "ring"})) return named(chart_type::donut_chart);
  if (has_any(t, {"pie"})) return named(chart_type::pie_chart);
  if (has_any(t, {"combo", "dual axis", "dual-axis", "bar and line", "bars and a line"}))
    return named(chart_type::combo_bar_line);
  if (has_any(t, {"stacked"}))
    return named(has_word(t, "area") ? chart_type::area_chart_stacked
                                     : chart_type::bar_chart_stacked);
  if (has_any(t, {"grouped", "clustered", "side by side", "side-by-side"}))
    return named(chart_type::bar_chart_grouped);
  if (has_any(t, {"step", "stepped"})) return named(chart_type::step_chart);
  if (has_any(t, {"area"}))
    return named(several ? chart_type::area_chart_stacked : chart_type::area_chart);
  if (has_any(t, {"horizontal"})) return named(chart_type::bar_chart_horizontal);
  if (has_any(t, {"multi-line", "multi line", "multiple lines"}))
    return named(chart_type::line_chart_multi);
  if (has_any(t, {"line chart", "line graph", "line"}))
    return named(several ? chart_type::line_chart_multi : chart_type::line_chart);
  if (has_any(t, {"bar chart", "bar graph", "column chart", "bar"}))
    return named(several ? chart_type::bar_chart_grouped : chart_type::bar_chart_vertical);
  return std::nullopt;
}

// The request describes what it wants to see ("share", "trend", "distribution", ...).
std::optional<choice> described_type(const request_profile& p, bool several) {
  const std::string& t = p.lowered;
  const bool over_time = time_words(p);
  const bool by_group = !p.time_axis() && p.axis != axis_kind::categories;
  if (has_any(t, {"quartile", "outlier", "interquartile"}))
    return choice{chart_type::box_plot, "quartiles and outliers"};
  if (has_any(t, {"density"})) return choice{chart_type::violin_plot, "the density of values"};
  if (has_any(t, {"distribution", "spread", "frequency", "how often", "dispersion"}))
    return by_group ? choice{chart_type::box_plot, "how values are distributed across groups"}
                    : choice{chart_type::histogram, "how values are distributed"};
  if (has_any(t, {"correlation", "correlate", "relationship", "related to"}))
    return has_any(t, {"size", "sized", "three", "population"})
               ? choice{chart_type::bubble_chart, "a relationship with a third dimension"}
               : choice{chart_type::scatter_plot, "a relationship between two measures"};
  if (has_any(t, {"bridge", "cumulative change", "contribution", "walk from"}))
    return choice{chart_type::waterfall_chart, "how changes add up from a starting value"};
  if (has_any(t, {"80/20", "vital few", "top causes", "biggest causes"}))
    return choice{chart_type::pareto_chart, "which few categories make up most of the total"};
  if (has_any(t, {"matrix", "by hour and day", "hour of day", "hour and day", "day and hour",
                  "intensity"}))
    return choice{chart_type::heatmap, "values across two dimensions at once"};
  const bool categorical =
      by_group && p.axis != axis_kind::skills && p.axis != axis_kind::funnel_stages;
  if (has_any(t, {"stock", "share price", "trading", "open high low close"}) ||
      (has_word(t, "price") && !categorical))
    return choice{chart_type::candlestick_chart, "price movements over trading days"};
  if (has_any(t, {"profile", "skills", "strengths", "attributes", "multi-dimensional"}))
    return choice{chart_type::radar_chart, "a profile across several dimensions"};
  if (!over_time && has_any(t, {"conversion", "pipeline", "drop-off", "drop off", "stages"}))
    return choice{chart_type::funnel_chart, "how many make it through each stage"};
  if (has_any(t, {"share", "proportion", "percent of", "percentage of", "breakdown", "composition",
                  "split", "part of", "makeup"}))
    return choice{chart_type::pie_chart, "share of a whole"};
  if (has_any(t, {"vs", "versus", "compare", "comparison", "compared"})) {
    if (several)
      return over_time ? choice{chart_type::line_chart_multi, "several series over time"}
                       : choice{chart_type::bar_chart_grouped, "a comparison of several series"};
    if (has_any(t, {"vs", "versus"}))
      return choice{chart_type::scatter_plot, "one measure against another"};
  }
  if (over_time)
    return several ? choice{chart_type::line_chart_multi, "several series over time"}
                   : choice{chart_type::line_chart, "a change over time"};
  if (has_any(t, {"ranking", "rank", "ranked", "top", "leaderboard", "largest", "biggest"}) ||
      p.axis == axis_kind::countries)
    return choice{chart_type::bar_chart_horizontal, "a ranking of many categories"};
  return std::nullopt;
}

// Data with a shape of its own decides the type.
std::optional<choice> shaped_type(const protocol::chart_data& d, const request_profile& p) {
  if (!d.candles.empty())
    return choice{chart_type::candlestick_chart, "the data holds open/high/low/close prices"};
  if (!d.matrix.empty()) return choice{chart_type::heatmap, "the data is a matrix"};
  if (!d.points.empty()) {
    for (const auto& pt : d.points)
      if (pt.size) return choice{chart_type::bubble_chart, "the data holds points with sizes"};
    return choice{chart_type::scatter_plot, "the data holds x/y points"};
  }
  if (!d.groups.empty()) {
    if (has_any(p.lowered, {"violin", "density"}))
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
  const request_profile p = read_request(payload.content);
  const auto* data = payload.data ? &*payload.data : nullptr;

  if (payload.chart_preference) {
    plan.type = *payload.chart_preference;
    plan.type_from_user = true;
    plan.reasoning = "A " + human_name(plan.type) + " was requested, so I will draw one.";
  } else {
    const bool several =
        (data && !data->series.empty()) || p.years.size() >= 2 ||
        (time_words(p) && has_any(p.lowered, {"compare", "comparison", "vs", "versus"}));
    std::optional<choice> c = data ? shaped_type(*data, p) : std::nullopt;
    if (!c) c = named_type(p, several);
    if (!c) c = described_type(p, several);
    if (c && data && check_data_fits(c->type, *data)) c.reset();  // the data cannot draw it
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
