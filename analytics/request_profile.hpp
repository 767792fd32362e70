// What the request text says about the data: the category or time axis, the
// subject and its magnitude, the trend. Drives synthetic data, titles and labels.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aw::analytics {

enum class axis_kind {
  quarters,
  months,
  weeks,
  days,
  weekdays,
  years,
  hours,  // time axes
  regions,
  products,
  countries,
  channels,
  funnel_stages,
  teams,
  skills,
  categories,
};

enum class trend_kind { flat, rising, falling };

struct subject_info {
  std::string name = "Value";     // "Revenue"
  std::string y_label = "Value";  // "Revenue ($)"
  double low = 20;                // plausible range of one value
  double high = 200;
  int decimals = 0;    // 0: integers
  double quantum = 1;  // integers are rounded to a multiple of this
};

struct request_profile {
  std::string lowered;     // the request, lower case
  std::vector<int> years;  // years mentioned, in order
  axis_kind axis = axis_kind::categories;
  std::string axis_word;  // "quarterly", "regional", ... for thoughts
  subject_info subject;
  trend_kind trend = trend_kind::flat;
  bool seasonal = false;
  // Fixed by the words (request_parser.hpp); empty/0 means the defaults of the axis.
  std::vector<std::string> labels;
  bool labels_generic = false;  // only the count is meant ("top 7"): names come from the axis
  std::vector<std::string> series;
  int points = 0;  // points, candles or sample groups
  bool ranking = false;               // the request asks for a ranking ("top 7 reps")
  std::vector<std::string> measures;  // two measures set against each other ("ad spend", "sales")

  bool time_axis() const { return axis <= axis_kind::hours; }
};

request_profile read_request(std::string_view content);

// The labels of the profile's axis. `with_year` appends the single year of
// the request to quarter labels ("Q1 2024").
std::vector<std::string> axis_labels(const request_profile& p, bool with_year = true);
std::vector<std::string> axis_labels_of(axis_kind axis, const request_profile& p, bool with_year);
// "Quarter", "Month", "Region", ...
std::string axis_title(axis_kind axis);

// Names for several series: the years of the request, or "2023"/"2024", or products.
std::vector<std::string> series_names(const request_profile& p, std::size_t wanted);

}  // namespace aw::analytics
