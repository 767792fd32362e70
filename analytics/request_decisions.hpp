// The steps of parse_request (analytics/request_parser.hpp) after the words
// are read: which series, which chart type, which labels on the x axis.
// Internal to analytics/. Each step reads what the earlier ones decided in `r`.
#pragma once

#include <string>
#include <vector>

#include "analytics/request_parser.hpp"

namespace aw::analytics {

constexpr int kMaxLabels = 120;
constexpr int kMaxSeries = 8;

// What reading the words found, besides parsed_request's own fields.
struct request_reading {
  std::vector<std::string> list_items;  // a list naming things (not years, not time units)
  bool list_is_pair_of_measures = false;
  bool time_span = false;                // a span or range of time is named
  std::vector<std::string> year_series;  // years named one by one, as series names
  bool other_axis = false;               // something other than years can be the x axis
};

// Sets r.series (or r.labels, r.measures, r.points where the intent takes
// them from the words); may turn a comparison into a relationship.
void decide_series(parsed_request& r, const request_reading& read);
// Sets r.named and r.type, then sizes types with a shape of their own.
void decide_type(parsed_request& r);
// Sets the x axis labels when no step above did.
void decide_labels(parsed_request& r, const request_reading& read);

// Names keep their case ("New York", "R&D"); lower-case words get a capital.
std::string tidy(std::string item);
// "countries" -> "Country": the singular, capitalised, for made-up labels.
std::string noun_label(std::string noun);

}  // namespace aw::analytics
