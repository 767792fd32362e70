// One function per chart type; each writes its data blocks and plot commands
// into c.out between write_preamble and write_footer. They throw
// script_error when the spec lacks the data shape of the type.
#pragma once

#include "render/script_common.hpp"

namespace aw::render::detail {

// script_bars.cpp
void bar_vertical(context& c);
void bar_horizontal(context& c);
void bar_grouped(context& c);
void bar_stacked(context& c);
// script_flow.cpp
void waterfall(context& c);
void funnel(context& c);
void pareto(context& c);
void combo_bar_line(context& c);
// script_lines.cpp
void line_single(context& c);
void line_multi(context& c);
void area_single(context& c);
void area_stacked(context& c);
void step(context& c);
void candlestick(context& c);
// script_circular.cpp
void pie(context& c, bool donut);
void radar(context& c);
// script_distribution.cpp
void histogram(context& c);
void box_plot(context& c);
void violin(context& c);
// script_points.cpp
void scatter(context& c);
void bubble(context& c);
void heatmap(context& c);

// Helpers shared by the type files.
double line_width(const context& c);
double point_size(const context& c);
// Value labels fit when there are few categories and each slot is wide enough.
bool value_labels_fit(const context& c, std::size_t count, std::size_t text_chars);
// Plot clauses (each starting with ", ") that write column text_col at
// (x_col, y_col) of `block`: above when column sign_col >= 0, below otherwise.
std::string value_labels(const context& c, const std::string& block, int x_col, int y_col,
                         int text_col, int sign_col, int font_size = 0);
// White or near-black text, whichever reads better on `fill`.
std::string text_on(const std::string& fill);

}  // namespace aw::render::detail
