// Dispatches a chart_spec to the script writer of its type.
#include "render/script_builder.hpp"

#include <string>

#include "render/script_types.hpp"

namespace aw::render {

std::string build_script(const chart_spec& spec, const std::string& output_path) {
  return build_script(
      spec, output_path,
      spec.format == image_format::svg ? script_target::svg : script_target::pngcairo);
}

std::string build_script(const chart_spec& spec, const std::string& output_path,
                         script_target target) {
  
  using namespace detail;
  for (int side : {spec.width, spec.height}) {
    if (side < kMinImageSide || side > kMaxImageSide) {
      throw script_error("image width and height must be within 200..4000");
    }
  }
  context c(spec, target);
  write_preamble(c, output_path);
  switch (spec.kind) {
    case chart_kind::bar_chart_vertical:
      bar_vertical(c);
      break;
    case chart_kind::bar_chart_horizontal:
      bar_horizontal(c);
      break;
    case chart_kind::bar_chart_grouped:
      bar_grouped(c);
      break;
    case chart_kind::bar_chart_stacked:
      bar_stacked(c);
      break;
    case chart_kind::line_chart:
      line_single(c);
      break;
    case chart_kind::line_chart_multi:
      line_multi(c);
      break;
    case chart_kind::area_chart:
      area_single(c);
      break;
    case chart_kind::area_chart_stacked:
      area_stacked(c);
      break;
    case chart_kind::pie_chart:
      pie(c, false);
      break;
    case chart_kind::donut_chart:
      pie(c, true);
      break;
    case chart_kind::scatter_plot:
      scatter(c);
      break;
    case chart_kind::bubble_chart:
      bubble(c);
      break;
    case chart_kind::histogram:
      histogram(c);
      break;
    case chart_kind::box_plot:
      box_plot(c);
      break;
    case chart_kind::violin_plot:
      violin(c);
      break;
    case chart_kind::heatmap:
      heatmap(c);
      break;
    case chart_kind::radar_chart:
      radar(c);
      break;
    case chart_kind::waterfall_chart:
      waterfall(c);
      break;
    case chart_kind::funnel_chart:
      funnel(c);
      break;
    case chart_kind::step_chart:
      step(c);
      break;
    case chart_kind::candlestick_chart:
      candlestick(c);
      break;
    case chart_kind::combo_bar_line:
      combo_bar_line(c);
      break;
    case chart_kind::pareto_chart:
      pareto(c);
      break;
    default:
      throw script_error("unknown chart type");
  }
  write_footer(c);
  return c.out.str();
}

}  // namespace aw::render
