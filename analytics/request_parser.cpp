#include "analytics/request_parser.hpp"

#include <algorithm>
#include <cctype>
#include <unordered_set>

#include "analytics/request_decisions.hpp"
#include "analytics/text.hpp"
#include "analytics/time_axis.hpp"

namespace aw::analytics {
namespace {

using protocol::chart_type;

// Words that make the two sides of "A and B" two measures or two segments.
const std::unordered_set<std::string>& pair_words() {
  static const std::unordered_set<std::string> s = {
      "revenue",   "revenues",    "sales",    "profit",      "profits",     "cost",
      "costs",     "income",      "expenses", "expense",     "spend",       "budget",
      "budgeted",  "margin",      "orders",   "visits",      "sessions",    "signups",
      "users",     "clicks",      "leads",    "conversions", "impressions", "imports",
      "exports",   "demand",      "rating",   "rainfall",    "headcount",   "hires",
      "units",     "returns",     "tickets",  "downloads",   "traffic",     "planned",
      "plan",      "actual",      "target",   "achieved",    "forecast",    "estimated",
      "real",      "opened",      "closed",   "new",         "returning",   "men",
      "women",     "male",        "female",   "mobile",      "desktop",     "web",
      "app",       "online",      "offline",  "passing",     "failing",     "rate",
      "inflows",   "outflows",    "buyers",   "sellers",     "wins",        "losses",
      "deposits",  "withdrawals", "arrivals", "departures",  "hours",       "effort",
      "calls",     "emails",      "installs", "uninstalls",  "churn",       "acquisition",
      "retention", "price",       "volume"};
  return s;
}

bool capitalized(const std::string& item) {
  return !item.empty() && std::isupper(static_cast<unsigned char>(item[0]));
}

bool is_year_text(const std::string& s) {
  return s.size() == 4 && std::all_of(s.begin(), s.end(), ::isdigit);
}

bool dimension_item(const std::string& item) {
  if (item.find(' ') != std::string::npos) return false;  // "actual hours" is a measure
  std::string w = to_lower(item);
  return unit_of(w) != time_grain::none || w == "weekday" || w == "weekdays" ||
         (w.size() == 2 && w[0] == 'q' && w[1] >= '1' && w[1] <= '4');
}

bool has_pair_word(const std::string& item) {
  std::string lower = to_lower(item);
  std::size_t start = 0;
  while (start <= lower.size()) {
    std::size_t end = lower.find(' ', start);
    if (end == std::string::npos) end = lower.size();
    if (pair_words().count(lower.substr(start, end - start))) return true;
    start = end + 1;
  }
  return false;
}

// A pair "A and B" counts only when both sides are measures/segments or names.
bool good_list(const named_list& l, const parsed_request& r) {
  for (const auto& item : l.items)
    if (is_year_text(item) || dimension_item(item)) return false;
  if (l.items.size() >= 3) return true;
  if (l.joiner == "vs") return true;
  if (l.joiner == "and" || l.joiner == "or") {
    bool measures = has_pair_word(l.items[0]) && has_pair_word(l.items[1]);
    bool names = capitalized(l.items[0]) && capitalized(l.items[1]) && l.first_word > 0;
    // "compare A and B over time": two single-word things compared.
    bool compared = has_any(r.text, {"compare", "compared", "comparing"}) &&
                    l.items[0].find(' ') == std::string::npos &&
                    l.items[1].find(' ') == std::string::npos;
    // "split between hardware and software".
    bool between = l.first_word > 0 && r.words[l.first_word - 1].text == "between";
    return measures || names || compared || between;
  }
  return l.joiner == "to";
}

}  // namespace

std::string tidy(std::string item) {
  if (!item.empty() && std::islower(static_cast<unsigned char>(item[0])))
    item[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(item[0])));
  return item;
}

std::string noun_label(std::string noun) {
  if (noun.size() > 3 && noun.compare(noun.size() - 3, 3, "ies") == 0)
    noun = noun.substr(0, noun.size() - 3) + "y";
  else if (noun.size() > 3 && noun.back() == 's' && noun[noun.size() - 2] != 's')
    noun.pop_back();
  return capitalize(noun);
}

parsed_request parse_request(std::string_view content) {
  parsed_request r;
  r.words = split_request(content);
  r.text = joined(r.words);
  r.numbers = read_numbers(r.words);
  r.grain = read_grain(r.text);
  r.lists = read_lists(r.words);
  r.category = read_category(r.words);
  const request_numbers& n = r.numbers;

  // The grain implied by a span or a range when none is named.
  if (r.grain == time_grain::none) {
    if (n.year_from > 0)
      r.grain = time_grain::year;
    else if (n.since_month > 0)
      r.grain = time_grain::month;
    else if (n.span > 0)
      // A short span is drawn at a finer grain: "past two weeks" by day, "last 2 years" by month.
      r.grain = n.span == 1 || (n.span_unit == time_grain::week && n.span <= 4) ||
                        (n.span_unit == time_grain::year && n.span <= 2) ||
                        (n.span_unit == time_grain::day && n.span <= 2)
                    ? finer(n.span_unit)
                    : n.span_unit;
    else if (n.quarters.size() >= 2)
      r.grain = time_grain::quarter;
    else if (has_any(r.text, {"yesterday", "today"}))
      r.grain = time_grain::hour;
  }
  bool time_span = n.span > 0 || n.year_from > 0 || n.since_month > 0;

  // Lists that name things (not years, not time units).
  std::vector<std::string> list_items;
  bool list_is_pair_of_measures = false;
  for (const auto& l : r.lists) {
    if (!good_list(l, r)) continue;
    for (const auto& item : l.items) list_items.push_back(tidy(item));
    list_is_pair_of_measures = l.items.size() == 2;
    break;
  }
  if (list_items.size() > static_cast<std::size_t>(kMaxLabels)) list_items.resize(kMaxLabels);

  // "last year", "this month" next to named things or a breakdown is a filter, not an axis.
  bool time_filter = false;
  const bool ranking_words =
      n.top_n > 0 || has_any(r.text, {"rank", "ranked", "ranking", "leaderboard", "top"});
  if (read_grain(r.text) == time_grain::none &&
      ((n.span == 1 && n.year_from == 0 &&
        (n.top_n > 0 || !r.category.empty() || !list_items.empty())) ||
       (ranking_words && n.years.size() < 2))) {
    r.grain = time_grain::none;
    time_span = false;
    time_filter = true;
  }
  // Years named one by one and nothing else to spread over: they are the axis.
  if (r.grain == time_grain::none && n.years.size() >= 2 && n.year_from == 0 &&
      r.category.empty() && list_items.empty())
    r.grain = time_grain::year;

  intent_facts facts{r.text, r.words, r.lists, r.grain, time_span, r.category};
  r.what = read_intent(facts);
  if (time_filter && r.what == intent::trend)
    r.what = ranking_words ? intent::ranking : intent::none;
  r.reason = intent_reason(r.what);

  // Several years named one by one: series when something else is the axis.
  std::vector<std::string> year_series;
  const bool year_range = n.year_from > 0;
  if (n.years.size() >= 2 && !year_range && r.what != intent::bridge) {
    for (int y : n.years) year_series.push_back(std::to_string(y));
  }
  const bool other_axis = !r.category.empty() ||
                          (r.grain != time_grain::none && r.grain != time_grain::year) ||
                          !list_items.empty();

  const request_reading read{std::move(list_items), list_is_pair_of_measures, time_span,
                             std::move(year_series), other_axis};
  decide_series(r, read);
  decide_type(r);
  decide_labels(r, read);
  return r;
}

}  // namespace aw::analytics
