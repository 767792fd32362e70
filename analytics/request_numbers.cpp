#include "analytics/request_numbers.hpp"

#include <algorithm>

namespace aw::analytics {
namespace {

bool is_year(const word& w) {
  return w.number && w.text.size() == 4 && *w.number >= 1900 && *w.number <= 2099;
}

bool one_of(const std::string& w, std::initializer_list<const char*> list) {
  for (const char* s : list)
    if (w == s) return true;
  return false;
}

int month_number(const std::string& w) {
  static const char* names[] = {"january",   "february", "march",    "april",
                                "may",       "june",     "july",     "august",
                                "september", "october",  "november", "december"};
  for (int i = 0; i < 12; ++i)
    if (w == names[i] ||
        (w.size() == 3 && std::string(names[i]).compare(0, 3, w) == 0 && w != "may"))
      return i + 1;
  return 0;
}

// Words after a number that are units, not things counted ("40 ms", "5 %").
bool is_unit(const std::string& w) {
  return one_of(w,
                {"%",     "ms",      "km",      "kg",      "kw",     "kwh",     "mw",      "gb",
                 "mb",    "k",       "m",       "percent", "times",  "minutes", "seconds", "min",
                 "s",     "x",       "euros",   "dollars", "usd",    "eur",     "points",  "of",
                 "and",   "or",      "to",      "-",       "more",   "less",    "most",    "best",
                 "worst", "largest", "biggest", "highest", "lowest", "top"});
}

const word* at(const std::vector<word>& w, std::size_t i) {
  return i < w.size() ? &w[i] : nullptr;
}

// The counted thing after a number: "sales reps by revenue" -> "reps" (the last of up to
// two words before a preposition).
std::string noun_after(const std::vector<word>& words, std::size_t i) {
  std::string noun;
  for (std::size_t k = i; k < words.size() && k < i + 3; ++k) {
    const word& w = words[k];
    if (w.punctuation() || w.number ||
        one_of(w.text, {"by",     "per",    "in",     "for",     "on",       "of",      "with",
                        "and",    "over",   "across", "from",    "this",     "last",    "as",
                        "since",  "during", "to",     "that",    "which",    "who",     "the",
                        "a",      "show",   "sell",   "sold",    "have",     "has",     "are",
                        "is",     "most",   "best",   "worst",   "largest",  "biggest", "highest",
                        "lowest", "ranked", "sorted", "ordered", "compared", "shown",   "listed"}))
      break;
    noun = w.text;
  }
  return noun;
}

}  // namespace

time_grain unit_of(const std::string& w) {
  if (one_of(w, {"hour", "hours", "hr", "hrs"})) return time_grain::hour;
  if (one_of(w, {"day", "days"})) return time_grain::day;
  if (one_of(w, {"week", "weeks"})) return time_grain::week;
  if (one_of(w, {"month", "months"})) return time_grain::month;
  if (one_of(w, {"quarter", "quarters"})) return time_grain::quarter;
  if (one_of(w, {"year", "years"})) return time_grain::year;
  return time_grain::none;
}

request_numbers read_numbers(const std::vector<word>& words) {
  request_numbers out;
  std::vector<bool> used(words.size(), false);
  const std::size_t n = words.size();

  for (std::size_t i = 0; i < n; ++i)
    if (is_year(words[i]) &&
        std::find(out.years.begin(), out.years.end(), *words[i].number) == out.years.end())
      out.years.push_back(*words[i].number);

  for (std::size_t i = 0; i < n; ++i) {
    const std::string& t = words[i].text;
    // Year ranges: "2019 to 2024", "from 2019 through 2024", "2019-2024", "between 2019 and 2024".
    if (is_year(words[i])) {
      const word* a = at(words, i + 1);
      const word* b = at(words, i + 2);
      bool range_word = a && one_of(a->text, {"to", "through", "until", "till", "-"});
      bool between = a && a->text == "and" && i > 0 && words[i - 1].text == "between";
      if ((range_word || between) && b && is_year(*b) && *b->number > *words[i].number) {
        out.year_from = *words[i].number;
        out.year_to = *b->number;
        used[i] = used[i + 2] = true;
      }
      if (t.size() == 9 && t[4] == '-') {  // "2019-2024" stays one word
      }
      if (i > 0 && words[i - 1].text == "since" && out.year_from == 0) {
        out.year_from = *words[i].number;
        out.year_to = std::max(kReferenceYear, out.year_from);
        used[i] = true;
      }
      continue;
    }
    if (t.size() == 9 && t[4] == '-' && std::all_of(t.begin(), t.begin() + 4, ::isdigit) &&
        std::all_of(t.begin() + 5, t.end(), ::isdigit)) {
      int a = std::stoi(t.substr(0, 4)), b = std::stoi(t.substr(5));
      if (a >= 1900 && b <= 2099 && b > a) {
        out.year_from = a;
        out.year_to = b;
      }
      continue;
    }
    if (t == "since") {
      if (const word* m = at(words, i + 1)) {
        int month = month_number(m->text);
        if (month) out.since_month = month;
      }
      continue;
    }
    // Named quarters: "Q3", "q4".
    if (t.size() == 2 && t[0] == 'q' && t[1] >= '1' && t[1] <= '4') {
      std::string q = "Q" + t.substr(1);
      if (std::find(out.quarters.begin(), out.quarters.end(), q) == out.quarters.end())
        out.quarters.push_back(q);
      continue;
    }
    // Rankings: "top 10", "bottom 5", "the 10 most", "best 3".
    if (one_of(t, {"top", "bottom", "best", "worst", "largest", "biggest", "first"}) &&
        at(words, i + 1) && words[i + 1].number && !is_year(words[i + 1])) {
      out.top_n = *words[i + 1].number;
      out.top_noun = noun_after(words, i + 2);
      used[i + 1] = true;
      continue;
    }
  }

  for (std::size_t i = 0; i < n; ++i) {
    if (used[i] || !words[i].number || is_year(words[i])) continue;
    const int value = *words[i].number;
    if (value <= 0) continue;
    const word* next = at(words, i + 1);
    if (!next) continue;
    // "30 trading days", "10 sessions".
    if ((next->text == "trading" && at(words, i + 2) &&
         unit_of(words[i + 2].text) == time_grain::day) ||
        one_of(next->text, {"session", "sessions"})) {
      out.trading_days = value;
      out.span = value;
      out.span_unit = time_grain::day;
      continue;
    }
    if (time_grain g = unit_of(next->text); g != time_grain::none) {
      if (out.span == 0) {
        out.span = value;
        out.span_unit = g;
      }
      continue;
    }
    if (one_of(next->text, {"most", "best", "worst", "largest", "biggest", "highest", "lowest",
                            "top", "fastest", "slowest", "busiest", "leading"})) {
      if (out.top_n == 0) {
        out.top_n = value;
        out.top_noun = noun_after(words, i + 2);
      }
      continue;
    }
    if (is_unit(next->text) || next->punctuation()) continue;
    if (out.count == 0) {
      out.count = value;
      // "7 sales teams": the counted thing is the last word of a short noun phrase.
      out.count_noun = noun_after(words, i + 1);
      if (out.count_noun.empty()) out.count_noun = next->text;
    }
  }

  // "last year", "past month", "previous quarter", "yesterday": a span of one.
  if (out.span == 0) {
    for (std::size_t i = 0; i + 1 < n; ++i) {
      if (!one_of(words[i].text, {"last", "past", "previous", "this"})) continue;
      time_grain g = unit_of(words[i + 1].text);
      if (g == time_grain::none && words[i + 1].text == "the" && i + 2 < n)
        g = unit_of(words[i + 2].text);
      if (g != time_grain::none) {
        out.span = 1;
        out.span_unit = g;
        break;
      }
    }
    for (const auto& w : words)
      if (out.span == 0 && one_of(w.text, {"yesterday", "today"})) {
        out.span = 1;
        out.span_unit = time_grain::day;
      }
  }
  return out;
}

}  // namespace aw::analytics
