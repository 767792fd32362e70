// Small text helpers shared by the planner and the built-in LLM.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace aw::analytics {

std::string to_lower(std::string_view s);

// True when `phrase` occurs in `lowered` starting and ending at word boundaries.
// A trailing "s" or "es" is accepted, so "region" also finds "regions".
bool has_word(std::string_view lowered, std::string_view phrase);
bool has_any(std::string_view lowered, std::initializer_list<std::string_view> phrases);
bool has_any(std::string_view lowered, const std::vector<std::string_view>& phrases);

// Four-digit years 1900..2099 in the order they appear, without duplicates.
std::vector<int> years_in(std::string_view text);

// FNV-1a, 64 bit.
std::uint64_t fnv1a(std::string_view s, std::uint64_t hash = 14695981039346656037ULL);

// 61000 -> "61,000"; 1234.56 -> "1,234.6"; 3.14159 -> "3.14". At most one decimal
// from 100 upwards, two below, trailing zeros dropped.
std::string format_number(double v);
// 35.64 -> "35.6%"; 50 -> "50%".
std::string format_percent(double pct);
// Round to `decimals` places (0 gives integers).
double round_to(double v, int decimals);

// "quarter" -> "quarters", "country" -> "countries".
std::string plural(std::string_view noun);
std::string capitalize(std::string_view word);

}  // namespace aw::analytics
