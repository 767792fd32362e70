#include "analytics/request_dimensions.hpp"

#include <algorithm>
#include <unordered_set>

#include "analytics/text.hpp"

namespace aw::analytics {
namespace {

// Words that end a list item at its outer edge ("revenue in | Paris, ...").
const std::unordered_set<std::string>& edge_stops() {
  static const std::unordered_set<std::string> s = {
      "in",      "for",      "of",       "on",       "from",   "to",    "between", "across",
      "into",    "the",      "our",      "my",       "a",      "an",    "each",    "all",
      "and",     "or",       "vs",       "versus",   "at",     "about", "among",   "last",
      "past",    "compared", "by",       "per",      "over",   "since", "during",  "show",
      "plot",    "draw",     "make",     "give",     "please", "i",     "we",      "want",
      "need",    "could",    "can",      "would",    "what",   "which", "how",     "is",
      "are",     "was",      "were",     "with",     "as",     "that",  "this",    "these",
      "it",      "so",       "then",     "me",       "us",     "their", "do",      "does",
      "did",     "chart",    "graph",    "against",  "like",   "see",   "thanks",  "within",
      "through", "than",     "every",    "together", "side",   "split", "broken",  "stacked",
      "there",   "where",    "when",     "while",    "who",    "you",   "your",    "has",
      "have",    "had",      "got",      "get",      "be",     "been",  "will",    "shows",
      "showing", "compare",  "comparing"};
  return s;
}

// Words that may not appear inside a list item at all (the comma ended a clause).
const std::unordered_set<std::string>& hard_stops() {
  static const std::unordered_set<std::string> s = {
      "show",   "plot",   "draw",    "make",  "give",   "please", "i",      "we",      "want",
      "need",   "could",  "can",     "would", "what",   "which",  "how",    "is",      "are",
      "was",    "were",   "with",    "as",    "that",   "this",   "it",     "so",      "then",
      "by",     "per",    "over",    "since", "during", "i'd",    "thanks", "hey",     "do",
      "does",   "did",    "there",   "where", "when",   "who",    "you",    "stacked", "split",
      "broken", "sorted", "showing", "shows"};
  return s;
}

bool is_edge_stop(const word& w) {
  if (w.original == "US") return false;  // the country, not the pronoun
  return w.punctuation() || w.number.has_value() || edge_stops().count(w.text) > 0;
}

bool is_conjunction(const std::string& t) {
  return t == "and" || t == "or" || t == "vs" || t == "versus" || t == "&";
}

std::string item_text(const std::vector<word>& words, std::size_t from, std::size_t to) {
  std::string out;
  for (std::size_t i = from; i < to; ++i) {
    if (!out.empty()) out += ' ';
    out += words[i].original;
  }
  return out;
}

bool is_year_word(const word& w) {
  return w.number && w.text.size() == 4 && *w.number >= 1900 && *w.number <= 2099;
}

// Reads backwards from `end` (exclusive) at most `max` words that are not edge stops.
std::size_t item_start(const std::vector<word>& words, std::size_t end, std::size_t max) {
  std::size_t start = end;
  while (start > 0 && end - start < max) {
    const word& w = words[start - 1];
    if (is_edge_stop(w) && !is_year_word(w)) break;
    --start;
  }
  return start;
}

// Reads forwards from `begin` at most `max` words that are not edge stops
// (leading articles skipped).
std::pair<std::size_t, std::size_t> item_forward(const std::vector<word>& words, std::size_t begin,
                                                 std::size_t max) {
  while (begin < words.size() &&
         (words[begin].text == "the" || words[begin].text == "our" || words[begin].text == "a"))
    ++begin;
  std::size_t end = begin;
  while (end < words.size() && end - begin < max) {
    const word& w = words[end];
    if (is_edge_stop(w) && !is_year_word(w)) break;
    ++end;
  }
  return {begin, end};
}

// A comma list starting at the comma at `comma`: "A, B, C and D" / "A, B, C".
std::optional<named_list> comma_list(const std::vector<word>& words, std::size_t comma) {
  std::size_t first_start = item_start(words, comma, 3);
  if (first_start == comma) return std::nullopt;
  named_list list;
  list.first_word = first_start;
  list.items.push_back(item_text(words, first_start, comma));
  std::size_t i = comma + 1;
  list.joiner = ",";
  while (i < words.size()) {
    // A middle item runs to the next comma or conjunction.
    std::size_t j = i;
    while (j < words.size() && words[j].text != "," && !is_conjunction(words[j].text)) {
      if (hard_stops().count(words[j].text) || (words[j].punctuation() && words[j].text != ","))
        break;
      ++j;
    }
    bool at_comma = j < words.size() && words[j].text == ",";
    bool at_conj = j < words.size() && is_conjunction(words[j].text);
    if ((at_comma || at_conj) && j > i && j - i <= 4) {
      list.items.push_back(item_text(words, i, j));
      if (at_conj) {
        list.joiner = words[j].text;
        auto [b, e] = item_forward(words, j + 1, 3);
        if (e == b) return std::nullopt;
        list.items.push_back(item_text(words, b, e));
        list.end_word = e;
        return list;
      }
      i = j + 1;
      if (i < words.size() && is_conjunction(words[i].text)) {  // "A, B, and C"
        list.joiner = words[i].text;
        auto [b, e] = item_forward(words, i + 1, 3);
        if (e == b) return std::nullopt;
        list.items.push_back(item_text(words, b, e));
        list.end_word = e;
        return list;
      }
      continue;
    }
    // The last item of a list without a conjunction ("A, B, C").
    auto [b, e] = item_forward(words, i, 3);
    if (e > b && (e == words.size() || is_edge_stop(words[e]))) {
      // Not a list when the item runs into more words of a clause.
      if (e < words.size() && hard_stops().count(words[e].text) == 0 && !words[e].punctuation() &&
          !words[e].number && e + 1 < words.size() && hard_stops().count(words[e + 1].text))
        return std::nullopt;
      list.items.push_back(item_text(words, b, e));
      list.end_word = e;
      if (list.items.size() >= 3) return list;
    }
    return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace

time_grain read_grain(const std::string& t) {
  if (has_any(t, {"hourly", "per hour", "by hour", "each hour", "every hour", "hour of the day",
                  "hour of day", "hours of a day", "hours of the day", "an hour", "time of day",
                  "hour by hour"}))
    return time_grain::hour;
  if (has_any(t, {"weekday", "day of week", "day of the week", "days of the week", "per weekday",
                  "by weekday"}))
    return time_grain::weekday;
  if (has_any(t, {"daily", "per day", "by day", "each day", "every day", "a day", "day by day",
                  "each of the last", "per date", "by date"}))
    return time_grain::day;
  if (has_any(t, {"weekly", "per week", "by week", "each week", "every week", "a week",
                  "week by week", "week over week"}))
    return time_grain::week;
  if (has_any(t, {"monthly", "per month", "by month", "each month", "every month", "a month",
                  "month by month", "month over month", "each month's", "every month in",
                  "months of", "monthy", "montly"}))
    return time_grain::month;
  if (has_any(t, {"quarterly", "per quarter", "by quarter", "each quarter", "every quarter",
                  "quarter by quarter", "quarter over quarter", "a quarter"}))
    return time_grain::quarter;
  if (has_any(t, {"yearly", "annually", "per year", "by year", "each year", "every year",
                  "year by year", "year over year", "a year", "over the years", "annual"}))
    return time_grain::year;
  return time_grain::none;
}

std::vector<named_list> read_lists(const std::vector<word>& words) {
  std::vector<named_list> out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (words[i].text != ",") continue;
    if (auto list = comma_list(words, i)) {
      if (list->items.size() >= 3 || list->joiner != ",") {
        // Skip past the words of this list.
        out.push_back(*list);
        i = std::max(i, list->end_word);
      }
    }
  }
  // Chains "A to B to C" (stages of a flow).
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (words[i].text != "to") continue;
    std::size_t s = item_start(words, i, 3);
    if (s == i) continue;
    named_list chain;
    chain.joiner = "to";
    chain.first_word = s;
    chain.items.push_back(item_text(words, s, i));
    std::size_t j = i;
    while (j < words.size() && words[j].text == "to") {
      std::size_t b = j + 1, e = b;
      while (e < words.size() && e - b < 3 && words[e].text != "to" && !is_edge_stop(words[e])) ++e;
      if (e == b) break;
      chain.items.push_back(item_text(words, b, e));
      j = e;
    }
    chain.end_word = j;
    if (chain.items.size() >= 3) {
      out.push_back(chain);
      i = j;
    }
  }
  // Pairs "A vs B" / "A against B" / "A and B".
  for (std::size_t i = 1; i + 1 < words.size(); ++i) {
    const std::string& t = words[i].text;
    // "compare A with B" pairs too.
    const bool compare_with = t == "with" && ((i >= 1 && words[i - 1].text == "compare") ||
                                              (i >= 2 && words[i - 2].text == "compare") ||
                                              (i >= 3 && words[i - 3].text == "compare"));
    if (t != "vs" && t != "versus" && t != "against" && t != "and" && t != "or" && t != "than" &&
        !compare_with)
      continue;
    bool inside = false;
    for (const auto& l : out)
      if (i >= l.first_word && i < l.end_word) inside = true;
    if (inside) continue;
    std::size_t s = item_start(words, i, 2);
    auto [b, e] = item_forward(words, i + 1, 2);
    if (s == i || e == b) continue;
    named_list pair;
    pair.joiner = t == "versus" || t == "against" || compare_with ? "vs" : t;
    pair.first_word = s;
    pair.items = {item_text(words, s, i), item_text(words, b, e)};
    pair.end_word = e;
    out.push_back(pair);
    // "A vs B vs C".
    std::size_t j = e;
    while (j + 1 < words.size() && (words[j].text == "vs" || words[j].text == "versus")) {
      auto [b2, e2] = item_forward(words, j + 1, 2);
      if (e2 == b2) break;
      out.back().items.push_back(item_text(words, b2, e2));
      j = e2;
      out.back().end_word = e2;
    }
    i = j;
  }
  std::stable_sort(out.begin(), out.end(), [](const named_list& a, const named_list& b) {
    return a.items.size() > b.items.size();
  });
  return out;
}

std::string read_category(const std::vector<word>& words) {
  for (std::size_t i = 0; i + 1 < words.size(); ++i) {
    const std::string& t = words[i].text;
    if (t != "by" && t != "per" && t != "each" && t != "across" && t != "every" && t != "between")
      continue;
    std::size_t j = i + 1;
    while (j < words.size() &&
           (words[j].text == "the" || words[j].text == "our" || words[j].text == "each" ||
            words[j].text == "of" || words[j].number))
      ++j;
    if (j >= words.size() || words[j].punctuation() || words[j].number) continue;
    static const std::unordered_set<std::string> not_nouns = {
        "last", "past", "previous", "next", "other", "one",   "time", "this",
        "that", "a",    "an",       "and",  "step",  "stage", "bar",  "dimension",
        "in",   "on",   "for",      "to",   "with",  "as"};
    if (not_nouns.count(words[j].text)) continue;
    if (unit_of(words[j].text) != time_grain::none || words[j].text == "weekday") continue;
    std::string noun = words[j].text;
    // "by sales channel", "per product line": keep the head noun.
    if (j + 1 < words.size() && !is_edge_stop(words[j + 1]) && !words[j + 1].punctuation())
      noun = words[j + 1].text;
    return noun;
  }
  return {};
}

}  // namespace aw::analytics
