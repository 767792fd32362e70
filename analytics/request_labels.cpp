#include <algorithm>

#include "analytics/chart_shapes.hpp"
#include "analytics/request_decisions.hpp"
#include "analytics/time_axis.hpp"

namespace aw::analytics {

void decide_labels(parsed_request& r, const request_reading& read) {
  const request_numbers& n = r.numbers;
  const auto& year_series = read.year_series;
  const bool other_axis = read.other_axis;
  const bool time_axis = r.grain != time_grain::none;
  const data_shape shape = shape_of(r.type);
  const bool own_shape = shape == data_shape::candles || shape == data_shape::points ||
                         shape == data_shape::matrix || shape == data_shape::groups;
  if (r.labels.empty() && time_axis && !own_shape) {
    int count = default_count(r.grain);
    int last_year = kReferenceYear;
    if (n.year_from > 0) {
      last_year = n.year_to;
      int years = n.year_to - n.year_from + 1;
      count = r.grain == time_grain::year
                  ? years
                  : years * std::max(1, periods_per(time_grain::year, r.grain));
    } else if (n.since_month > 0 && r.grain == time_grain::month) {
      count = 12 - n.since_month + 1;
    } else if (n.span > 0 && r.grain != time_grain::weekday) {
      int per = periods_per(n.span_unit, r.grain);
      if (per > 0) count = n.span * per;
    } else if (n.quarters.size() >= 2 && r.grain == time_grain::quarter) {
      r.labels = n.quarters;
    } else if (r.grain == time_grain::year && year_series.size() >= 2 && !other_axis) {
      r.labels = year_series;
    }
    if (n.years.size() == 1 && n.year_from == 0) last_year = n.years.front();
    if (r.labels.empty() && count > 0) r.labels = time_labels(r.grain, count, last_year);
    // "quarterly revenue for 2024": Q1 2024 .. Q4 2024.
    if (r.grain == time_grain::quarter && n.years.size() == 1 && r.labels.size() <= 4)
      for (auto& l : r.labels) l += " " + std::to_string(n.years.front());
  } else if (r.labels.empty() && !time_axis && !own_shape) {
    if (n.quarters.size() >= 2) r.labels = n.quarters;
    int wanted =
        n.top_n > 0 ? n.top_n : (r.series.empty() || r.what == intent::profile ? n.count : 0);
    if (r.what == intent::profile) wanted = 0;
    if (wanted > 0 && r.labels.empty()) {
      std::string noun = n.top_n > 0 && !n.top_noun.empty()      ? n.top_noun
                         : !n.count_noun.empty() && n.top_n == 0 ? n.count_noun
                                                                 : r.category;
      wanted = std::min(wanted, kMaxLabels);
      for (int i = 0; i < wanted; ++i)
        r.labels.push_back((noun.empty() ? std::string("Item") : noun_label(noun)) + " " +
                           std::to_string(i + 1));
      r.points = wanted;
      r.labels_generic = true;
    }
  }
}

}  // namespace aw::analytics
