// Waterfall, funnel, pareto and combo bar + line charts.
#include <algorithm>
#include <cmath>
#include <numeric>

#include "render/script_types.hpp"

namespace aw::render::detail {
namespace {

std::vector<double> indexes(std::size_t n) {
  std::vector<double> out;
  for (std::size_t i = 0; i < n; ++i) out.push_back(static_cast<double>(i));
  return out;
}

std::string signed_text(double v) {
  return (v > 0 ? "+" : "") + value_text(v);
}

}  // namespace

void waterfall(context& c) {
  auto d = one_series(c.spec);
  const auto& v = d.series[0].values;
  std::size_t n = v.size();
  std::vector<double> start(n), end(n);
  double run = 0, lo = 0, hi = 0;
  for (std::size_t i = 0; i < n; ++i) {
    start[i] = run;
    run += v[i];
    end[i] = run;
    lo = std::min(lo, run);
    hi = std::max(hi, run);
  }
  bool labels = value_labels_fit(c, n + 1, 7);
  double pad = labels ? 0.1 * (hi - lo) : 0.0;
  axis_scale y = nice_scale(lo < 0 ? lo - pad : lo, hi + pad, true);
  auto row = [&](double x, double a, double b, const std::string& colour, const std::string& text) {
    double top = std::max(a, b), bottom = std::min(a, b);
    bool down = b < a;
    c.out << num(x) << ' ' << num((a + b) / 2) << ' ' << num((top - bottom) / 2) << ' '
          << colour_value(colour) << ' ' << data_string(text) << ' ' << num(down ? bottom : top)
          << ' ' << (down ? -1 : 1) << '\n';
  };
  write_block_start(c, "$D");
  for (std::size_t i = 0; i < n; ++i) {
    row(i, start[i], end[i], v[i] >= 0 ? c.pal.positive : c.pal.negative, signed_text(v[i]));
  }
  row(n, 0, run, c.pal.colour(0), value_text(run));
  write_block_end(c);
  write_block_start(c, "$C");  // dashed connectors from each bar to the next
  for (std::size_t i = 0; i < n; ++i) {
    c.out << num(i + 0.34) << ' ' << num(end[i]) << ' ' << num(0.32) << " 0\n";
  }
  write_block_end(c);
  auto labels_with_total = d.labels;
  labels_with_total.push_back("Total");
  write_value_axis(c, "y", y);
  write_category_ticks(c, "x", labels_with_total, indexes(n + 1));
  c.out << "set xrange [-0.6:" << num(n + 0.6) << "]\n"
        << "plot $D using 1:2:(0.34):3:4 with boxxyerror lc rgb variable notitle, \\\n"
        << "  $C using 1:2:3:4 with vectors nohead dt 2 lw 1 lc " << rgb(c.pal.axis) << " notitle";
  if (labels) c.out << value_labels(c, "$D", 1, 6, 5, 7);
  c.out << "\n";
}

void funnel(context& c) {
  auto d = one_series(c.spec);
  const auto& v = d.series[0].values;
  std::size_t n = v.size();
  double top = std::max(*std::max_element(v.begin(), v.end()), 0.0);
  if (top <= 0) throw script_error("funnel_chart needs positive values");
  double first = v[0] > 0 ? v[0] : top;
  bool labels = c.plot_lines() / n >= 0.9;
  std::vector<double> ypos;
  write_block_start(c, "$D");
  for (std::size_t i = 0; i < n; ++i) {
    double value = std::max(v[i], 0.0);
    double y = static_cast<double>(n - 1 - i);
    ypos.push_back(y);
    std::string fill =
        mix_colours(c.pal.colour(0), c.pal.background, 0.6 * i / std::max<std::size_t>(n, 2));
    std::string text = value_text(v[i]);
    if (i > 0) text += " (" + value_text(std::round(1000.0 * value / first) / 10) + "%)";
    // Text inside the bar when it fits, else right of it.
    double width_chars = c.plot_chars() * value / (1.24 * top);  // x range is 1.24 * top
    bool inside = width_chars >= text.size() + 3.0;
    c.out << "0 " << num(y) << ' ' << num(value / 2) << ' ' << colour_value(fill) << ' '
          << data_string(text) << ' ' << (inside ? 0.0 : value / 2 + top * 0.02) << ' '
          << colour_value(inside ? text_on(fill) : c.pal.foreground) << ' ' << (inside ? 1 : 0)
          << '\n';
  }
  write_block_end(c);
  c.out << "unset grid\nunset xtics\nset border 0\n"
        << "set xrange [" << num(-top * 0.62) << ':' << num(top * 0.62) << "]\n"
        << "set yrange [-0.6:" << num(n - 0.4) << "]\n";
  write_category_ticks(c, "y", d.labels, ypos);
  c.out << "plot $D using 1:2:3:(0.42):4 with boxxyerror lc rgb variable notitle";
  if (labels) {
    c.out << ", \\\n  $D using ($8 == 1 ? $6 : NaN):2:5:7 with labels center noenhanced"
          << " textcolor rgb variable notitle"
          << ", \\\n  $D using ($8 == 0 ? $6 : NaN):2:5:7 with labels left noenhanced"
          << " textcolor rgb variable notitle";
  }
  c.out << "\n";
}

void pareto(context& c) {
  auto d = one_series(c.spec);
  std::vector<std::size_t> order(d.labels.size());
  std::iota(order.begin(), order.end(), 0);
  const auto& v = d.series[0].values;
  std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) { return v[a] > v[b]; });
  double total = 0;
  for (double x : v) total += x;
  if (total <= 0) throw script_error("pareto_chart needs a positive total");
  std::vector<std::string> labels;
  double run = 0;
  bool show = value_labels_fit(c, order.size(), 6);
  write_block_start(c, "$D");
  for (std::size_t i = 0; i < order.size(); ++i) {
    double value = v[order[i]];
    run += value;
    labels.push_back(d.labels[order[i]]);
    c.out << i << ' ' << num(value) << ' ' << num(100.0 * run / total) << ' '
          << data_string(value_text(value)) << '\n';
  }
  write_block_end(c);
  double lo = *std::min_element(v.begin(), v.end());
  axis_scale y = nice_scale(std::min(lo, 0.0), v[order[0]] * (show ? 1.1 : 1.0), true);
  write_value_axis(c, "y", y);
  write_category_ticks(c, "x", labels, indexes(order.size()));
  write_key(c, {"Value", "Cumulative %"});
  c.out << "set border 11 front lc " << rgb(c.pal.axis) << "\n"
        << "set y2range [0:110]\nset y2tics nomirror textcolor " << rgb(c.pal.foreground)
        << " ('0%%' 0, '20%%' 20, '40%%' 40, '60%%' 60, '80%%' 80, '100%%' 100)\n"
        << "set arrow 1 from graph 0, second 80 to graph 1, second 80 nohead dt 2 lw 1 lc "
        << rgb(c.pal.axis) << " back\n"
        << "set xrange [-0.6:" << num(order.size() - 0.4) << "]\nset boxwidth 0.68\n"
        << "plot $D using 1:2 with boxes lc " << rgb(c.pal.colour(0)) << " title "
        << quoted(clean_text(c.spec.y_label).empty() ? "Value" : c.spec.y_label) << " noenhanced"
        << ", \\\n  $D using 1:3 axes x1y2 with linespoints lw " << line_width(c) << " ps "
        << point_size(c) << " pt 7 lc " << rgb(c.pal.colour(3)) << " title 'Cumulative %'";
  if (show) {
    c.out << ", \\\n  $D using 1:2:4 with labels offset 0,0.7 noenhanced textcolor "
          << rgb(c.pal.foreground) << " notitle";
  }
  c.out << "\n";
}

void combo_bar_line(context& c) {
  const auto& data = c.spec.data;
  if (data.series.size() < 2) {
    throw script_error("combo_bar_line needs two series (bars: series[0], line: series[1])");
  }
  auto d = many_series(c.spec);
  std::size_t n = d.labels.size();
  const auto& bars = d.series[0].values;
  double line_lo = d.series[1].values[0], line_hi = line_lo;
  for (std::size_t j = 1; j < d.series.size(); ++j) {
    for (double x : d.series[j].values)
      line_lo = std::min(line_lo, x), line_hi = std::max(line_hi, x);
  }
  axis_scale y = nice_scale(*std::min_element(bars.begin(), bars.end()),
                            *std::max_element(bars.begin(), bars.end()), true);
  axis_scale y2 = nice_scale(line_lo, line_hi, line_lo >= 0 && line_lo < 0.3 * line_hi);
  write_block_start(c, "$D");
  for (std::size_t i = 0; i < n; ++i) {
    c.out << i;
    for (const auto& s : d.series) c.out << ' ' << num(s.values[i]);
    c.out << '\n';
  }
  write_block_end(c);
  write_value_axis(c, "y", y);
  write_value_axis(c, "y2", y2);
  write_category_ticks(c, "x", d.labels, indexes(n));
  write_key(c, d);
  c.out << "set border 11 front lc " << rgb(c.pal.axis) << "\n"
        << "set xrange [-0.6:" << num(n - 0.4) << "]\nset boxwidth 0.6\n"
        << "plot $D using 1:2 with boxes lc " << rgb(c.pal.colour(0)) << " title "
        << quoted(series_name(d, 0)) << " noenhanced";
  for (std::size_t j = 1; j < d.series.size(); ++j) {
    c.out << ", \\\n  $D using 1:" << j + 2 << " axes x1y2 with linespoints lw " << line_width(c)
          << " ps " << point_size(c) << " pt 7 lc " << rgb(c.pal.colour(j + 2)) << " title "
          << quoted(series_name(d, j)) << " noenhanced";
  }
  c.out << "\n";
}

}  // namespace aw::render::detail
