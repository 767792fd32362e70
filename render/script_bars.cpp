// Vertical, horizontal, grouped and stacked bar charts.
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

double min_of(const std::vector<double>& v) {
  return *std::min_element(v.begin(), v.end());
}
double max_of(const std::vector<double>& v) {
  return *std::max_element(v.begin(), v.end());
}

// Room above (and below) the bars for their value labels.
axis_scale bar_scale(const context& c, double lo, double hi, bool labels) {
  double share = std::max(0.08, 1.6 / c.plot_lines());  // one text line above the bar
  double pad = labels ? share * (std::max(hi, 0.0) - std::min(lo, 0.0)) : 0.0;
  return nice_scale(lo < 0 ? lo - pad : lo, hi > 0 ? hi + pad : hi, true);
}

std::size_t longest_value_text(const std::vector<double>& values) {
  std::size_t n = 0;
  for (double v : values) n = std::max(n, value_text(v).size());
  return n;
}

}  // namespace

double line_width(const context& c) {
  return std::max(1.5, c.font_size / 4.5);
}
double point_size(const context& c) {
  return std::max(0.6, c.font_size / 10.0) * mark_scale(c);
}

bool value_labels_fit(const context& c, std::size_t count, std::size_t text_chars) {
  if (count == 0 || count > 30) return false;
  return c.plot_chars() / count >= text_chars + 1.0;
}

std::string value_labels(const context& c, const std::string& block, int x_col, int y_col,
                         int text_col, int sign_col, int font_size) {
  std::string font = font_size > 0 ? font_option(c, font_size) : "";
  std::string style = " noenhanced textcolor " + rgb(c.pal.foreground) + font + " notitle";
  std::string x = std::to_string(x_col), y = std::to_string(y_col);
  std::string t = std::to_string(text_col), sgn = std::to_string(sign_col);
  return ", \\\n  " + block + " using " + x + ":($" + sgn + " >= 0 ? $" + y + " : NaN):" + t +
         " with labels center offset 0,0.75" + style + ", \\\n  " + block + " using " + x + ":($" +
         sgn + " < 0 ? $" + y + " : NaN):" + t + " with labels center offset 0,-0.75" + style;
}

std::string text_on(const std::string& fill) {
  return luminance(fill) > 0.45 ? "#1F2937" : "#FFFFFF";
}

void bar_vertical(context& c) {
  auto d = one_series(c.spec);
  const auto& v = d.series[0].values;
  std::size_t n = v.size();
  bool labels = value_labels_fit(c, n, longest_value_text(v));
  axis_scale y = bar_scale(c, min_of(v), max_of(v), labels);
  write_block_start(c, "$D");
  for (std::size_t i = 0; i < n; ++i) {
    c.out << i << ' ' << num(v[i]) << ' ' << data_string(value_text(v[i])) << '\n';
  }
  write_block_end(c);
  write_value_axis(c, "y", y);
  write_category_ticks(c, "x", d.labels, indexes(n));
  c.out << "set xrange [-0.6:" << num(n - 0.4) << "]\n"
        << "set boxwidth 0.68\n"
        << "plot $D using 1:2 with boxes lc " << rgb(c.pal.colour(0)) << " notitle";
  if (labels) c.out << value_labels(c, "$D", 1, 2, 3, 2);
  c.out << "\n";
}

void bar_horizontal(context& c) {
  auto d = one_series(c.spec);
  const auto& v = d.series[0].values;
  std::size_t n = v.size();
  bool labels = n <= 40 && c.plot_lines() / n >= 0.9;
  double lo = std::min(min_of(v), 0.0);
  double hi = std::max(max_of(v), 0.0);
  double extra = labels ? 0.14 * (hi - lo) : 0.0;  // room for the value text
  axis_scale x = nice_scale(lo < 0 ? lo - extra : lo, hi > 0 ? hi + extra : hi, true, 6);
  std::vector<double> ypos;
  write_block_start(c, "$D");
  for (std::size_t i = 0; i < n; ++i) {
    double y = static_cast<double>(n - 1 - i);  // first label at the top
    ypos.push_back(y);
    c.out << num(v[i] / 2) << ' ' << num(y) << ' ' << num(std::fabs(v[i]) / 2) << ' '
          << data_string(value_text(v[i])) << ' ' << num(v[i]) << ' ' << (v[i] < 0 ? 1 : 0) << '\n';
  }
  write_block_end(c);
  c.out << "unset grid\n";
  if (c.pal.show_grid) c.out << "set grid xtics back lc " << rgb(c.pal.grid) << " lw 1\n";
  write_value_axis(c, "x", x);
  write_category_ticks(c, "y", d.labels, ypos);
  c.out << "set yrange [-0.6:" << num(n - 0.4) << "]\n"
        << "plot $D using 1:2:3:(0.34) with boxxyerror lc " << rgb(c.pal.colour(0)) << " notitle";
  if (labels) {
    std::string tc = " noenhanced textcolor " + rgb(c.pal.foreground) + " notitle";
    c.out << ", \\\n  $D using 5:($6 == 0 ? $2 : NaN):4 with labels left offset 0.6,0" << tc
          << ", \\\n  $D using 5:($6 == 1 ? $2 : NaN):4 with labels right offset -0.6,0" << tc;
  }
  c.out << "\n";
}

void bar_grouped(context& c) {
  auto d = many_series(c.spec);
  std::size_t n = d.labels.size();
  std::size_t k = d.series.size();
  double lo = 0, hi = 0;
  std::size_t text = 0;
  for (const auto& s : d.series) {
    lo = std::min(lo, min_of(s.values));
    hi = std::max(hi, max_of(s.values));
    text = std::max(text, longest_value_text(s.values));
  }
  bool labels = n * k <= 24 && value_labels_fit(c, n * k, text);
  axis_scale y = bar_scale(c, lo, hi, labels);
  write_block_start(c, "$D");
  for (std::size_t i = 0; i < n; ++i) {
    c.out << i;
    for (const auto& s : d.series) c.out << ' ' << num(s.values[i]);
    c.out << '\n';
  }
  write_block_end(c);
  if (labels) {
    // Clustered histograms centre row i at x = i, each bar 1/(k + gap) wide.
    write_block_start(c, "$L");
    for (std::size_t i = 0; i < n; ++i) {
      for (std::size_t j = 0; j < k; ++j) {
        double val = d.series[j].values[i];
        double x = i + (j - (k - 1) / 2.0) / (k + 1.0);
        c.out << num(x) << ' ' << num(val) << ' ' << data_string(value_text(val)) << '\n';
      }
    }
    write_block_end(c);
  }
  write_value_axis(c, "y", y);
  write_category_ticks(c, "x", d.labels, indexes(n));
  write_key(c, d);
  c.out << "set style data histograms\nset style histogram clustered gap 1\n"
        << "set style fill solid 1.0 border lc " << rgb(c.pal.background) << "\n"
        << "set xrange [-0.6:" << num(n - 0.4) << "]\nplot ";
  for (std::size_t j = 0; j < k; ++j) {
    c.out << (j ? ", \\\n  " : "") << "$D using " << j + 2 << " title " << quoted(series_name(d, j))
          << " noenhanced lc " << rgb(c.pal.colour(j));
  }
  if (labels) c.out << value_labels(c, "$L", 1, 2, 3, 2, std::max(7, c.font_size - 2));
  c.out << "\n";
}

void bar_stacked(context& c) {
  auto d = many_series(c.spec);
  std::size_t n = d.labels.size();
  std::size_t k = d.series.size();
  std::vector<double> up(n, 0.0), down(n, 0.0);
  for (const auto& s : d.series) {
    for (std::size_t i = 0; i < n; ++i) (s.values[i] >= 0 ? up[i] : down[i]) += s.values[i];
  }
  std::vector<double> totals(n);
  for (std::size_t i = 0; i < n; ++i) totals[i] = up[i] + down[i];
  bool labels = value_labels_fit(c, n, longest_value_text(totals));
  axis_scale y = bar_scale(c, min_of(down), max_of(up), labels);
  write_block_start(c, "$D");
  for (std::size_t i = 0; i < n; ++i) {
    c.out << i;
    for (const auto& s : d.series) c.out << ' ' << num(s.values[i]);
    c.out << ' ' << num(totals[i] >= 0 ? up[i] : down[i]) << ' '
          << data_string(value_text(totals[i])) << ' ' << num(totals[i]) << '\n';
  }
  write_block_end(c);
  write_value_axis(c, "y", y);
  write_category_ticks(c, "x", d.labels, indexes(n));
  write_key(c, d);
  c.out << "set style data histograms\nset style histogram rowstacked\nset boxwidth 0.65\n"
        << "set style fill solid 1.0 border lc " << rgb(c.pal.background) << "\n"
        << "set xrange [-0.6:" << num(n - 0.4) << "]\nplot ";
  for (std::size_t j = 0; j < k; ++j) {
    c.out << (j ? ", \\\n  " : "") << "$D using " << j + 2 << " title " << quoted(series_name(d, j))
          << " noenhanced lc " << rgb(c.pal.colour(j));
  }
  if (labels && k > 1) {
    c.out << value_labels(c, "$D", 1, static_cast<int>(k + 2), static_cast<int>(k + 3),
                          static_cast<int>(k + 4));
  }
  c.out << "\n";
}

}  // namespace aw::render::detail
