#include "actors/chart_spec_for.hpp"

namespace aw::actors {
namespace {

std::vector<render::data_series> series_for(const std::vector<protocol::named_series>& in) {
  std::vector<render::data_series> out;
  out.reserve(in.size());
  for (const auto& s : in) out.push_back({s.name, s.values});
  return out;
}

}  // namespace

render::chart_kind chart_kind_for(protocol::chart_type type) {
  switch (type) {
    case protocol::chart_type::bar_chart_vertical:
      return render::chart_kind::bar_chart_vertical;
    case protocol::chart_type::bar_chart_horizontal:
      return render::chart_kind::bar_chart_horizontal;
    case protocol::chart_type::bar_chart_grouped:
      return render::chart_kind::bar_chart_grouped;
    case protocol::chart_type::bar_chart_stacked:
      return render::chart_kind::bar_chart_stacked;
    case protocol::chart_type::line_chart:
      return render::chart_kind::line_chart;
    case protocol::chart_type::line_chart_multi:
      return render::chart_kind::line_chart_multi;
    case protocol::chart_type::area_chart:
      return render::chart_kind::area_chart;
    case protocol::chart_type::area_chart_stacked:
      return render::chart_kind::area_chart_stacked;
    case protocol::chart_type::pie_chart:
      return render::chart_kind::pie_chart;
    case protocol::chart_type::donut_chart:
      return render::chart_kind::donut_chart;
    case protocol::chart_type::scatter_plot:
      return render::chart_kind::scatter_plot;
    case protocol::chart_type::bubble_chart:
      return render::chart_kind::bubble_chart;
    case protocol::chart_type::histogram:
      return render::chart_kind::histogram;
    case protocol::chart_type::box_plot:
      return render::chart_kind::box_plot;
    case protocol::chart_type::violin_plot:
      return render::chart_kind::violin_plot;
    case protocol::chart_type::heatmap:
      return render::chart_kind::heatmap;
    case protocol::chart_type::radar_chart:
      return render::chart_kind::radar_chart;
    case protocol::chart_type::waterfall_chart:
      return render::chart_kind::waterfall_chart;
    case protocol::chart_type::funnel_chart:
      return render::chart_kind::funnel_chart;
    case protocol::chart_type::step_chart:
      return render::chart_kind::step_chart;
    case protocol::chart_type::candlestick_chart:
      return render::chart_kind::candlestick_chart;
    case protocol::chart_type::combo_bar_line:
      return render::chart_kind::combo_bar_line;
    case protocol::chart_type::pareto_chart:
      return render::chart_kind::pareto_chart;
  }
  return render::chart_kind::bar_chart_vertical;
}

render::plot_data plot_data_for(const protocol::chart_data& data) {
  render::plot_data out;
  out.labels = data.labels;
  out.values = data.values;
  out.series = series_for(data.series);
  out.points.reserve(data.points.size());
  for (const auto& p : data.points) out.points.push_back({p.x, p.y, p.size});
  out.candles.reserve(data.candles.size());
  for (const auto& c : data.candles)
    out.candles.push_back({c.label, c.open, c.high, c.low, c.close});
  out.matrix = data.matrix;
  out.row_labels = data.row_labels;
  out.column_labels = data.column_labels;
  out.groups = series_for(data.groups);
  return out;
}

render::palette palette_for(const protocol::theme_choice& theme) {
  if (theme.name != "custom") return render::theme_palette(theme.name);
  return render::theme_palette(theme.name, {theme.primary, theme.secondary, theme.tertiary});
}

render::image_format image_format_for(protocol::image_format format) {
  return format == protocol::image_format::svg ? render::image_format::svg
                                               : render::image_format::png;
}

render::chart_spec chart_spec_for(const analytics::generation& gen, protocol::chart_type type,
                                  const protocol::analytics_payload& payload) {
  render::chart_spec spec;
  spec.kind = chart_kind_for(type);
  spec.title = gen.title;
  spec.x_label = gen.x_label;
  spec.y_label = gen.y_label;
  spec.data = plot_data_for(gen.data);
  spec.colours = palette_for(payload.theme);
  spec.format = image_format_for(payload.format);
  spec.width = payload.width;
  spec.height = payload.height;
  return spec;
}

}  // namespace aw::actors
