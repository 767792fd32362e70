// Time axes: how many periods of one grain fit in another, the grain a short
// span is drawn at, the default number of periods, and the labels of an axis.
// Pure functions.
#pragma once

#include <string>
#include <vector>

#include "analytics/request_dimensions.hpp"

namespace aw::analytics {

// Periods of `grain` in one `unit` ("weeks" of days: 7); 0 when not a whole number.
int periods_per(time_grain unit, time_grain grain);
// The finer grain a span of one unit is drawn at ("last month" -> days).
time_grain finer(time_grain unit);
// Periods drawn when the request names none (months: 12).
int default_count(time_grain g);
// Names for a time axis of `grain` with `count` periods ending at the end of `last_year`.
std::vector<std::string> time_labels(time_grain grain, int count, int last_year);

}  // namespace aw::analytics
