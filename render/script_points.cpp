// Scatter plot, bubble chart and heatmap.
#include <algorithm>
#include <cmath>

#include "render/script_types.hpp"

namespace aw::render::detail {
namespace {

const std::vector<xy_point>& points_of(const chart_spec& spec, const char* type) {
  const auto& points = spec.data.points;
  if (points.empty()) throw script_error(std::string(type) + " needs data.points");
  for (const auto& p : points) {
    require_finite(p.x, "x");
    require_finite(p.y, "y");
    if (p.size) require_finite(*p.size, "size");
  }
  return points;
}

// `#AARRGGBB` with AA the transparency (00 opaque) as gnuplot wants it.
std::string with_alpha(const std::string& colour, int transparency) {
  char buf[4];
  std::snprintf(buf, sizeof buf, "%02X", std::clamp(transparency, 0, 255));
  return "#" + std::string(buf) + colour.substr(1);
}

void write_grid_both(context& c) {
  if (c.pal.show_grid) {
    c.out << "set grid xtics ytics back lc " << rgb(c.pal.grid) << " lw 1\n";
  }
}

// Colour of value t in [0, 1] on the heatmap's three-stop palette.
std::string heat_colour(const std::string& low, const std::string& mid, const std::string& high,
                        double t) {
  return t < 0.5 ? mix_colours(low, mid, t * 2) : mix_colours(mid, high, (t - 0.5) * 2);
}

}  // namespace

void scatter(context& c) {
  const auto& points = points_of(c.spec, "scatter_plot");
  double xlo = points[0].x, xhi = xlo, ylo = points[0].y, yhi = ylo;
  write_block_start(c, "$P");
  for (const auto& p : points) {
    xlo = std::min(xlo, p.x), xhi = std::max(xhi, p.x);
    ylo = std::min(ylo, p.y), yhi = std::max(yhi, p.y);
    c.out << num(p.x) << ' ' << num(p.y) << '\n';
  }
  write_block_end(c);
  double xpad = 0.03 * (xhi - xlo), ypad = 0.03 * (yhi - ylo);
  write_value_axis(c, "x", nice_scale(xlo - xpad, xhi + xpad, false, 7));
  write_value_axis(c, "y", nice_scale(ylo - ypad, yhi + ypad, false));
  write_grid_both(c);
  double ps = point_size(c) * (points.size() > 1000 ? 0.5 : points.size() > 200 ? 0.75 : 1.1);
  int transparency = points.size() > 200 ? 0x90 : 0x40;
  c.out << "plot $P using 1:2 with points pt 7 ps " << num(ps) << " lc rgb '"
        << with_alpha(c.pal.colour(0), transparency) << "' notitle\n";
}

void bubble(context& c) {
  std::vector<xy_point> points = points_of(c.spec, "bubble_chart");
  // Big bubbles first so that small ones stay visible on top.
  std::stable_sort(points.begin(), points.end(), [](const auto& a, const auto& b) {
    return a.size.value_or(1) > b.size.value_or(1);
  });
  double xlo = points[0].x, xhi = xlo, ylo = points[0].y, yhi = ylo, most = 0;
  for (const auto& p : points) {
    xlo = std::min(xlo, p.x), xhi = std::max(xhi, p.x);
    ylo = std::min(ylo, p.y), yhi = std::max(yhi, p.y);
    most = std::max(most, std::fabs(p.size.value_or(1)));
  }
  double xspan = xhi > xlo ? xhi - xlo : 1.0;
  double yspan = yhi > ylo ? yhi - ylo : 1.0;
  double rmax = xspan * (points.size() > 30 ? 0.05 : 0.08);
  // The radius is in x units; in y units it scales with the plot's shape.
  double y_per_x = (yspan / (c.spec.height * 0.7)) / (xspan / (c.spec.width * 0.8));
  write_block_start(c, "$B");
  for (std::size_t i = 0; i < points.size(); ++i) {
    const auto& p = points[i];
    double r = rmax * std::sqrt(std::fabs(p.size.value_or(1)) / (most > 0 ? most : 1));
    c.out << num(p.x) << ' ' << num(p.y) << ' ' << num(std::max(r, rmax * 0.08)) << ' '
          << colour_value(c.pal.colour(i)) << '\n';
  }
  write_block_end(c);
  write_value_axis(c, "x", nice_scale(xlo - rmax * 1.1, xhi + rmax * 1.1, false, 7));
  write_value_axis(c, "y",
                   nice_scale(ylo - rmax * y_per_x * 1.1, yhi + rmax * y_per_x * 1.1, false));
  write_grid_both(c);
  c.out << "plot $B using 1:2:3:4 with circles lw 1.2 lc rgb variable fs transparent solid 0.55 "
           "border"
        << " notitle\n";
}

void heatmap(context& c) {
  const auto& d = c.spec.data;
  if (d.matrix.empty() || d.matrix[0].empty()) throw script_error("heatmap needs data.matrix");
  std::size_t rows = d.matrix.size(), cols = 0;
  double lo = d.matrix[0][0], hi = lo;
  for (const auto& row : d.matrix) {
    cols = std::max(cols, row.size());
    for (double v : row) {
      require_finite(v, "matrix value");
      lo = std::min(lo, v), hi = std::max(hi, v);
    }
  }
  if (hi <= lo) hi = lo + 1;
  std::string base = c.pal.colour(0);
  std::string low = mix_colours(c.pal.background, base, c.pal.dark ? 0.15 : 0.06);
  std::string mid = mix_colours(c.pal.background, base, 0.55);
  std::string high = mix_colours(base, c.pal.dark ? "#FFFFFF" : "#000000", 0.25);
  double cell_chars = c.plot_chars() * 0.85 / cols;
  bool labels = rows * cols <= 200 && c.plot_lines() / rows >= 1.1;
  write_block_start(c, "$M");
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t k = 0; k < cols; ++k) {
      // Ragged rows are padded with the lowest value so the image stays a grid.
      double v = k < d.matrix[r].size() ? d.matrix[r][k] : lo;
      std::string text = value_text(v);
      bool show = labels && cell_chars >= text.size() + 1.0;
      c.out << k << ' ' << rows - 1 - r << ' ' << num(v) << ' ' << data_string(show ? text : "")
            << ' ' << colour_value(text_on(heat_colour(low, mid, high, (v - lo) / (hi - lo))))
            << '\n';
    }
  }
  write_block_end(c);
  std::vector<std::string> column_names, row_names;
  std::vector<double> xs, ys;
  for (std::size_t k = 0; k < cols; ++k) {
    column_names.push_back(k < d.column_labels.size() ? d.column_labels[k] : std::to_string(k + 1));
    xs.push_back(static_cast<double>(k));
  }
  for (std::size_t r = 0; r < rows; ++r) {
    row_names.push_back(r < d.row_labels.size() ? d.row_labels[r] : std::to_string(r + 1));
    ys.push_back(static_cast<double>(rows - 1 - r));
  }
  c.out << "unset grid\nset border 0\n"
        << "set xrange [-0.5:" << num(cols - 0.5) << "]\nset yrange [-0.5:" << num(rows - 0.5)
        << "]\n";
  write_category_ticks(c, "x", column_names, xs);
  write_category_ticks(c, "y", row_names, ys);
  axis_scale cb = nice_scale(lo, hi, false, 5);
  c.out << "set cbrange [" << num(lo) << ':' << num(hi) << "]\n"
        << "set palette defined (0 " << quoted(low) << ", 1 " << quoted(mid) << ", 2 "
        << quoted(high) << ")\n"
        << "set colorbox user origin graph 1.03, graph 0 size character 1.5, graph 1 noborder\n"
        << "set cbtics scale 0 textcolor " << rgb(c.pal.foreground) << " (";
  bool first = true;
  for (double t : cb.ticks) {
    if (t < lo - 1e-9 * (hi - lo) || t > hi + 1e-9 * (hi - lo)) continue;
    c.out << (first ? "" : ", ") << tick_quoted(value_text(t)) << ' ' << num(t);
    first = false;
  }
  // Room for the colour box and its widest tick label ("60,000"). `pixels`
  // (svg_for_raster) draws the cells as rectangles: the svg terminal would
  // embed the image as a tiny PNG, which librsvg scales up smoothed.
  c.out << ")\nset rmargin at screen " << num(1.0 - (c.font_size * 10.0) / c.spec.width) << "\n"
        << "plot $M using 1:2:3 with image"
        << (c.target == script_target::svg_for_raster ? " pixels" : "") << " notitle, \\\n"
        << "  $M using 1:2:4:5 with labels noenhanced textcolor rgb variable notitle\n";
}

}  // namespace aw::render::detail
