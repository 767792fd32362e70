// Line, multi-line, area, stacked area, step and candlestick charts.
#include <algorithm>
#include <cmath>

#include "render/script_types.hpp"

namespace aw::render::detail {
namespace {

std::vector<double> indexes(std::size_t n) {
  std::vector<double> out;
  for (std::size_t i = 0; i < n; ++i) out.push_back(static_cast<double>(i));
  return out;
}

// Lines start at zero only when the data is close to it.
axis_scale line_scale(double lo, double hi, bool labels) {
  bool zero = lo >= 0 && lo < 0.3 * hi;
  double pad = labels ? 0.08 * (hi - lo) : 0.0;
  return nice_scale(lo, hi + pad, zero);
}

void write_x_categories(context& c, const std::vector<std::string>& labels) {
  std::size_t n = labels.size();
  double pad = n <= 12 ? 0.4 : 0.02 * n;
  write_category_ticks(c, "x", labels, indexes(n));
  c.out << "set xrange [" << num(-pad) << ':' << num(n - 1 + pad) << "]\n";
}

std::string line_style(const context& c, std::size_t n, const std::string& colour) {
  std::string style = n <= 40 ? "linespoints pt 7 ps " + num(point_size(c)) : "lines";
  return style + " lw " + num(line_width(c)) + " lc " + rgb(colour);
}

void write_rows(context& c, const category_data& d) {
  write_block_start(c, "$D");
  for (std::size_t i = 0; i < d.labels.size(); ++i) {
    c.out << i;
    for (const auto& s : d.series) c.out << ' ' << num(s.values[i]);
    c.out << '\n';
  }
  write_block_end(c);
}

void range_of(const category_data& d, double& lo, double& hi) {
  lo = hi = d.series[0].values[0];
  for (const auto& s : d.series) {
    for (double v : s.values) lo = std::min(lo, v), hi = std::max(hi, v);
  }
}

}  // namespace

void line_single(context& c) {
  auto d = one_series(c.spec);
  std::size_t n = d.labels.size();
  bool labels = n <= 12 && value_labels_fit(c, n, 6);
  double lo, hi;
  range_of(d, lo, hi);
  write_block_start(c, "$D");
  for (std::size_t i = 0; i < n; ++i) {
    double v = d.series[0].values[i];
    c.out << i << ' ' << num(v) << ' ' << data_string(value_text(v)) << '\n';
  }
  write_block_end(c);
  write_value_axis(c, "y", line_scale(lo, hi, labels));
  write_x_categories(c, d.labels);
  c.out << "plot $D using 1:2 with " << line_style(c, n, c.pal.colour(0)) << " notitle";
  if (labels) {
    c.out << ", \\\n  $D using 1:2:3 with labels offset 0,1.1 noenhanced textcolor "
          << rgb(c.pal.foreground) << " notitle";
  }
  c.out << "\n";
}

void line_multi(context& c) {
  auto d = many_series(c.spec);
  double lo, hi;
  range_of(d, lo, hi);
  write_rows(c, d);
  write_value_axis(c, "y", line_scale(lo, hi, false));
  write_x_categories(c, d.labels);
  write_key(c, d);
  c.out << "plot ";
  for (std::size_t j = 0; j < d.series.size(); ++j) {
    c.out << (j ? ", \\\n  " : "") << "$D using 1:" << j + 2 << " with "
          << line_style(c, d.labels.size(), c.pal.colour(j)) << " title "
          << quoted(series_name(d, j)) << " noenhanced";
  }
  c.out << "\n";
}

void area_single(context& c) {
  auto d = one_series(c.spec);
  double lo, hi;
  range_of(d, lo, hi);
  write_rows(c, d);
  write_value_axis(c, "y", nice_scale(lo, hi, true));
  write_x_categories(c, d.labels);
  std::string fill = mix_colours(c.pal.colour(0), c.pal.background, 0.65);
  c.out << "plot $D using 1:(0):2 with filledcurves fc " << rgb(fill) << " notitle, \\\n"
        << "  $D using 1:2 with lines lw " << num(line_width(c)) << " lc " << rgb(c.pal.colour(0))
        << " notitle\n";
}

void area_stacked(context& c) {
  auto d = many_series(c.spec);
  std::size_t n = d.labels.size();
  std::size_t k = d.series.size();
  std::vector<std::vector<double>> cum(k, std::vector<double>(n, 0.0));
  double lo = 0, hi = 0;
  for (std::size_t i = 0; i < n; ++i) {
    double run = 0;
    for (std::size_t j = 0; j < k; ++j) {
      run += d.series[j].values[i];
      cum[j][i] = run;
      lo = std::min(lo, run), hi = std::max(hi, run);
    }
  }
  write_block_start(c, "$D");
  for (std::size_t i = 0; i < n; ++i) {
    c.out << i << " 0";
    for (std::size_t j = 0; j < k; ++j) c.out << ' ' << num(cum[j][i]);
    c.out << '\n';
  }
  write_block_end(c);
  write_value_axis(c, "y", nice_scale(lo, hi, true));
  write_x_categories(c, d.labels);
  write_key(c, d);
  c.out << "plot ";
  for (std::size_t j = 0; j < k; ++j) {
    std::string fill = mix_colours(c.pal.colour(j), c.pal.background, 0.3);
    c.out << (j ? ", \\\n  " : "") << "$D using 1:" << j + 2 << ':' << j + 3
          << " with filledcurves fc " << rgb(fill) << " title " << quoted(series_name(d, j))
          << " noenhanced, \\\n  $D using 1:" << j + 3 << " with lines lw "
          << num(line_width(c) * 0.7) << " lc " << rgb(c.pal.colour(j)) << " notitle";
  }
  c.out << "\n";
}

void step(context& c) {
  auto d = one_series(c.spec);
  std::size_t n = d.labels.size();
  const auto& v = d.series[0].values;
  double lo, hi;
  range_of(d, lo, hi);
  write_block_start(c, "$D");
  for (std::size_t i = 0; i < n; ++i) c.out << i << ' ' << num(v[i]) << '\n';
  c.out << num(n - 0.5) << ' ' << num(v[n - 1]) << '\n';  // the last level gets a width too
  write_block_end(c);
  axis_scale y = line_scale(lo, hi, false);
  write_value_axis(c, "y", y);
  write_category_ticks(c, "x", d.labels, indexes(n));
  c.out << "set xrange [-0.5:" << num(n - 0.5) << "]\n";
  std::string fill = mix_colours(c.pal.colour(0), c.pal.background, 0.8);
  c.out << "plot $D using 1:2 with fillsteps fc " << rgb(fill) << " notitle, \\\n"
        << "  $D using 1:2 with steps lw " << num(line_width(c)) << " lc " << rgb(c.pal.colour(0))
        << " notitle";
  if (n <= 40) {
    c.out << ", \\\n  $D every ::0::" << n - 1 << " using 1:2 with points pt 7 ps "
          << num(point_size(c)) << " lc " << rgb(c.pal.colour(0)) << " notitle";
  }
  c.out << "\n";
}

void candlestick(context& c) {
  const auto& candles = c.spec.data.candles;
  if (candles.empty()) throw script_error("candlestick_chart needs data.candles (ohlc)");
  double lo = candles[0].low, hi = candles[0].high;
  std::vector<std::string> labels;
  for (const auto& k : candles) {
    for (double v : {k.open, k.high, k.low, k.close}) {
      require_finite(v, "price");
      lo = std::min(lo, v), hi = std::max(hi, v);
    }
    labels.push_back(k.label);
  }
  for (bool up : {true, false}) {
    write_block_start(c, up ? "$UP" : "$DOWN");
    for (std::size_t i = 0; i < candles.size(); ++i) {
      const auto& k = candles[i];
      if ((k.close >= k.open) != up) continue;
      double low = std::min({k.low, k.open, k.close}), high = std::max({k.high, k.open, k.close});
      c.out << i << ' ' << num(k.open) << ' ' << num(low) << ' ' << num(high) << ' ' << num(k.close)
            << '\n';
    }
    write_block_end(c);
  }
  write_value_axis(c, "y", nice_scale(lo, hi, false));
  write_category_ticks(c, "x", labels, indexes(candles.size()));
  c.out << "set xrange [-0.8:" << num(candles.size() - 0.2) << "]\n"
        << "set boxwidth 0.6\nset style fill solid 1.0 border\n";
  // An empty block would make gnuplot complain, so only plot what exists.
  bool any_up = false, any_down = false;
  for (const auto& k : candles) (k.close >= k.open ? any_up : any_down) = true;
  std::string lw = num(std::max(1.0, line_width(c) * 0.6));
  c.out << "plot ";
  if (any_up) {
    c.out << "$UP using 1:2:3:4:5 with candlesticks lw " << lw << " lc " << rgb(c.pal.positive)
          << " notitle";
  }
  if (any_down) {
    c.out << (any_up ? ", \\\n  " : "") << "$DOWN using 1:2:3:4:5 with candlesticks lw " << lw
          << " lc " << rgb(c.pal.negative) << " notitle";
  }
  c.out << "\n";
}

}  // namespace aw::render::detail
