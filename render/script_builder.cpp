// Dispatches a chart_spec to the script writer of its type.
#include "render/script_builder.hpp"

#include <string>

#include "render/script_types.hpp"

namespace aw::render {

std::string build_script(const chart_spec& spec, const std::string& output_path) {
  return build_script(
      spec, output_path,
      spec.format == protocol::image_format::svg ? script_target::svg : script_target::pngcairo);
}

std::string build_script(const chart_spec& spec, const std::string& output_path,
                         script_target target) {
  using protocol::chart_type;
  using namespace detail;
  for (int side : {spec.width, spec.height}) {
    if (side < kMinImageSide || side > kMaxImageSide) {
      throw script_error("image width and height must be within 200..4000");
    }
  }
  context c(spec, target);
  write_preamble(c, output_path);
  switch (spec.type) {
    case chart_type::bar_chart_vertical:
      bar_vertical(c);
      break;
    case chart_type::bar_chart_horizontal:
      bar_horizontal(c);
      break;
    case chart_type::bar_chart_grouped:
      bar_grouped(c);
      break;
    case chart_type::bar_chart_stacked:
      bar_stacked(c);
      break;
    case chart_type::line_chart:
      line_single(c);
      break;
    case chart_type::line_chart_multi:
      line_multi(c);
      break;
    case chart_type::area_chart:
      area_single(c);
      break;
    case chart_type::area_chart_stacked:
      area_stacked(c);
      break;
    case chart_type::pie_chart:
      pie(c, false);
      break;
    case chart_type::donut_chart:
      pie(c, true);
      break;
    case chart_type::scatter_plot:
      scatter(c);
      break;
    case chart_type::bubble_chart:
      bubble(c);
      break;
    case chart_type::histogram:
      histogram(c);
      break;
    case chart_type::box_plot:
      box_plot(c);
      break;
    case chart_type::violin_plot:
      violin(c);
      break;
    case chart_type::heatmap:
      heatmap(c);
      break;
    case chart_type::radar_chart:
      radar(c);
      break;
    case chart_type::waterfall_chart:
      waterfall(c);
      break;
    case chart_type::funnel_chart:
      funnel(c);
      break;
    case chart_type::step_chart:
      step(c);
      break;
    case chart_type::candlestick_chart:
      candlestick(c);
      break;
    case chart_type::combo_bar_line:
      combo_bar_line(c);
      break;
    case chart_type::pareto_chart:
      pareto(c);
      break;
    default:
      throw script_error("unknown chart type");
  }
  write_footer(c);
  return c.out.str();
}

}  // namespace aw::render
