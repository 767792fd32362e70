// Shared pieces of the gnuplot scripts: safe text, numbers, axes, the
// preamble (terminal, colours, title) and the category data views.
#pragma once

#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "render/chart_spec.hpp"
#include "render/palette.hpp"
#include "render/renderer.hpp"

namespace aw::render::detail {

// Thrown for data a chart type cannot draw (missing shape, non-finite number).
class script_error : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

constexpr std::size_t kMaxTextChars = 200;

// Control characters become spaces; cut to max_chars code points (UTF-8 safe).
std::string clean_text(std::string_view text, std::size_t max_chars = kMaxTextChars);
// A gnuplot single-quoted string literal: ' doubled, cleaned, capped.
std::string quoted(std::string_view text, std::size_t max_chars = kMaxTextChars);
// quoted() for a tick label, which gnuplot reads as a format: % doubled.
std::string tick_quoted(std::string_view text, std::size_t max_chars = kMaxTextChars);
// A double-quoted string for a datablock column: " becomes ', \ and ` removed.
std::string data_string(std::string_view text, std::size_t max_chars = kMaxTextChars);
// Shortened with an ellipsis when longer than max_chars (for tick labels).
std::string shorten(std::string_view text, std::size_t max_chars);

// %.17g; throws script_error for NaN or infinity.
std::string num(double v);
// Short human form for value labels and ticks: 1,234  3.142  12.3K  1.25M.
std::string value_text(double v);
// rgb '#RRGGBB' for gnuplot colour options.
std::string rgb(const std::string& colour);

// Round tick positions over [lo, hi].
struct axis_scale {
  double lo = 0;
  double hi = 1;
  std::vector<double> ticks;
};
axis_scale nice_scale(double lo, double hi, bool include_zero, int target_ticks = 6);

// Everything one script needs while it is being written.
struct context {
  const chart_spec& spec;
  script_target target;
  palette pal;
  int font_size;  // base font size in points
  std::ostringstream out;

  context(const chart_spec& s, script_target t);
  // Width available for the plot, in characters of the base font.
  double plot_chars() const;
  double plot_lines() const;  // height, in lines of the base font
};

// For script_target::svg_for_raster: gnuplot's svg terminal lays text out
// with fixed guesses of a font's size (0.7 x size wide, 1.5 x size tall) where
// pngcairo measures the real font (about 0.84 and 1.55), and draws ticks and
// points in proportion to the font size. Fonts are declared this much larger
// (the layout comes out closest to pngcairo's), `fontscale` brings the drawn
// size back to pngcairo's (pngcairo draws a point as 4/3 pixel), and ticks
// and points shrink by kRasterMarkScale. Measured over the gallery against
// pngcairo: tests/unit/render/raster_match_test.cpp.
constexpr double kRasterFontFactor = 1.085;
constexpr double kRasterMarkScale = 0.8;

// ` font '<spec>'` for a label of `size` points (bold: DejaVu Sans Bold),
// as the target's terminal needs it written.
std::string font_option(const context& c, int size, bool bold = false);
// Multiplier for point sizes (`ps`) and tick lengths: 1 but for svg_for_raster.
double mark_scale(const context& c);

// Terminal, output, colours, border, grid, title and axis labels.
void write_preamble(context& c, const std::string& output_path);
// Axis ticks with value_text labels; `axis` is "y", "y2" or "x".
void write_value_axis(context& c, const std::string& axis, const axis_scale& scale);
// Category tick labels for x (or y when horizontal): thinned, shortened,
// rotated when they do not fit. positions[i] is where labels[i] goes.
void write_category_ticks(context& c, const std::string& axis,
                          const std::vector<std::string>& labels,
                          const std::vector<double>& positions);
// A key (legend) between title and plot, one row, in the theme's text colour.
void write_key(context& c, const std::vector<std::string>& names);
void write_block_start(context& c, const std::string& name);
void write_block_end(context& c);
void write_footer(context& c);

// The category views of chart_data.
struct category_data {
  std::vector<std::string> labels;
  std::vector<data_series> series;  // every series has labels.size() values
};
// labels + values (or the first of series). Throws script_error when empty.
category_data one_series(const chart_spec& spec);
// labels + series (or values as one series). Throws script_error when empty.
category_data many_series(const chart_spec& spec);
// Name of series i for the legend (its own name or "Series i+1").
std::string series_name(const category_data& d, std::size_t i);
// write_key with the series names of d.
void write_key(context& c, const category_data& d);

// Throws script_error naming `what` when v is not finite.
void require_finite(double v, const char* what);

}  // namespace aw::render::detail
