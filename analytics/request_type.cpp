#include <algorithm>

#include "analytics/chart_shapes.hpp"
#include "analytics/request_decisions.hpp"
#include "analytics/text.hpp"
#include "analytics/time_axis.hpp"

namespace aw::analytics {

using protocol::chart_type;

void decide_type(parsed_request& r) {
  const request_numbers& n = r.numbers;
  const bool several = r.series.size() >= 2;
  const bool time_axis = r.grain != time_grain::none;
  r.named = named_chart(r.text, several);
  if (r.named) {
    r.type = *r.named;
    if (r.type == chart_type::combo_bar_line && r.what != intent::combo) r.what = intent::combo;
  } else {
    switch (r.what) {
      case intent::ohlc:
        r.type = chart_type::candlestick_chart;
        break;
      case intent::pareto:
        r.type = chart_type::pareto_chart;
        break;
      case intent::bridge:
        r.type = chart_type::waterfall_chart;
        break;
      case intent::funnel:
        r.type = chart_type::funnel_chart;
        break;
      case intent::matrix:
        r.type = chart_type::heatmap;
        break;
      case intent::profile:
        r.type = chart_type::radar_chart;
        break;
      case intent::steps:
        r.type = chart_type::step_chart;
        break;
      case intent::combo:
        r.type = chart_type::combo_bar_line;
        break;
      case intent::relationship:
        r.type = asks_for_size(r.text) ? chart_type::bubble_chart : chart_type::scatter_plot;
        break;
      case intent::distribution: {
        const bool binned =
            has_any(r.text, {"bracket", "brackets", "bucket", "buckets", "bins", "band", "bands"});
        const bool grouped =
            (!r.category.empty() && !binned) || !r.labels.empty() || n.count > 1 ||
            has_any(r.text, {"quartile", "quartiles", "outlier", "outliers", "median", "medians",
                             "ranges", "between", "vary", "whisker"});
        r.type = has_any(r.text, {"density"}) ? chart_type::violin_plot
                 : grouped                    ? chart_type::box_plot
                                              : chart_type::histogram;
        break;
      }
      case intent::share:
        r.type = chart_type::pie_chart;
        break;
      case intent::composition:
        r.type = has_any(r.text, {"over time", "evolved", "changed", "trend"})
                     ? chart_type::area_chart_stacked
                     : chart_type::bar_chart_stacked;
        break;
      case intent::trend:
        r.type = several ? chart_type::line_chart_multi : chart_type::line_chart;
        break;
      case intent::comparison:
        // Several series over a few quarters or years read best as grouped bars.
        r.type = several
                     ? (time_axis && r.grain != time_grain::quarter && r.grain != time_grain::year
                            ? chart_type::line_chart_multi
                            : chart_type::bar_chart_grouped)
                 : time_axis ? chart_type::line_chart
                             : chart_type::bar_chart_vertical;
        break;
      case intent::ranking:
        r.type = chart_type::bar_chart_horizontal;
        break;
      case intent::none:
        if (several)
          r.type = time_axis && r.grain != time_grain::weekday ? chart_type::line_chart_multi
                                                               : chart_type::bar_chart_grouped;
        else if (r.grain == time_grain::weekday)
          r.type = chart_type::bar_chart_vertical;
        else if (time_axis && r.grain != time_grain::quarter && r.grain != time_grain::year)
          r.type = chart_type::line_chart;
        else if (has_any(r.text, {"country", "countries"}))
          r.type = chart_type::bar_chart_horizontal;
        else
          r.type = chart_type::bar_chart_vertical;
        break;
    }
  }

  // A type with a shape of its own takes its size from the numbers, not labels or series.
  const int span_days = n.trading_days > 0 ? n.trading_days
                        : n.span > 0
                            ? n.span * std::max(1, periods_per(n.span_unit, time_grain::day))
                            : 0;
  switch (shape_of(r.type)) {
    case data_shape::candles:
      r.points = span_days;
      r.labels.clear();
      r.series.clear();
      break;
    case data_shape::points:
      if (r.points == 0) r.points = n.count > 0 ? n.count : span_days;
      r.labels.clear();
      r.series.clear();
      break;
    case data_shape::matrix:
      r.labels.clear();
      r.series.clear();
      break;
    default:
      break;
  }
}

}  // namespace aw::analytics
