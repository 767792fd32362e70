// Colours of a theme: background, text, grid, axes and the series colours.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace aw::render {

struct palette {
  std::string background;           // "#RRGGBB"
  std::string foreground;           // titles, labels, tick text
  std::string grid;                 // grid lines
  std::string axis;                 // axis lines and tick marks
  std::vector<std::string> series;  // at least 8 colours, used in order
  std::string positive;             // up / increase (waterfall, candlesticks)
  std::string negative;             // down / decrease
  bool show_grid = true;
  bool dark = false;

  // Series colour i, cycling through the list.
  const std::string& colour(std::size_t i) const { return series[i % series.size()]; }
};

// The palette of a named theme: modern, corporate, dark, minimal, vibrant, or
// custom; unknown names give modern. For custom, the valid "#RRGGBB" colours
// of `custom_colours` come first in the series colours, then modern's.
palette theme_palette(std::string_view name, const std::vector<std::string>& custom_colours = {});

// "#RRGGBB" with case-insensitive hex digits.
bool valid_hex_colour(const std::string& s);

// Linear mix: t = 0 gives a, t = 1 gives b. Both "#RRGGBB".
std::string mix_colours(const std::string& a, const std::string& b, double t);

// Relative luminance in [0, 1] (for choosing dark or light text on a colour).
double luminance(const std::string& colour);

// The colour as gnuplot's integer 0xRRGGBB (for `rgb variable` columns).
long colour_value(const std::string& colour);

}  // namespace aw::render
