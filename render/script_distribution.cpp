// Histogram, box plot and violin plot: drawn from data.groups (samples).
#include <algorithm>
#include <cmath>

#include "render/script_types.hpp"

namespace aw::render::detail {
namespace {

std::vector<data_series> groups_of(const chart_spec& spec) {
  std::vector<data_series> groups;
  for (const auto& g : spec.data.groups) {
    if (g.values.empty()) continue;
    for (double v : g.values) require_finite(v, "sample");
    groups.push_back(g);
  }
  if (groups.empty()) {
    throw script_error(std::string(name_of(spec.kind)) +
                       " needs data.groups (samples)");
  }
  if (groups.size() > max_drawn_series) groups.resize(max_drawn_series);
  return groups;
}

std::string group_name(const data_series& g, std::size_t i) {
  std::string name = clean_text(g.name, 40);
  return name.empty() ? "Group " + std::to_string(i + 1) : name;
}

void min_max(const std::vector<data_series>& groups, double& lo, double& hi) {
  lo = hi = groups[0].values[0];
  for (const auto& g : groups) {
    for (double v : g.values) lo = std::min(lo, v), hi = std::max(hi, v);
  }
}

double quantile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  double pos = q * (v.size() - 1);
  auto below = static_cast<std::size_t>(std::floor(pos));
  std::size_t above = std::min(below + 1, v.size() - 1);
  return v[below] + (v[above] - v[below]) * (pos - below);
}

void write_samples(context& c, const std::vector<data_series>& groups) {
  for (std::size_t i = 0; i < groups.size(); ++i) {
    write_block_start(c, "$G" + std::to_string(i));
    for (double v : groups[i].values) c.out << num(v) << '\n';
    write_block_end(c);
  }
}

void write_group_ticks(context& c, const std::vector<data_series>& groups) {
  std::vector<std::string> names;
  std::vector<double> positions;
  for (std::size_t i = 0; i < groups.size(); ++i) {
    names.push_back(group_name(groups[i], i));
    positions.push_back(static_cast<double>(i));
  }
  write_category_ticks(c, "x", names, positions);
  c.out << "set xrange [-0.6:" << num(groups.size() - 0.4) << "]\n";
}

}  // namespace

void histogram(context& c) {
  const auto groups = groups_of(c.spec);
  const auto& samples = groups[0].values;
  double lo, hi;
  min_max({groups[0]}, lo, hi);
  int target =
      static_cast<int>(std::clamp(std::sqrt(static_cast<double>(samples.size())), 5.0, 30.0));
  axis_scale bins = nice_scale(lo, hi, false, target + 1);
  double width = bins.ticks.size() > 1 ? bins.ticks[1] - bins.ticks[0] : 1.0;
  if (bins.hi - hi < width * 1e-9) bins.hi += width;  // the maximum gets a bin of its own
  auto count = static_cast<std::size_t>(std::lround((bins.hi - bins.lo) / width));
  std::vector<double> counts(count, 0.0);
  for (double v : samples) {
    auto i = static_cast<std::size_t>(std::floor((v - bins.lo) / width));
    counts[std::min(i, count - 1)] += 1;
  }
  double most = *std::max_element(counts.begin(), counts.end());
  bool labels = value_labels_fit(c, count, 4);
  write_block_start(c, "$H");
  for (std::size_t i = 0; i < count; ++i) {
    c.out << num(bins.lo + (i + 0.5) * width) << ' ' << num(counts[i]) << ' '
          << data_string(counts[i] > 0 ? value_text(counts[i]) : "") << '\n';
  }
  write_block_end(c);
  axis_scale x = nice_scale(bins.lo, bins.hi, false, 8);
  x.lo = bins.lo, x.hi = bins.hi;
  x.ticks.erase(std::remove_if(x.ticks.begin(), x.ticks.end(),
                               [&](double t) { return t < bins.lo - 1e-9 || t > bins.hi + 1e-9; }),
                x.ticks.end());
  write_value_axis(c, "x", x);
  write_value_axis(c, "y", nice_scale(0, most * (labels ? 1.1 : 1.0), true));
  if (clean_text(c.spec.y_label).empty()) {
    c.out << "set ylabel 'Frequency' textcolor " << rgb(c.pal.foreground) << "\n";
  }
  c.out << "set boxwidth " << num(width) << " absolute\n"
        << "set style fill solid 1.0 border lc " << rgb(c.pal.background) << "\n"
        << "plot $H using 1:2 with boxes lc " << rgb(c.pal.colour(0)) << " notitle";
  if (labels) {
    c.out << ", \\\n  $H using 1:2:3 with labels offset 0,0.7 noenhanced textcolor "
          << rgb(c.pal.foreground) << " notitle";
  }
  c.out << "\n";
}

void box_plot(context& c) {
  const auto groups = groups_of(c.spec);
  double lo, hi;
  min_max(groups, lo, hi);
  write_samples(c, groups);
  write_value_axis(c, "y", nice_scale(lo, hi, false));
  write_group_ticks(c, groups);
  c.out << "set boxwidth 0.5 absolute\n"
        << "set style boxplot outliers pointtype 7\nplot ";
  for (std::size_t i = 0; i < groups.size(); ++i) {
    std::string colour = c.pal.colour(i);
    c.out << (i ? ", \\\n  " : "") << "$G" << i << " using (" << i << "):1 with boxplot ps "
          << num(point_size(c) * 0.6) << " lw " << num(std::max(1.0, line_width(c) * 0.6)) << " lc "
          << rgb(colour) << " fc " << rgb(mix_colours(colour, c.pal.background, 0.55))
          << " fs solid 1.0 border lc " << rgb(colour) << " notitle";
  }
  c.out << "\n";
}

void violin(context& c) {
  const auto groups = groups_of(c.spec);
  double lo, hi;
  min_max(groups, lo, hi);
  write_samples(c, groups);
  double top = hi, bottom = lo;
  std::vector<double> bandwidths;
  for (std::size_t i = 0; i < groups.size(); ++i) {
    const auto& v = groups[i].values;
    double mean = 0, var = 0;
    for (double x : v) mean += x;
    mean /= v.size();
    for (double x : v) var += (x - mean) * (x - mean);
    double sd = std::sqrt(var / v.size());
    double spread = sd > 0 ? sd : std::max(1e-6, std::fabs(mean) * 0.05 + 1e-3);
    double bw = 1.06 * spread * std::pow(static_cast<double>(v.size()), -0.2);  // Silverman
    bandwidths.push_back(bw);
    double gmin = *std::min_element(v.begin(), v.end()),
           gmax = *std::max_element(v.begin(), v.end());
    top = std::max(top, gmax + 1.5 * bw);
    bottom = std::min(bottom, gmin - 1.5 * bw);
    // Density of group i over its own range, into $K<i>.
    c.out << "set table $K" << i << "\nset samples 160\n"
          << "plot [" << num(gmin - 1.5 * bw) << ':' << num(gmax + 1.5 * bw) << "] $G" << i
          << " using 1:(" << num(1.0 / v.size()) << ") smooth kdensity bandwidth " << num(bw)
          << "\nunset table\n"
          << "stats $K" << i << " using 2 nooutput\nm" << i << " = STATS_max\n";
  }
  c.out << "maxd = m0\n";
  for (std::size_t i = 1; i < groups.size(); ++i) {
    c.out << "maxd = (m" << i << " > maxd) ? m" << i << " : maxd\n";
  }
  c.out << "half = 0.42 / (maxd > 0 ? maxd : 1)\n";
  write_block_start(c, "$Q");  // per group: x, median, q1, q3, min, max
  for (std::size_t i = 0; i < groups.size(); ++i) {
    const auto& v = groups[i].values;
    c.out << i << ' ' << num(quantile(v, 0.5)) << ' ' << num(quantile(v, 0.25)) << ' '
          << num(quantile(v, 0.75)) << ' ' << num(*std::min_element(v.begin(), v.end())) << ' '
          << num(*std::max_element(v.begin(), v.end())) << '\n';
  }
  write_block_end(c);
  write_value_axis(c, "y", nice_scale(bottom, top, false));
  write_group_ticks(c, groups);
  c.out << "plot ";
  for (std::size_t i = 0; i < groups.size(); ++i) {
    std::string colour = c.pal.colour(i);
    std::string fill = mix_colours(colour, c.pal.background, 0.45);
    for (const char* side : {"+", "-"}) {
      c.out << (i || side[0] == '-' ? ", \\\n  " : "") << "$K" << i << " using (" << i << side
            << "$2*half):1 with filledcurves x=" << i << " fc " << rgb(fill) << " notitle, \\\n  $K"
            << i << " using (" << i << side << "$2*half):1 with lines lw 1.5 lc " << rgb(colour)
            << " notitle";
    }
  }
  std::string dark = mix_colours(c.pal.colour(0), c.pal.foreground, 0.6);
  c.out << ", \\\n  $Q using 1:5:(0):($6-$5) with vectors nohead lw 1.5 lc " << rgb(dark)
        << " notitle"
        << ", \\\n  $Q using 1:(($3+$4)/2):(0.035):(($4-$3)/2) with boxxyerror fc " << rgb(dark)
        << " fs solid 1.0 noborder notitle"
        << ", \\\n  $Q using 1:2 with points pt 7 ps " << num(point_size(c) * 0.8)
        << " lc rgb '#FFFFFF' notitle\n";
}

}  // namespace aw::render::detail
