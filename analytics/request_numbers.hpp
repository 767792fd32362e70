// The numbers of a request: "top 10", "last 5 years", "past two weeks",
// "2019 to 2024", "since 2019", "since March", "8 markets", "Q3 and Q4".
#pragma once

#include <string>
#include <vector>

#include "analytics/request_words.hpp"

namespace aw::analytics {

enum class time_grain { none, hour, weekday, day, week, month, quarter, year };

// The reference date of every relative span: the end of 2024 (deterministic,
// no clock). "last 3 years" is 2022..2024, "since March" is Mar..Dec.
constexpr int kReferenceYear = 2024;

struct request_numbers {
  int top_n = 0;                            // "top 10", "the ten most", "bottom 5"
  int span = 0;                             // "last 5 years" -> 5
  time_grain span_unit = time_grain::none;  // ... years
  int year_from = 0;                        // "2019 to 2024", "since 2019"
  int year_to = 0;
  std::vector<int> years;             // every year named, in order
  int since_month = 0;                // "since March" -> 3
  int count = 0;                      // "8 markets" -> 8 (not a time span)
  std::string count_noun;             // "markets"
  std::string top_noun;               // "top 7 sales reps" -> "reps"
  std::vector<std::string> quarters;  // "Q3 and Q4" -> {"Q3", "Q4"}
  int trading_days = 0;               // "30 trading days", "10 sessions"
};

request_numbers read_numbers(const std::vector<word>& words);

// "hours" -> hour, "weeks" -> week, ... none for other words.
time_grain unit_of(const std::string& w);

}  // namespace aw::analytics
