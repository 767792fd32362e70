// The narrative paragraph and the agent's "thinking" lines.
#include "analytics/chart_shapes.hpp"
#include "analytics/insights.hpp"
#include "analytics/text.hpp"

namespace aw::analytics {

using protocol::chart_type;

std::string make_narrative(const story_input& in, const std::vector<std::string>& insights) {
  const auto& st = in.stats;
  const auto& d = in.data;
  std::string lead = in.title + " covers ";
  switch (shape_of(in.type)) {
    case data_shape::points:
      lead += std::to_string(d.points.size()) + " points";
      break;
    case data_shape::groups: {
      std::size_t n = 0;
      for (const auto& g : d.groups) n += g.values.size();
      lead += std::to_string(n) + " values in " + std::to_string(d.groups.size()) +
              (d.groups.size() == 1 ? " group" : " groups");
      break;
    }
    case data_shape::matrix:
      lead += std::to_string(d.matrix.size()) + " rows by " + std::to_string(d.labels.size()) +
              " columns";
      break;
    case data_shape::candles:
      lead += std::to_string(d.candles.size()) + " trading days";
      break;
    default:
      lead += std::to_string(st.count) + " " +
              to_lower(plural(in.x_label.empty() ? "value" : in.x_label));
      if (st.count > 0 && in.type != chart_type::waterfall_chart &&
          in.type != chart_type::combo_bar_line)
        lead += ", ranging from " + format_number(st.min) + " to " + format_number(st.max);
  }
  lead += in.synthetic ? " (illustrative data)." : ".";
  std::string out = lead;
  for (std::size_t i = 0; i < insights.size() && i < 2; ++i) out += " " + insights[i] + ".";
  return out;
}

std::vector<std::string> make_thoughts(const story_input& in) {
  const auto& p = in.profile;
  std::vector<std::string> out;
  std::string reading =
      "Reading the request: " +
      (p.axis == axis_kind::categories ? std::string() : p.axis_word + " ") +
      to_lower(p.subject.name == "Value" ? std::string("figures") : p.subject.name);
  if (p.years.size() == 1) reading += " for " + std::to_string(p.years.front());
  if (p.years.size() > 1) reading += " comparing " + std::to_string(p.years.size()) + " years";
  out.push_back(reading);

  const auto& d = in.data;
  std::string trend = p.trend == trend_kind::rising    ? "an upward trend"
                      : p.trend == trend_kind::falling ? "a downward trend"
                                                       : "no strong trend";
  if (!in.synthetic) {
    out.push_back("Using the " + std::to_string(d.labels.size()) +
                  " data points you provided, unchanged");
  } else if (!d.points.empty()) {
    out.push_back("Generating " + std::to_string(d.points.size()) + " points with a " +
                  (correlation(d.points) < 0 ? "negative" : "positive") + " correlation");
  } else if (!d.groups.empty()) {
    std::size_t n = 0;
    for (const auto& g : d.groups) n += g.values.size();
    out.push_back("Drawing " + std::to_string(n) + " normally distributed samples in " +
                  std::to_string(d.groups.size()) + (d.groups.size() == 1 ? " group" : " groups"));
  } else if (!d.candles.empty()) {
    out.push_back("Simulating " + std::to_string(d.candles.size()) +
                  " trading days of prices with " + trend);
  } else if (!d.matrix.empty()) {
    out.push_back("Filling a " + std::to_string(d.matrix.size()) + " x " +
                  std::to_string(d.matrix.front().size()) + " grid");
  } else {
    std::string what = d.series.empty()
                           ? std::to_string(d.labels.size()) + " " + p.axis_word + " values"
                           : std::to_string(d.series.size()) + " series of " +
                                 std::to_string(d.labels.size()) + " values";
    out.push_back("Generating " + what + " with " + trend +
                  (p.seasonal ? " and a seasonal swing" : ""));
  }
  const auto shape = shape_of(in.type);
  const bool over_time = p.time_axis() || in.type == chart_type::line_chart ||
                         in.type == chart_type::line_chart_multi || shape == data_shape::candles;
  const bool additive =
      in.type != chart_type::waterfall_chart && in.type != chart_type::combo_bar_line;
  if ((shape == data_shape::values || shape == data_shape::series ||
       shape == data_shape::candles) &&
      additive) {
    std::string stats = "Computing statistics: mean " + format_number(in.stats.mean);
    if (in.stats.growth_pct && over_time)
      stats += ", growth " + format_percent(*in.stats.growth_pct);
    out.push_back(stats);
  } else {
    out.push_back("Computing statistics and insights from " + std::to_string(in.stats.count) +
                  " summary values");
  }
  return out;
}

}  // namespace aw::analytics
