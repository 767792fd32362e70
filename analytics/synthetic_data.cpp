#include "analytics/synthetic_data.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "analytics/text.hpp"

namespace aw::analytics {
namespace {

using protocol::chart_type;

constexpr double kTwoPi = 6.283185307179586;

std::vector<std::string> first_n(std::vector<std::string> v, std::size_t n) {
  if (v.size() > n) v.resize(n);
  return v;
}

bool compares_several(const request_profile& p) {
  return p.years.size() >= 2 || has_any(p.lowered, {"compare", "comparison", "versus", "vs"});
}

// Labels for category-like charts (pie, pareto, radar) when the request names a time axis
// only by accident; a radar needs at least three spokes.
std::vector<std::string> category_labels(const request_profile& p, std::size_t max) {
  if (!p.labels.empty()) return p.labels;  // the words fixed them
  return first_n(axis_labels(p), max);
}

void fill_values(const request_profile& p, const subject_info& s, seeded_rng& rng,
                 protocol::chart_data& d) {
  d.labels = axis_labels(p);
  d.values = p.time_axis() ? trend_values(p, s, rng, d.labels.size())
                           : category_values(s, rng, d.labels.size());
}

void fill_series(const request_profile& p, const subject_info& s, seeded_rng& rng,
                 protocol::chart_data& d) {
  d.labels = axis_labels(p, false);
  auto names = series_names(p, 2);
  for (std::size_t k = 0; k < names.size(); ++k) {
    subject_info scaled = s;
    // Later series (later years) run a little higher.
    double factor = 1.0 + 0.12 * static_cast<double>(k);
    scaled.low *= factor;
    scaled.high *= factor;
    auto values = p.time_axis() ? trend_values(p, scaled, rng, d.labels.size())
                                : category_values(scaled, rng, d.labels.size());
    d.series.push_back({names[k], values});
  }
}

void fill_combo(const request_profile& p, seeded_rng& rng, protocol::chart_data& d) {
  subject_info s = positive_subject(p.subject);
  d.labels = axis_labels(p);
  auto bars = p.time_axis() ? trend_values(p, s, rng, d.labels.size())
                            : category_values(s, rng, d.labels.size());
  std::vector<double> line(bars.size(), 0.0);
  double total = 0;
  for (double b : bars) total += b;
  for (std::size_t i = 0; i < bars.size(); ++i) {
    if (p.time_axis())  // period-over-period change
      line[i] =
          i > 0 && bars[i - 1] != 0 ? round_to((bars[i] - bars[i - 1]) / bars[i - 1] * 100, 2) : 0;
    else
      line[i] = total > 0 ? round_to(bars[i] / total * 100, 2) : 0;
  }
  const bool named = p.series.size() == 2;  // "X as bars and Y as a line"
  d.series.push_back({named ? p.series[0] : s.name, bars});
  d.series.push_back({named ? p.series[1] : p.time_axis() ? "Change (%)" : "Share (%)", line});
}

void fill_funnel(const request_profile& p, seeded_rng& rng, protocol::chart_data& d) {
  d.labels = p.labels.empty() || p.labels_generic ? axis_labels_of(axis_kind::funnel_stages, p, false)
                                                 : p.labels;
  bool counts = p.subject.decimals == 0 && p.subject.quantum == 1;
  double v = counts ? p.subject.high * rng.between(0.8, 1.0) : rng.between(5000, 10000);
  v = std::round(v);
  for (std::size_t i = 0; i < d.labels.size(); ++i) {
    d.values.push_back(v);
    double next = std::round(v * rng.between(0.35, 0.75));
    v = std::max(1.0, std::min(next, v - 1));  // strictly decreasing, never below 1
  }
}

void fill_waterfall(const request_profile& p, seeded_rng& rng, protocol::chart_data& d) {
  subject_info s = positive_subject(p.subject);
  auto steps = p.labels.empty() ? first_n(axis_labels(p), 6) : p.labels;
  d.labels.push_back("Start");
  d.labels.insert(d.labels.end(), steps.begin(), steps.end());
  double span = s.high - s.low;
  d.values.push_back(round_value(s, s.low + span * rng.between(0.4, 0.6)));
  double drift = p.trend == trend_kind::falling ? -0.04 : p.trend == trend_kind::rising ? 0.04 : 0;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    double change = span * (drift + rng.normal(0, 0.12));
    // Make sure the bridge shows both directions.
    if (i == 1 && change > 0) change = -change;
    if (i == 0 && change < 0) change = -change;
    double r = round_value(s, change);
    d.values.push_back(r == 0 ? s.quantum * (s.decimals ? 0.01 : 1) : r);
  }
}

void fill_pareto(const request_profile& p, seeded_rng& rng, protocol::chart_data& d) {
  subject_info s = positive_subject(p.subject);
  auto labels =
      p.time_axis() && p.labels.empty() ? axis_labels_of(axis_kind::categories, p, false)
                                        : category_labels(p, 8);
  std::vector<std::pair<double, std::string>> rows;
  double top = s.high * rng.between(0.8, 1.0);
  for (std::size_t i = 0; i < labels.size(); ++i) {
    double v = top * std::pow(0.6, static_cast<double>(i)) * rng.between(0.85, 1.15);
    rows.push_back({std::max(round_value(s, v), s.decimals ? 0.01 : s.quantum), labels[i]});
  }
  std::stable_sort(rows.begin(), rows.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (const auto& [v, label] : rows) {
    d.labels.push_back(label);
    d.values.push_back(v);
  }
}

void fill_radar(const request_profile& p, seeded_rng& rng, protocol::chart_data& d) {
  subject_info s = positive_subject(p.subject);
  d.labels = !p.labels.empty() ? p.labels
             : p.time_axis() || p.axis == axis_kind::categories
                 ? axis_labels_of(axis_kind::skills, p, false)
                 : axis_labels(p, false);
  if (!p.series.empty()) {
    for (const auto& name : p.series)
      d.series.push_back({name, category_values(s, rng, d.labels.size())});
    return;
  }
  if (!compares_several(p)) {
    d.values = category_values(s, rng, d.labels.size());
    return;
  }
  for (const auto& name : series_names(p, 2))
    d.series.push_back({name, category_values(s, rng, d.labels.size())});
}

}  // namespace

double round_value(const subject_info& s, double v) {
  if (s.decimals > 0) return round_to(v, s.decimals);
  return round_to(v / s.quantum, 0) * s.quantum;
}

subject_info positive_subject(const subject_info& s) {
  subject_info out = s;
  if (out.low <= 0) out.low = std::max(out.high * 0.1, 1.0);
  return out;
}

std::vector<double> trend_values(const request_profile& p, const subject_info& s, seeded_rng& rng,
                                 std::size_t n) {
  const double span = s.high - s.low;
  double start = s.low + span * rng.between(0.35, 0.6);
  double end = start + span * rng.between(-0.05, 0.05);
  if (p.trend == trend_kind::rising) {
    start = s.low + span * rng.between(0.2, 0.4);
    end = start + span * rng.between(0.2, 0.4);
  } else if (p.trend == trend_kind::falling) {
    start = s.low + span * rng.between(0.6, 0.8);
    end = start - span * rng.between(0.2, 0.4);
  }
  std::vector<double> out;
  for (std::size_t i = 0; i < n; ++i) {
    double t = n > 1 ? static_cast<double>(i) / static_cast<double>(n - 1) : 0;
    double v = start + (end - start) * t + rng.normal(0, span * 0.04);
    // Seasonal: lowest at the start of the cycle, highest halfway (January vs July).
    if (p.seasonal)
      v -= span * 0.2 * std::cos(kTwoPi * static_cast<double>(i) / std::max<double>(n, 4));
    out.push_back(round_value(s, std::clamp(v, s.low, s.high)));
  }
  return out;
}

std::vector<double> category_values(const subject_info& s, seeded_rng& rng, std::size_t n) {
  std::vector<double> out;
  for (std::size_t i = 0; i < n; ++i)
    out.push_back(round_value(s, s.low + (s.high - s.low) * rng.between(0.15, 0.95)));
  return out;
}

protocol::chart_data synthesize(const request_profile& p, chart_type type, seeded_rng& rng) {
  protocol::chart_data d;
  switch (type) {
    case chart_type::bar_chart_vertical:
    case chart_type::line_chart:
    case chart_type::area_chart:
    case chart_type::step_chart:
      fill_values(p, p.subject, rng, d);
      if (type == chart_type::step_chart)  // a step chart holds its level for a while
        for (std::size_t i = 1; i < d.values.size(); ++i)
          if (rng.uniform() < 0.35) d.values[i] = d.values[i - 1];
      break;
    case chart_type::bar_chart_horizontal:
      fill_values(p, p.subject, rng, d);
      if (!p.time_axis()) {  // horizontal bars read as a ranking
        std::vector<std::size_t> order(d.values.size());
        std::iota(order.begin(), order.end(), 0);
        std::stable_sort(order.begin(), order.end(),
                         [&](std::size_t a, std::size_t b) { return d.values[a] > d.values[b]; });
        protocol::chart_data sorted;
        for (std::size_t i : order) {
          sorted.labels.push_back(d.labels[i]);
          sorted.values.push_back(d.values[i]);
        }
        d = sorted;
      }
      break;
    case chart_type::pie_chart:
    case chart_type::donut_chart:
      d.labels = category_labels(p, 6);
      d.values = category_values(positive_subject(p.subject), rng, d.labels.size());
      break;
    case chart_type::bar_chart_grouped:
    case chart_type::line_chart_multi:
      fill_series(p, p.subject, rng, d);
      break;
    case chart_type::bar_chart_stacked:
    case chart_type::area_chart_stacked:
      fill_series(p, positive_subject(p.subject), rng, d);
      break;
    case chart_type::combo_bar_line:
      fill_combo(p, rng, d);
      break;
    case chart_type::funnel_chart:
      fill_funnel(p, rng, d);
      break;
    case chart_type::waterfall_chart:
      fill_waterfall(p, rng, d);
      break;
    case chart_type::pareto_chart:
      fill_pareto(p, rng, d);
      break;
    case chart_type::radar_chart:
      fill_radar(p, rng, d);
      break;
    case chart_type::scatter_plot:
    case chart_type::bubble_chart:
      d.points = make_points(p, rng, type == chart_type::bubble_chart);
      points_summary(d);
      break;
    case chart_type::histogram:
      d.groups = make_groups(p, rng, 1);
      histogram_summary(d.groups.front().values, d);
      break;
    case chart_type::box_plot:
    case chart_type::violin_plot:
      d.groups = make_groups(p, rng,
                             !p.labels.empty() ? p.labels.size()
                             : p.points > 1    ? static_cast<std::size_t>(std::min(p.points, 12))
                                               : static_cast<std::size_t>(rng.integer(3, 5)));
      groups_summary(d);
      break;
    case chart_type::heatmap:
      make_matrix(p, rng, d);
      matrix_summary(d);
      break;
    case chart_type::candlestick_chart:
      d.candles = make_candles(p, rng);
      candles_summary(d);
      break;
  }
  return d;
}

}  // namespace aw::analytics
