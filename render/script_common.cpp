#include "render/script_common.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>


namespace aw::render::detail {
namespace {

bool is_continuation(unsigned char c) {
  return (c & 0xC0) == 0x80;
}

std::string trim(std::string s) {
  auto first = s.find_first_not_of(' ');
  if (first == std::string::npos) return {};
  auto last = s.find_last_not_of(' ');
  return s.substr(first, last - first + 1);
}

// Up to `digits` significant digits, trailing zeros removed.
std::string significant(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*g", digits, v);
  return buf;
}

std::string with_separators(long long v) {
  std::string digits = std::to_string(v < 0 ? -v : v);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return v < 0 ? "-" + out : out;
}

int font_size_for(int width, int height) {
  double area_based = std::sqrt(static_cast<double>(width) * height) / 60.0;
  double side_based = std::min(width, height) / 22.0;
  return static_cast<int>(std::lround(std::clamp(std::min(area_based, side_based), 7.0, 40.0)));
}

// Characters of the base font that fit along `pixels`, less room for the margins.
std::size_t fit_chars(int pixels, int font_size) {
  return static_cast<std::size_t>(std::max(8.0, pixels / (font_size * 0.75) - 6));
}

}  // namespace

std::string clean_text(std::string_view text, std::size_t max_chars) {
  std::string out;
  std::size_t chars = 0;
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    if (!is_continuation(c)) {
      if (chars == max_chars) break;
      ++chars;
    }
    out += (c < 0x20 || c == 0x7F) ? ' ' : ch;
  }
  return trim(out);
}

std::string shorten(std::string_view text, std::size_t max_chars) {
  std::string clean = clean_text(text, max_chars + 1);
  std::size_t chars = 0;
  for (char ch : clean) chars += is_continuation(static_cast<unsigned char>(ch)) ? 0 : 1;
  if (chars <= max_chars) return clean;
  return clean_text(clean, max_chars - 1) + "\xE2\x80\xA6";  // U+2026 ellipsis
}

std::string quoted(std::string_view text, std::size_t max_chars) {
  // gnuplot 5.4 documents '' as an escaped quote, but its scanner misreads ''
  // next to another quote ('''x', 'a''''b'), so a quote in the text becomes the
  // typographic apostrophe U+2019 instead: nothing can end the string early.
  std::string out = "'";
  for (char ch : clean_text(text, max_chars)) {
    if (ch == '\'') {
      out += "\xE2\x80\x99";
    } else {
      out += ch;
    }
  }
  return out + "'";
}

std::string tick_quoted(std::string_view text, std::size_t max_chars) {
  std::string out;
  for (char ch : quoted(text, max_chars)) {
    out += ch;
    if (ch == '%') out += '%';  // tick labels are printf formats
  }
  return out;
}

std::string data_string(std::string_view text, std::size_t max_chars) {
  std::string out = "\"";
  for (char ch : clean_text(text, max_chars)) {
    if (ch == '\\' || ch == '`') continue;
    out += ch == '"' ? '\'' : ch;
  }
  return out + "\"";
}

std::string num(double v) {
  require_finite(v, "value");
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

std::string value_text(double v) {
  if (!std::isfinite(v)) return "?";
  double a = std::fabs(v);
  const char* sign = v < 0 ? "-" : "";
  struct unit {
    double size;
    const char* suffix;
  };
  for (unit u : {unit{1e12, "T"}, unit{1e9, "B"}, unit{1e6, "M"}, unit{1e3, "K"}}) {
    if (a >= (u.size == 1e3 ? 1e5 : u.size)) {  // 12,345 stays exact; 123,456 becomes 123.5K
      double scaled = a / u.size;
      return sign + significant(scaled, scaled >= 100 ? 4 : 3) + u.suffix;
    }
  }
  if (a >= 1000 || a == std::floor(a)) return with_separators(std::llround(v));
  return significant(v, a >= 1 ? 4 : 3);
}

std::string rgb(const std::string& colour) {
  return "rgb '" + colour + "'";
}

void require_finite(double v, const char* what) {
  if (!std::isfinite(v)) throw script_error(std::string("non-finite ") + what + " in chart data");
}

axis_scale nice_scale(double lo, double hi, bool include_zero, int target_ticks) {
  if (include_zero) {
    lo = std::min(lo, 0.0);
    hi = std::max(hi, 0.0);
  }
  if (hi - lo <= 0) {
    double pad = std::fabs(hi) > 0 ? std::fabs(hi) * 0.1 : 1.0;
    lo -= include_zero && lo == 0 ? 0 : pad;
    hi += pad;
  }
  double raw = (hi - lo) / std::max(1, target_ticks - 1);
  double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  double step = magnitude * 10;
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0}) {
    if (m * magnitude >= raw) {
      step = m * magnitude;
      break;
    }
  }
  axis_scale s;
  s.lo = std::floor(lo / step + 1e-9) * step;
  s.hi = std::ceil(hi / step - 1e-9) * step;
  for (double t = s.lo; t <= s.hi + step * 1e-6; t += step) {
    s.ticks.push_back(std::fabs(t) < step * 1e-9 ? 0.0 : t);
  }
  return s;
}

context::context(const chart_spec& s, script_target t)
    : spec(s), target(t), pal(s.colours), font_size(font_size_for(s.width, s.height)) {}

std::string font_option(const context& c, int size, bool bold) {
  if (c.target != script_target::svg_for_raster) {
    // gnuplot's svg terminal would write the family "DejaVu Sans:Bold", which
    // browsers do not know: kept as it was, since SVG output does not change.
    return bold ? " font 'DejaVu Sans:Bold," + std::to_string(size) + "'"
                : " font '," + std::to_string(size) + "'";
  }
  // "DejaVu Sans Bold" makes the svg terminal write font-weight="bold".
  return std::string(" font '") + (bold ? "DejaVu Sans Bold," : ",") +
         num(size * kRasterFontFactor) + "'";
}

double mark_scale(const context& c) {
  return c.target == script_target::svg_for_raster ? kRasterMarkScale : 1.0;
}

double context::plot_chars() const {
  return std::max(5.0, spec.width / (font_size * 0.68) - 12.0);
}

double context::plot_lines() const {
  return std::max(3.0, spec.height / (font_size * 1.6) - 6.0);
}

void write_preamble(context& c, const std::string& output_path) {
  const auto& s = c.spec;
  const auto& p = c.pal;
  auto& o = c.out;
  std::string font = "'DejaVu Sans," + std::to_string(c.font_size) + "'";
  o << "reset session\n";
  if (c.target == script_target::svg) {
    // fontscale 1: the svg terminal keeps the fontscale of the last
    // svg_for_raster script of this gnuplot process otherwise.
    o << "set terminal svg size " << s.width << ',' << s.height << " enhanced font " << font
      << " fontscale 1 background " << rgb(p.background) << " butt\n";
  } else if (c.target == script_target::svg_for_raster) {
    o << "set terminal svg size " << s.width << ',' << s.height << " enhanced font 'DejaVu Sans,"
      << num(c.font_size * kRasterFontFactor) << "' fontscale "
      << num(4.0 / 3.0 / kRasterFontFactor) << " background " << rgb(p.background) << " butt\n";
  } else {
    o << "set terminal pngcairo size " << s.width << ',' << s.height << " enhanced font " << font
      << " background " << rgb(p.background) << " butt\n";
  }
  o << "set output " << quoted(output_path, 4096) << "\n"
    << "set encoding utf8\n"
    << "set datafile missing '?'\n"
    << "set border 3 front lc " << rgb(p.axis) << " lw 1\n"
    << "set tics nomirror out scale " << num(0.5 * mark_scale(c)) << " textcolor "
    << rgb(p.foreground) << "\n"
    << "set xtics noenhanced\nset ytics noenhanced\nunset x2tics\nunset y2tics\n"
    << "unset key\n"
    << "set style fill solid 1.0 noborder\n";
  if (p.show_grid) o << "set grid ytics back lt 1 lc " << rgb(p.grid) << " lw 1\n";
  for (std::size_t i = 0; i < 8; ++i) {
    o << "set linetype " << i + 1 << " lc " << rgb(p.colour(i)) << " lw 2 pt 7 ps "
      << num(mark_scale(c)) << "\n";
  }
  std::string title = clean_text(s.title);
  if (!title.empty()) {
    int title_size = static_cast<int>(std::lround(c.font_size * 1.4));
    // Long titles are cut to what fits on one line.
    auto fit = static_cast<std::size_t>(std::max(8.0, s.width / (title_size * 0.95) - 4));
    o << "set title " << quoted(shorten(title, fit)) << " noenhanced textcolor "
      << rgb(p.foreground) << font_option(c, title_size, true) << "\n";
  }
  if (!clean_text(s.x_label).empty()) {
    o << "set xlabel " << quoted(shorten(s.x_label, fit_chars(s.width, c.font_size)))
      << " noenhanced textcolor " << rgb(p.foreground) << "\n";
  }
  if (!clean_text(s.y_label).empty()) {
    o << "set ylabel " << quoted(shorten(s.y_label, fit_chars(s.height * 3 / 4, c.font_size)))
      << " noenhanced textcolor " << rgb(p.foreground) << "\n";
  }
}

void write_value_axis(context& c, const std::string& axis, const axis_scale& scale) {
  std::vector<std::string> labels;
  for (double t : scale.ticks) labels.push_back(value_text(t));
  bool collide = std::adjacent_find(labels.begin(), labels.end()) != labels.end();
  c.out << "set " << axis << "range [" << num(scale.lo) << ':' << num(scale.hi) << "]\n"
        << "set " << axis << "tics nomirror textcolor " << rgb(c.pal.foreground) << " (";
  for (std::size_t i = 0; i < scale.ticks.size(); ++i) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.10g", scale.ticks[i]);
    c.out << (i ? ", " : "") << tick_quoted(collide ? buf : labels[i]) << ' '
          << num(scale.ticks[i]);
  }
  c.out << ")\n";
}

void write_category_ticks(context& c, const std::string& axis,
                          const std::vector<std::string>& labels,
                          const std::vector<double>& positions) {
  std::size_t n = labels.size();
  if (n == 0) return;
  std::string options;
  std::size_t step = 1;
  std::size_t max_chars = 22;
  if (axis == "y") {
    double slot = c.plot_lines() / n;
    step = static_cast<std::size_t>(std::ceil(1.3 / std::max(slot, 1e-3)));
  } else {
    double slot = c.plot_chars() / n;
    std::size_t longest = 0;
    for (const auto& l : labels) longest = std::max(longest, clean_text(l, 18).size());
    if (static_cast<double>(std::min<std::size_t>(longest, 18)) + 1.5 > slot) {
      // Slanted labels need about three character widths between them, and
      // room on the left for the first one.
      options = " rotate by 45 right";
      max_chars = 14;
      step = static_cast<std::size_t>(std::ceil(3.2 / std::max(slot, 1e-3)));
      double reach = 0.72 * std::min<std::size_t>(longest, max_chars) + 2;
      c.out << "set lmargin " << static_cast<int>(std::ceil(std::max(10.0, reach))) << "\n"
            << "set rmargin 4\n";
    } else {
      max_chars = 18;
    }
  }
  step = std::max<std::size_t>(step, 1);
  c.out << "set " << axis << "tics noenhanced nomirror scale 0" << options << " textcolor "
        << rgb(c.pal.foreground) << " (";
  bool first = true;
  for (std::size_t i = 0; i < n; i += step) {
    c.out << (first ? "" : ", ") << tick_quoted(shorten(labels[i], max_chars)) << ' '
          << num(positions[i]);
    first = false;
  }
  c.out << ")\n";
}

void write_key(context& c, const std::vector<std::string>& names) {
  // One or more rows between the title and the plot: the key sits on top of
  // the graph, the title is lifted above it and the top margin grows to fit.
  double row_chars = std::max(10.0, c.spec.width / (c.font_size * 0.7) - 4);
  double total = 0;
  for (const auto& n : names) total += std::min<std::size_t>(clean_text(n, 60).size(), 28) + 5.0;
  std::size_t rows = std::clamp<std::size_t>(static_cast<std::size_t>(std::ceil(total / row_chars)),
                                             1, std::max<std::size_t>(names.size(), 1));
  std::size_t columns = (names.size() + rows - 1) / std::max<std::size_t>(rows, 1);
  double key_lines = rows * 1.25;
  bool title = !clean_text(c.spec.title).empty();
  c.out << "set tmargin " << num(std::ceil((title ? 2.8 : 0.8) + key_lines + 0.4)) << "\n"
        << "set key at graph 0.5, graph 1.0 center bottom horizontal reverse Left noenhanced"
        << " textcolor " << rgb(c.pal.foreground) << " samplen 1.5 spacing 1.1 width 1 maxcols "
        << columns << " maxrows " << rows << "\n";
  if (title) c.out << "set title offset 0," << num(key_lines) << "\n";
}

void write_key(context& c, const category_data& d) {
  std::vector<std::string> names;
  for (std::size_t i = 0; i < d.series.size(); ++i) names.push_back(series_name(d, i));
  write_key(c, names);
}

void write_block_start(context& c, const std::string& name) {
  c.out << name << " << EOD\n";
}
void write_block_end(context& c) {
  c.out << "EOD\n";
}

void write_footer(context& c) {
  c.out << "unset output\n";
}

category_data one_series(const chart_spec& spec) {
  const auto& d = spec.data;
  std::vector<double> values = d.values;
  if (values.empty() && !d.series.empty()) values = d.series.front().values;
  if (values.empty()) {
    throw script_error(std::string(name_of(spec.kind)) +
                       " needs labels and values (data.values is empty)");
  }
  category_data out;
  for (std::size_t i = 0; i < values.size(); ++i) {
    require_finite(values[i], "value");
    out.labels.push_back(i < d.labels.size() ? d.labels[i] : std::to_string(i + 1));
  }
  out.series.push_back(
      {d.series.empty() || !d.values.empty() ? spec.y_label : d.series[0].name, values});
  return out;
}

category_data many_series(const chart_spec& spec) {
  const auto& d = spec.data;
  category_data out;
  if (!d.series.empty()) {
    out.series = d.series;
  } else if (!d.values.empty()) {
    out.series.push_back({spec.y_label, d.values});
  }
  if (out.series.size() > max_drawn_series) out.series.resize(max_drawn_series);
  std::size_t n = 0;
  for (const auto& s : out.series) n = std::max(n, s.values.size());
  if (n == 0) {
    throw script_error(std::string(name_of(spec.kind)) +
                       " needs labels and series (data.series is empty)");
  }
  for (auto& s : out.series) {
    for (double v : s.values) require_finite(v, "value");
    s.values.resize(n, 0.0);
  }
  for (std::size_t i = 0; i < n; ++i) {
    out.labels.push_back(i < d.labels.size() ? d.labels[i] : std::to_string(i + 1));
  }
  return out;
}

std::string series_name(const category_data& d, std::size_t i) {
  std::string name = clean_text(d.series[i].name, 60);
  return name.empty() ? "Series " + std::to_string(i + 1) : name;
}

}  // namespace aw::render::detail
