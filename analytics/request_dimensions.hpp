// The dimensions of a request: its time grain ("by month", "hourly",
// "day of the week") and the lists of things it names ("Paris, London and
// Berlin", "2023 vs 2024", "planned vs actual").
#pragma once

#include <string>
#include <vector>

#include "analytics/request_numbers.hpp"
#include "analytics/request_words.hpp"

namespace aw::analytics {

// The grain named by the words, or none ("weekly" -> week, "per hour" -> hour).
time_grain read_grain(const std::string& text);

struct named_list {
  std::vector<std::string> items;  // as written, trimmed ("Paris", "New York")
  std::string joiner;              // "and", "or", "vs", "," (no conjunction), "to"
  std::size_t first_word = 0;      // index of the word the list starts at
  std::size_t end_word = 0;        // one past its last word
};

// Lists of three or more things joined by commas (with or without a final
// "and"/"or"), chains "A to B to C", and pairs "A vs B", "A against B",
// "A and B" where both are short. The longest list comes first.
std::vector<named_list> read_lists(const std::vector<word>& words);

// The category the request is broken down by ("by region" -> "region"),
// or empty.
std::string read_category(const std::vector<word>& words);

}  // namespace aw::analytics
