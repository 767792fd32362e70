// Pie, donut and radar charts, drawn in plain x/y coordinates.
#include <algorithm>
#include <cmath>
#include <numeric>

#include "render/script_types.hpp"

namespace aw::render::detail {
namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr std::size_t kMaxSlices = 10;  // the rest becomes "Other"

struct slice {
  std::string name;
  double value;
};

std::vector<slice> slices_of(const category_data& d, const char* type) {
  std::vector<slice> all;
  for (std::size_t i = 0; i < d.labels.size(); ++i) {
    double v = d.series[0].values[i];
    if (v > 0) all.push_back({d.labels[i], v});
  }
  if (all.empty()) throw script_error(std::string(type) + " needs positive values");
  if (all.size() > kMaxSlices) {
    std::stable_sort(all.begin(), all.end(),
                     [](const slice& a, const slice& b) { return a.value > b.value; });
    double rest = 0;
    for (std::size_t i = kMaxSlices - 1; i < all.size(); ++i) rest += all[i].value;
    all.resize(kMaxSlices - 1);
    all.push_back({"Other", rest});
  }
  return all;
}

void hide_axes(context& c) {
  c.out << "unset border\nunset xtics\nunset ytics\nunset grid\nunset xlabel\nunset ylabel\n"
        << "set size ratio -1\n";
}

}  // namespace

void pie(context& c, bool donut) {
  auto d = one_series(c.spec);
  auto slices = slices_of(d, donut ? "donut_chart" : "pie_chart");
  double total = 0;
  for (const auto& s : slices) total += s.value;
  double label_radius = donut ? 0.79 : 0.64;
  write_block_start(c, "$P");
  double done = 0;
  std::vector<std::string> label_rows;
  for (std::size_t i = 0; i < slices.size(); ++i) {
    double share = slices[i].value / total;
    // Clockwise from 12 o'clock: gnuplot angles run counter-clockwise from 3 o'clock.
    double end = 90 - 360 * done;
    double start = 90 - 360 * (done + share);
    double mid = (start + end) / 2 * kPi / 180;
    done += share;
    const std::string& colour = c.pal.colour(i);
    c.out << "0 0 1 " << num(start) << ' ' << num(end) << ' ' << colour_value(colour) << '\n';
    if (share >= 0.035) {
      double pct = std::round(share * 1000) / 10;
      label_rows.push_back(
          num(label_radius * std::cos(mid)) + ' ' + num(label_radius * std::sin(mid)) + ' ' +
          data_string(value_text(pct) + "%") + ' ' + std::to_string(colour_value(text_on(colour))));
    }
  }
  write_block_end(c);
  write_block_start(c, "$L");
  for (const auto& r : label_rows) c.out << r << '\n';
  write_block_end(c);
  hide_axes(c);
  bool key_right = c.spec.width >= c.spec.height * 1.15;
  c.out << "set xrange [-1.05:1.05]\nset yrange [-1.05:1.05]\n"
        << "set key noenhanced textcolor " << rgb(c.pal.foreground)
        << (key_right ? " outside right center vertical" : " outside bottom center horizontal")
        << " reverse Left samplen 1 spacing 1.3\n";
  if (donut) {
    int big = static_cast<int>(std::lround(c.font_size * 1.8));
    c.out << "set label 1 " << quoted(value_text(total)) << " at 0,0.06 center"
          << font_option(c, big, true) << " textcolor " << rgb(c.pal.foreground)
          << " noenhanced front\n"
          << "set label 2 'Total' at 0,-0.16 center textcolor " << rgb(c.pal.axis) << " front\n";
  }
  // The border colour must come before `lc rgb variable` or gnuplot sees two colours.
  c.out << "plot $P using 1:2:3:4:5:6 with circles fs solid 1.0 border lc " << rgb(c.pal.background)
        << " lw 2 lc rgb variable notitle";
  if (donut) {
    c.out << ", \\\n  '+' using (0):(0):(0.58) every ::0::0 with circles fc "
          << rgb(c.pal.background) << " fs solid 1.0 noborder notitle";
  }
  if (!label_rows.empty()) {
    c.out << ", \\\n  $L using 1:2:3:4 with labels center noenhanced textcolor rgb variable"
          << font_option(c, c.font_size, true) << " notitle";
  }
  for (std::size_t i = 0; i < slices.size(); ++i) {
    c.out << ", \\\n  keyentry with boxes fc " << rgb(c.pal.colour(i)) << " fs solid 1.0 title "
          << quoted(shorten(slices[i].name, 28)) << " noenhanced";
  }
  c.out << "\n";
}

void radar(context& c) {
  auto d = many_series(c.spec);
  std::size_t n = d.labels.size();
  if (n < 3) throw script_error("radar_chart needs at least 3 labels");
  double lo = 0, hi = 0;
  for (const auto& s : d.series) {
    for (double v : s.values) lo = std::min(lo, v), hi = std::max(hi, v);
  }
  axis_scale scale = nice_scale(lo, hi, true, 5);
  double span = scale.hi - scale.lo;
  auto at = [&](std::size_t i, double r, double& x, double& y) {
    double angle = (90.0 - 360.0 * i / n) * kPi / 180;
    x = r * std::cos(angle);
    y = r * std::sin(angle);
  };
  // Rings and spokes.
  write_block_start(c, "$GRID");
  for (double t : scale.ticks) {
    if (t == scale.lo) continue;
    for (std::size_t i = 0; i <= n; ++i) {
      double x, y;
      at(i % n, (t - scale.lo) / span, x, y);
      c.out << num(x) << ' ' << num(y) << '\n';
    }
    c.out << "\n";
  }
  for (std::size_t i = 0; i < n; ++i) {
    double x, y;
    at(i, 1, x, y);
    c.out << "0 0\n" << num(x) << ' ' << num(y) << "\n\n";
  }
  write_block_end(c);
  for (std::size_t j = 0; j < d.series.size(); ++j) {
    write_block_start(c, "$S" + std::to_string(j));
    for (std::size_t i = 0; i <= n; ++i) {
      double x, y;
      at(i % n, (d.series[j].values[i % n] - scale.lo) / span, x, y);
      c.out << num(x) << ' ' << num(y) << '\n';
    }
    write_block_end(c);
  }
  hide_axes(c);
  // Axis names around the outside, aligned away from the centre.
  for (std::size_t i = 0; i < n; ++i) {
    double x, y;
    at(i, 1.08, x, y);
    const char* align = x > 0.15 ? "left" : (x < -0.15 ? "right" : "center");
    c.out << "set label " << i + 1 << ' ' << quoted(shorten(d.labels[i], 20)) << " at " << num(x)
          << ',' << num(y + (y > 0.9 ? 0.04 : (y < -0.9 ? -0.04 : 0))) << ' ' << align
          << " noenhanced textcolor " << rgb(c.pal.foreground) << "\n";
  }
  std::size_t id = n + 1;
  for (double t : scale.ticks) {
    if (t == scale.lo) continue;
    c.out << "set label " << id++ << ' ' << quoted(value_text(t)) << " at 0.02,"
          << num((t - scale.lo) / span) << " left" << font_option(c, std::max(7, c.font_size - 2))
          << " textcolor " << rgb(c.pal.axis) << " front\n";
  }
  if (d.series.size() > 1) write_key(c, d);
  c.out << "set xrange [-1.25:1.25]\nset yrange [-1.15:1.15]\n"
        << "plot $GRID using 1:2 with lines lw 1 lc "
        << rgb(c.pal.show_grid ? c.pal.grid : c.pal.axis) << " notitle";
  for (std::size_t j = 0; j < d.series.size(); ++j) {
    std::string colour = c.pal.colour(j);
    std::string title =
        d.series.size() > 1 ? "title " + quoted(series_name(d, j)) + " noenhanced" : "notitle";
    c.out << ", \\\n  $S" << j << " using 1:2 with filledcurves closed fc " << rgb(colour)
          << " fs transparent solid 0.18 notitle"
          << ", \\\n  $S" << j << " using 1:2 with linespoints lw " << num(line_width(c))
          << " pt 7 ps " << num(point_size(c) * 0.8) << " lc " << rgb(colour) << ' ' << title;
  }
  c.out << "\n";
}

}  // namespace aw::render::detail
