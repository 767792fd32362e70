#include "analytics/insights.hpp"

#include <algorithm>
#include <cmath>

#include "analytics/chart_shapes.hpp"
#include "analytics/statistics.hpp"
#include "analytics/synthetic_data.hpp"
#include "analytics/text.hpp"

namespace aw::analytics {
namespace {

using protocol::chart_type;
using strings = std::vector<std::string>;

std::size_t index_of_max(const std::vector<double>& v) {
  return static_cast<std::size_t>(std::max_element(v.begin(), v.end()) - v.begin());
}
std::size_t index_of_min(const std::vector<double>& v) {
  return static_cast<std::size_t>(std::min_element(v.begin(), v.end()) - v.begin());
}

std::string label_at(const protocol::chart_data& d, std::size_t i) {
  return i < d.labels.size() ? d.labels[i] : "#" + std::to_string(i + 1);
}

std::string subject_of(const story_input& in) {
  return in.profile.subject.name;
}

// "Revenue grew 35.6% from Q1 to Q4".
std::string growth_sentence(const std::string& who, const std::vector<double>& v,
                            const std::string& from, const std::string& to) {
  auto st = compute_statistics(v);
  if (!st.growth_pct) return "";
  double g = *st.growth_pct;
  if (std::fabs(g) < 0.05) return who + " stayed flat from " + from + " to " + to;
  return who + (g > 0 ? " grew " : " fell ") + format_percent(std::fabs(g)) + " from " + from +
         " to " + to;
}

strings values_insights(const story_input& in, const std::vector<double>& v,
                        const std::string& who) {
  const auto& d = in.data;
  strings out;
  if (v.empty()) return out;
  const auto st = compute_statistics(v);
  if (in.profile.time_axis() || in.type == chart_type::line_chart ||
      in.type == chart_type::area_chart || in.type == chart_type::step_chart) {
    auto g = growth_sentence(who, v, label_at(d, 0), label_at(d, v.size() - 1));
    if (!g.empty()) out.push_back(g);
  }
  std::size_t hi = index_of_max(v), lo = index_of_min(v);
  out.push_back(label_at(d, hi) + " was the highest at " + format_number(v[hi]));
  if (lo != hi) out.push_back(label_at(d, lo) + " was the lowest at " + format_number(v[lo]));
  out.push_back("The average across " + std::to_string(v.size()) + " " +
                to_lower(plural(in.x_label.empty() ? "value" : in.x_label)) + " was " +
                format_number(st.mean));
  out.push_back("The total was " + format_number(st.sum));
  return out;
}

// Bars (series[0]) on one axis, a line (series[1]) on the other: never add them up.
strings combo_insights(const story_input& in) {
  const auto& d = in.data;
  strings out = values_insights(in, d.series[0].values, d.series[0].name);
  const auto& line = d.series[1];
  if (!line.values.empty()) {
    std::size_t hi = index_of_max(line.values);
    out.insert(
        out.begin() + std::min<std::size_t>(out.size(), 2),
        line.name + " peaks at " + format_number(line.values[hi]) + " in " + label_at(d, hi));
  }
  return out;
}

// "Top 7 reps": who leads, by how much, and how much of the total the top three hold.
strings ranking_insights(const story_input& in) {
  const auto& d = in.data;
  const auto& v = d.values;
  std::vector<std::size_t> order(v.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return v[a] > v[b]; });
  strings out;
  std::string first = label_at(d, order[0]) + " ranks first at " + format_number(v[order[0]]);
  if (order.size() > 1)
    first += ", ahead of " + label_at(d, order[1]) + " at " + format_number(v[order[1]]);
  out.push_back(first);
  const double total = in.stats.sum;
  if (order.size() > 3 && total > 0) {
    double top = v[order[0]] + v[order[1]] + v[order[2]];
    out.push_back("The top 3 of " + std::to_string(v.size()) + " make up " +
                  format_percent(top / total * 100) + " of the total (" + format_number(top) +
                  " of " + format_number(total) + ")");
  }
  const double last = v[order.back()];
  if (order.size() > 1 && last > 0)
    out.push_back(label_at(d, order[0]) + " is " + format_number(round_to(v[order[0]] / last, 1)) +
                  " times " + label_at(d, order.back()) + ", last at " + format_number(last));
  return out;
}

// Two series side by side ("planned vs actual"): where one is above the other and the widest gap.
strings pair_insights(const story_input& in) {
  const auto& d = in.data;
  const auto& a = d.series[0];
  const auto& b = d.series[1];
  const std::size_t n = std::min(a.values.size(), b.values.size());
  strings out;
  if (n == 0) return out;
  std::size_t above = 0, widest = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (b.values[i] > a.values[i]) ++above;
    if (std::fabs(b.values[i] - a.values[i]) > std::fabs(b.values[widest] - a.values[widest]))
      widest = i;
  }
  const std::string noun = to_lower(plural(in.x_label.empty() ? "label" : in.x_label));
  out.push_back(b.name + " is above " + a.name + " in " + std::to_string(above) + " of " +
                std::to_string(n) + " " + noun);
  const double gap = b.values[widest] - a.values[widest];
  out.push_back("The widest gap is at " + label_at(d, widest) + ": " + b.name + " " +
                format_number(b.values[widest]) + " against " + format_number(a.values[widest]) +
                " (" + (gap >= 0 ? "+" : "") + format_number(gap) + ")");
  const double ta = compute_statistics(a.values).sum, tb = compute_statistics(b.values).sum;
  if (ta != 0)
    out.push_back("In total " + b.name + " is " + format_number(tb) + " against " +
                  format_number(ta) + " for " + a.name + " (" + (tb >= ta ? "+" : "") +
                  format_percent((tb - ta) / std::fabs(ta) * 100) + ")");
  return out;
}

strings share_insights(const story_input& in) {
  const auto& v = in.data.values;
  double total = in.stats.sum;
  std::size_t hi = index_of_max(v), lo = index_of_min(v);
  strings out;
  out.push_back(label_at(in.data, hi) + " has the largest share at " +
                format_percent(v[hi] / total * 100) + " (" + format_number(v[hi]) + ")");
  if (lo != hi)
    out.push_back(label_at(in.data, lo) + " has the smallest share at " +
                  format_percent(v[lo] / total * 100) + " (" + format_number(v[lo]) + ")");
  out.push_back("The " + std::to_string(v.size()) + " parts add up to " + format_number(total));
  return out;
}

strings funnel_insights(const story_input& in) {
  const auto& v = in.data.values;
  const auto& d = in.data;
  strings out;
  out.push_back("The funnel starts with " + format_number(v.front()) + " at " + label_at(d, 0));
  if (v.front() > 0)
    out.push_back(format_percent(v.back() / v.front() * 100) + " of " + label_at(d, 0) + " reach " +
                  label_at(d, v.size() - 1));
  std::size_t worst = 0;
  double worst_loss = -1;
  for (std::size_t i = 1; i < v.size(); ++i) {
    if (v[i - 1] <= 0) continue;
    double loss = (v[i - 1] - v[i]) / v[i - 1] * 100;
    if (loss > worst_loss) worst_loss = loss, worst = i;
  }
  if (worst > 0)
    out.push_back("The biggest drop is from " + label_at(d, worst - 1) + " to " +
                  label_at(d, worst) + ", losing " + format_percent(worst_loss));
  return out;
}

strings waterfall_insights(const story_input& in) {
  const auto& v = in.data.values;
  const auto& d = in.data;
  strings out;
  double net = in.stats.sum - v.front();
  out.push_back("Starting at " + format_number(v.front()) + ", the changes add up to " +
                (net >= 0 ? "+" : "") + format_number(net) + " and end at " +
                format_number(in.stats.sum));
  if (v.size() > 1) {
    std::vector<double> changes(v.begin() + 1, v.end());
    std::size_t largest = 0;
    for (std::size_t i = 1; i < changes.size(); ++i)
      if (std::fabs(changes[i]) > std::fabs(changes[largest])) largest = i;
    if (net != 0)
      out.push_back("The largest step of the bridge is " + label_at(d, largest + 1) + " at " +
                    (changes[largest] >= 0 ? "+" : "") + format_number(changes[largest]) + ", " +
                    format_percent(std::fabs(changes[largest]) /
                                   [&] {
                                     double s = 0;
                                     for (double c : changes) s += std::fabs(c);
                                     return s;
                                   }() *
                                   100) +
                    " of all movement");
    std::size_t up = index_of_max(changes), down = index_of_min(changes);
    if (changes[up] > 0)
      out.push_back("The largest increase is " + label_at(d, up + 1) + " at +" +
                    format_number(changes[up]));
    if (changes[down] < 0)
      out.push_back("The largest decrease is " + label_at(d, down + 1) + " at " +
                    format_number(changes[down]));
  }
  return out;
}

strings pareto_insights(const story_input& in) {
  const auto& v = in.data.values;
  strings out;
  double total = in.stats.sum;
  if (total <= 0) return out;
  double running = 0;
  std::size_t k = 0;
  while (k < v.size() && running / total < 0.8) running += v[k++];
  out.push_back("The top " + std::to_string(k) + " of " + std::to_string(v.size()) +
                " categories account for " + format_percent(running / total * 100) +
                " of the total");
  out.push_back(label_at(in.data, 0) + " alone is " + format_percent(v.front() / total * 100) +
                " of the total (" + format_number(v.front()) + ")");
  return out;
}

strings series_insights(const story_input& in) {
  const auto& d = in.data;
  strings out;
  std::vector<double> totals;
  for (const auto& s : d.series) totals.push_back(compute_statistics(s.values).sum);
  std::size_t lead = index_of_max(totals);
  const auto& leader = d.series[lead];
  if (d.series.size() > 1)
    out.push_back(leader.name + " leads with a total of " + format_number(totals[lead]));
  if (leader.values.size() > 1 &&
      (in.profile.time_axis() || in.type == chart_type::line_chart_multi)) {
    auto g = growth_sentence(leader.name, leader.values, label_at(d, 0),
                             label_at(d, leader.values.size() - 1));
    if (!g.empty()) out.push_back(g);
  }
  auto combined = headline_values(d);
  if (!combined.empty()) {
    std::size_t hi = index_of_max(combined);
    out.push_back(label_at(d, hi) + " has the highest combined total at " +
                  format_number(combined[hi]));
    out.push_back("The combined average across " + std::to_string(combined.size()) + " " +
                  to_lower(plural(in.x_label.empty() ? "label" : in.x_label)) + " was " +
                  format_number(in.stats.mean));
  }
  return out;
}

strings points_insights(const story_input& in) {
  const auto& pts = in.data.points;
  strings out;
  double r = correlation(pts);
  double a = std::fabs(r);
  std::string strength = a >= 0.7   ? "strong"
                         : a >= 0.4 ? "moderate"
                         : a >= 0.2 ? "weak"
                                    : "no clear";
  std::string direction = a < 0.2 ? "" : r > 0 ? " positive" : " negative";
  const auto& m = in.profile.measures;
  const std::string between =
      m.size() == 2 ? " between " + to_lower(m[0]) + " and " + to_lower(m[1]) : "";
  out.push_back("The correlation coefficient" + between + " is r = " +
                format_number(round_to(r, 2)) + ", a " + strength + direction + " relationship");
  std::vector<double> ys;
  for (const auto& p : pts) ys.push_back(p.y);
  auto st = compute_statistics(ys);
  out.push_back("Across " + std::to_string(pts.size()) + " points, " + subject_of(in) +
                " ranges from " + format_number(st.min) + " to " + format_number(st.max));
  out.push_back("The average " + to_lower(subject_of(in)) + " is " + format_number(st.mean));
  return out;
}

strings samples_insights(const story_input& in) {
  strings out;
  const auto& samples = in.data.groups.front().values;
  auto st = compute_statistics(samples);
  out.push_back("The " + std::to_string(st.count) + " samples average " + format_number(st.mean) +
                " with a standard deviation of " + format_number(st.std_dev));
  out.push_back("Values range from " + format_number(st.min) + " to " + format_number(st.max) +
                ", with a median of " + format_number(st.median));
  if (!in.data.values.empty()) {
    std::size_t hi = index_of_max(in.data.values);
    out.push_back("The most common range is " + label_at(in.data, hi) + " with " +
                  format_number(in.data.values[hi]) + " values");
  }
  return out;
}

strings groups_insights(const story_input& in) {
  strings out;
  std::vector<double> medians;
  for (const auto& g : in.data.groups) medians.push_back(median_of(g.values));
  std::size_t hi = index_of_max(medians), lo = index_of_min(medians);
  out.push_back(in.data.groups[hi].name + " has the highest median at " +
                format_number(medians[hi]));
  if (lo != hi)
    out.push_back(in.data.groups[lo].name + " has the lowest median at " +
                  format_number(medians[lo]));
  std::size_t n = 0;
  for (const auto& g : in.data.groups) n += g.values.size();
  out.push_back(std::to_string(in.data.groups.size()) + " groups with " + std::to_string(n) +
                " values in all");
  return out;
}

strings matrix_insights(const story_input& in) {
  const auto& d = in.data;
  strings out;
  std::size_t br = 0, bc = 0, lr = 0, lc = 0;
  for (std::size_t r = 0; r < d.matrix.size(); ++r)
    for (std::size_t c = 0; c < d.matrix[r].size(); ++c) {
      if (d.matrix[r][c] > d.matrix[br][bc]) br = r, bc = c;
      if (d.matrix[r][c] < d.matrix[lr][lc]) lr = r, lc = c;
    }
  auto name = [&](std::size_t r, std::size_t c) {
    std::string row = r < d.row_labels.size() ? d.row_labels[r] : "row " + std::to_string(r + 1);
    std::string col =
        c < d.column_labels.size() ? d.column_labels[c] : "column " + std::to_string(c + 1);
    return row + " " + col;
  };
  out.push_back("The highest value is " + format_number(d.matrix[br][bc]) + " at " + name(br, bc));
  out.push_back("The lowest value is " + format_number(d.matrix[lr][lc]) + " at " + name(lr, lc));
  std::vector<double> row_totals;
  for (const auto& row : d.matrix) row_totals.push_back(compute_statistics(row).sum);
  std::size_t top = index_of_max(row_totals);
  out.push_back((top < d.row_labels.size() ? d.row_labels[top] : "Row " + std::to_string(top + 1)) +
                " has the highest total at " + format_number(row_totals[top]));
  return out;
}

strings candle_insights(const story_input& in) {
  const auto& c = in.data.candles;
  strings out;
  std::vector<double> closes;
  for (const auto& k : c) closes.push_back(k.close);
  auto g = growth_sentence("The closing price", closes, c.front().label, c.back().label);
  if (!g.empty()) out.push_back(g);
  std::size_t hi = 0, lo = 0;
  for (std::size_t i = 0; i < c.size(); ++i) {
    if (c[i].high > c[hi].high) hi = i;
    if (c[i].low < c[lo].low) lo = i;
  }
  out.push_back("The highest high was " + format_number(c[hi].high) + " on " + c[hi].label);
  out.push_back("The lowest low was " + format_number(c[lo].low) + " on " + c[lo].label);
  out.push_back("The average close over " + std::to_string(c.size()) + " sessions was " +
                format_number(compute_statistics(closes).mean));
  return out;
}

}  // namespace

double correlation(const std::vector<protocol::point>& points) {
  const double n = static_cast<double>(points.size());
  if (points.size() < 2) return 0;
  double mx = 0, my = 0;
  for (const auto& p : points) mx += p.x, my += p.y;
  mx /= n, my /= n;
  double sxy = 0, sxx = 0, syy = 0;
  for (const auto& p : points) {
    sxy += (p.x - mx) * (p.y - my);
    sxx += (p.x - mx) * (p.x - mx);
    syy += (p.y - my) * (p.y - my);
  }
  if (sxx <= 0 || syy <= 0) return 0;
  return sxy / std::sqrt(sxx * syy);
}

std::vector<std::string> make_insights(const story_input& in) {
  const auto& d = in.data;
  strings out;
  switch (shape_of(in.type)) {
    case data_shape::points:
      if (!d.points.empty()) out = points_insights(in);
      break;
    case data_shape::groups:
      if (in.type == chart_type::histogram && d.groups.size() == 1)
        out = samples_insights(in);
      else if (!d.groups.empty())
        out = groups_insights(in);
      break;
    case data_shape::matrix:
      if (!d.matrix.empty() && !d.matrix.front().empty()) out = matrix_insights(in);
      break;
    case data_shape::candles:
      if (!d.candles.empty()) out = candle_insights(in);
      break;
    default:
      break;
  }
  if (out.empty() && !d.values.empty()) {
    if (in.type == chart_type::pie_chart || in.type == chart_type::donut_chart) {
      if (in.stats.sum > 0) out = share_insights(in);
    } else if (in.type == chart_type::funnel_chart) {
      out = funnel_insights(in);
    } else if (in.type == chart_type::waterfall_chart) {
      out = waterfall_insights(in);
    } else if (in.type == chart_type::pareto_chart) {
      out = pareto_insights(in);
    } else if (in.type == chart_type::bar_chart_horizontal ||
               (in.profile.ranking && (in.type == chart_type::bar_chart_vertical))) {
      out = ranking_insights(in);
    }
  }
  if (out.empty() && d.series.size() == 2 && !in.profile.series.empty() &&
      (in.type == chart_type::bar_chart_grouped || in.type == chart_type::line_chart_multi))
    out = pair_insights(in);
  if (out.empty() && in.type == chart_type::combo_bar_line && d.series.size() >= 2)
    out = combo_insights(in);
  if (out.empty() && !d.series.empty()) out = series_insights(in);
  if (out.empty()) out = values_insights(in, d.values, subject_of(in));
  // Top up with general observations so there are always at least three.
  if (out.size() < 3) {
    for (auto& s : values_insights(in, headline_values(d), subject_of(in)))
      if (out.size() < 3 && std::find(out.begin(), out.end(), s) == out.end()) out.push_back(s);
  }
  if (out.size() > 5) out.resize(5);
  return out;
}

}  // namespace aw::analytics
