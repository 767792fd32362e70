#include "analytics/request_parser.hpp"

#include <algorithm>
#include <cctype>
#include <unordered_set>

#include "analytics/chart_shapes.hpp"
#include "analytics/text.hpp"

namespace aw::analytics {
namespace {

using protocol::chart_type;

constexpr int kMaxLabels = 120;
constexpr int kMaxSeries = 8;

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

std::string tidy(std::string item) {
  // Names keep their case ("New York", "R&D"); lower-case words get a capital.
  if (!item.empty() && std::islower(static_cast<unsigned char>(item[0])))
    item[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(item[0])));
  return item;
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

std::string month_name(int m) {
  static const char* names[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  return names[(m - 1 + 120) % 12];
}

int days_in(int month, int year) {
  static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : d[month - 1];
}

// Periods of `grain` in one `unit` ("weeks" of days: 7).
int periods_per(time_grain unit, time_grain grain) {
  if (unit == grain) return 1;
  switch (unit) {
    case time_grain::year:
      return grain == time_grain::quarter ? 4
             : grain == time_grain::month ? 12
             : grain == time_grain::week  ? 52
             : grain == time_grain::day   ? 365
                                          : 0;
    case time_grain::quarter:
      return grain == time_grain::month  ? 3
             : grain == time_grain::week ? 13
             : grain == time_grain::day  ? 91
                                         : 0;
    case time_grain::month:
      return grain == time_grain::week ? 4 : grain == time_grain::day ? 30 : 0;
    case time_grain::week:
      return grain == time_grain::day ? 7 : grain == time_grain::hour ? 168 : 0;
    case time_grain::day:
      return grain == time_grain::hour ? 24 : 0;
    default:
      return 0;
  }
}

// The finer grain a span of one unit is drawn at ("last month" -> days).
time_grain finer(time_grain unit) {
  switch (unit) {
    case time_grain::year:
      return time_grain::month;
    case time_grain::quarter:
      return time_grain::month;
    case time_grain::month:
      return time_grain::day;
    case time_grain::week:
      return time_grain::day;
    case time_grain::day:
      return time_grain::hour;
    default:
      return unit;
  }
}

int default_count(time_grain g) {
  switch (g) {
    case time_grain::hour:
      return 24;
    case time_grain::weekday:
      return 7;
    case time_grain::day:
      return 30;
    case time_grain::week:
      return 12;
    case time_grain::month:
      return 12;
    case time_grain::quarter:
      return 4;
    case time_grain::year:
      return 6;
    case time_grain::none:
      break;
  }
  return 0;
}

std::string noun_label(std::string noun) {
  if (noun.size() > 3 && noun.compare(noun.size() - 3, 3, "ies") == 0)
    noun = noun.substr(0, noun.size() - 3) + "y";
  else if (noun.size() > 3 && noun.back() == 's' && noun[noun.size() - 2] != 's')
    noun.pop_back();
  return capitalize(noun);
}

bool quality_noun(const std::string& noun) {
  return noun == "dimensions" || noun == "axes" || noun == "criteria" || noun == "qualities";
}

}  // namespace

std::vector<std::string> time_labels(time_grain grain, int count, int last_year) {
  std::vector<std::string> out;
  count = std::clamp(count, 1, kMaxLabels);
  switch (grain) {
    case time_grain::hour:
      for (int i = 0; i < count; ++i) {
        int h = i % 24;
        out.push_back((h < 10 ? "0" : "") + std::to_string(h) + ":00");
      }
      if (count > 24)  // several days of hours: day prefix keeps labels unique
        for (int i = 0; i < count; ++i) out[i] = "D" + std::to_string(i / 24 + 1) + " " + out[i];
      break;
    case time_grain::weekday: {
      static const char* days[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
      for (int i = 0; i < count; ++i)
        out.push_back(count > 7 ? std::string(days[i % 7]) + " W" + std::to_string(i / 7 + 1)
                                : days[i % 7]);
      break;
    }
    case time_grain::day: {
      int month = 12, day = 31, year = last_year;
      for (int i = 0; i < count; ++i) {
        out.push_back(month_name(month) + " " + std::to_string(day));
        if (--day == 0) {
          if (--month == 0) {
            month = 12;
            --year;
          }
          day = days_in(month, year);
        }
      }
      std::reverse(out.begin(), out.end());
      break;
    }
    case time_grain::week:
      for (int i = 0; i < count; ++i) out.push_back("W" + std::to_string(i + 1));
      break;
    case time_grain::month: {
      int first = 12 - (count - 1) % 12;  // ends in December of last_year
      int year = last_year - (count - 1) / 12;
      if (first > 12) first -= 12;
      for (int i = 0, m = first; i < count; ++i) {
        out.push_back(count > 12 ? month_name(m) + " " + std::to_string(year) : month_name(m));
        if (++m > 12) {
          m = 1;
          ++year;
        }
      }
      break;
    }
    case time_grain::quarter: {
      int year = last_year - (count - 1) / 4;
      int q = 4 - (count - 1) % 4;
      for (int i = 0; i < count; ++i) {
        out.push_back(count > 4 ? "Q" + std::to_string(q) + " " + std::to_string(year)
                                : "Q" + std::to_string(q));
        if (++q > 4) {
          q = 1;
          ++year;
        }
      }
      break;
    }
    case time_grain::year:
      for (int y = last_year - count + 1; y <= last_year; ++y) out.push_back(std::to_string(y));
      break;
    case time_grain::none:
      break;
  }
  return out;
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

  // --- series ---
  if (r.what == intent::combo) {
    // Bars: "X as bars|columns" or "X bars"; line: "Y as a line" or "Y line".
    std::string bar, line;
    const auto& w = r.words;
    for (std::size_t i = 0; i < w.size(); ++i) {
      auto back_phrase = [&](std::size_t end) {
        std::size_t s = end;
        while (s > 0 && end - s < 3) {
          const std::string& t = w[s - 1].text;
          if (w[s - 1].punctuation() || t == "with" || t == "and" || t == "plus" || t == "the" ||
              t == "a" || t == "of" || t == "by" || t == "show" || t == "monthly" ||
              t == "weekly" || t == "daily" || t == "yearly" || t == "quarterly" || t == "our")
            break;
          --s;
        }
        std::string out;
        for (std::size_t k = s; k < end; ++k) out += (out.empty() ? "" : " ") + w[k].original;
        return out;
      };
      const std::string& t = w[i].text;
      if ((t == "bars" || t == "columns" || t == "bar" || t == "column") && bar.empty()) {
        std::size_t end = i;
        if (i > 0 && w[i - 1].text == "as") end = i - 1;
        bar = back_phrase(end);
      }
      if (t == "line" && line.empty()) {
        std::size_t end = i;
        if (i > 1 && w[i - 1].text == "a" && w[i - 2].text == "as")
          end = i - 2;
        else if (i > 0 && w[i - 1].text == "as")
          end = i - 1;
        line = back_phrase(end);
      }
    }
    if (bar.empty() && !line.empty())  // "monthly orders with X as a line": the bars come first
      for (std::size_t i = 0; i < w.size(); ++i)
        if (w[i].text == "with" || w[i].text == "plus" || w[i].text == "and") {
          std::size_t s = i;
          while (s > 0 && i - s < 3 && !w[s - 1].punctuation() &&
                 unit_of(w[s - 1].text) == time_grain::none && w[s - 1].text != "of" &&
                 w[s - 1].text != "the" && w[s - 1].text != "show" && w[s - 1].text != "monthly" &&
                 w[s - 1].text != "weekly" && w[s - 1].text != "daily" && w[s - 1].text != "by" &&
                 w[s - 1].text != "per" && w[s - 1].text != "yearly" &&
                 w[s - 1].text != "quarterly")
            --s;
          for (std::size_t k = s; k < i; ++k) bar += (bar.empty() ? "" : " ") + w[k].original;
          break;
        }
    if (!bar.empty() && !line.empty())
      r.series = {tidy(bar), tidy(line)};
    else if (list_items.size() == 2)
      r.series = list_items;
  } else if (r.what == intent::relationship) {
    for (const auto& l : r.lists)
      if (l.items.size() == 2 && l.joiner != "to" && l.joiner != ",") {
        r.measures = {tidy(l.items[0]), tidy(l.items[1])};
        break;
      }
    // Points: "for 40 hotels", "for 60 days".
    if (n.count > 0)
      r.points = n.count;
    else if (n.span > 0 && n.span_unit == time_grain::day)
      r.points = n.span;
  } else if (r.what == intent::ohlc) {
    if (n.trading_days > 0)
      r.points = n.trading_days;
    else if (n.span > 0)
      r.points = n.span * std::max(1, periods_per(n.span_unit, time_grain::day));
  } else if (r.what == intent::profile) {
    if (!list_items.empty()) r.labels = list_items;
    if (n.count >= 2 && !quality_noun(n.count_noun))
      for (int i = 0; i < std::min(n.count, kMaxSeries); ++i)
        r.series.push_back(noun_label(n.count_noun) + " " + static_cast<char>('A' + i));
  } else if (r.what == intent::funnel || r.what == intent::bridge || r.what == intent::share ||
             r.what == intent::pareto) {
    if (!list_items.empty()) r.labels = list_items;
  } else if (r.what == intent::distribution) {
    if (!list_items.empty())
      r.labels = list_items;
    else if (n.count > 0)
      r.points = n.count;
  } else {
    if (!year_series.empty() && other_axis) {
      r.series = year_series;
    } else if (has_word(r.text, "this year") && has_word(r.text, "last year")) {
      r.series = {"Last year", "This year"};
    } else if (!list_items.empty()) {
      const bool time_axis = r.grain != time_grain::none || time_span;
      if (time_axis || r.what == intent::composition ||
          (list_is_pair_of_measures && (!r.category.empty() || n.count > 0)))
        r.series = list_items;
      else
        r.labels = list_items;
    } else if (r.what == intent::trend && !r.category.empty() && n.count == 0 && n.top_n == 0) {
      // "revenue per product over time": one line per product.
      for (int i = 0; i < 3; ++i)
        r.series.push_back(noun_label(r.category) + " " + static_cast<char>('A' + i));
    } else if (n.count >= 2 && n.count <= kMaxSeries && r.grain != time_grain::none &&
               r.category.empty() && unit_of(n.count_noun) == time_grain::none) {
      // "our three brands over time": one series each.
      for (int i = 0; i < n.count; ++i)
        r.series.push_back(noun_label(n.count_noun) + " " + static_cast<char>('A' + i));
    }
  }
  if (r.series.size() > static_cast<std::size_t>(kMaxSeries)) r.series.resize(kMaxSeries);
  // Two measures compared over many things are a relationship ("for 40 hotels").
  if (r.what == intent::comparison && list_is_pair_of_measures && n.count > 12 &&
      r.grain == time_grain::none) {
    r.what = intent::relationship;
    r.reason = intent_reason(r.what);
    r.measures = r.series;
    r.series.clear();
    r.points = n.count;
  }

  // --- the type ---
  const bool several = r.series.size() >= 2;
  const bool time_axis = r.grain != time_grain::none;
  r.named = named_chart(r.text, several);
  if (r.named) {
    r.type = *r.named;
    if (r.type == chart_type::combo_bar_line && r.what != intent::combo) r.what = intent::combo;
  } else {
    switch (r.what) {
      case intent::ohlc:
        r.type = chart_type::candlestick_chart;
        break;
      case intent::pareto:
        r.type = chart_type::pareto_chart;
        break;
      case intent::bridge:
        r.type = chart_type::waterfall_chart;
        break;
      case intent::funnel:
        r.type = chart_type::funnel_chart;
        break;
      case intent::matrix:
        r.type = chart_type::heatmap;
        break;
      case intent::profile:
        r.type = chart_type::radar_chart;
        break;
      case intent::steps:
        r.type = chart_type::step_chart;
        break;
      case intent::combo:
        r.type = chart_type::combo_bar_line;
        break;
      case intent::relationship:
        r.type = asks_for_size(r.text) ? chart_type::bubble_chart : chart_type::scatter_plot;
        break;
      case intent::distribution: {
        const bool binned =
            has_any(r.text, {"bracket", "brackets", "bucket", "buckets", "bins", "band", "bands"});
        const bool grouped =
            (!r.category.empty() && !binned) || !r.labels.empty() || n.count > 1 ||
            has_any(r.text, {"quartile", "quartiles", "outlier", "outliers", "median", "medians",
                             "ranges", "between", "vary", "whisker"});
        r.type = has_any(r.text, {"density"}) ? chart_type::violin_plot
                 : grouped                    ? chart_type::box_plot
                                              : chart_type::histogram;
        break;
      }
      case intent::share:
        r.type = chart_type::pie_chart;
        break;
      case intent::composition:
        r.type = has_any(r.text, {"over time", "evolved", "changed", "trend"})
                     ? chart_type::area_chart_stacked
                     : chart_type::bar_chart_stacked;
        break;
      case intent::trend:
        r.type = several ? chart_type::line_chart_multi : chart_type::line_chart;
        break;
      case intent::comparison:
        // Several series over a few quarters or years read best as grouped bars.
        r.type = several
                     ? (time_axis && r.grain != time_grain::quarter && r.grain != time_grain::year
                            ? chart_type::line_chart_multi
                            : chart_type::bar_chart_grouped)
                 : time_axis ? chart_type::line_chart
                             : chart_type::bar_chart_vertical;
        break;
      case intent::ranking:
        r.type = chart_type::bar_chart_horizontal;
        break;
      case intent::none:
        if (several)
          r.type = time_axis && r.grain != time_grain::weekday ? chart_type::line_chart_multi
                                                               : chart_type::bar_chart_grouped;
        else if (r.grain == time_grain::weekday)
          r.type = chart_type::bar_chart_vertical;
        else if (time_axis && r.grain != time_grain::quarter && r.grain != time_grain::year)
          r.type = chart_type::line_chart;
        else if (has_any(r.text, {"country", "countries"}))
          r.type = chart_type::bar_chart_horizontal;
        else
          r.type = chart_type::bar_chart_vertical;
        break;
    }
  }

  // A type with a shape of its own takes its size from the numbers, not labels or series.
  const int span_days = n.trading_days > 0 ? n.trading_days
                        : n.span > 0
                            ? n.span * std::max(1, periods_per(n.span_unit, time_grain::day))
                            : 0;
  switch (shape_of(r.type)) {
    case data_shape::candles:
      r.points = span_days;
      r.labels.clear();
      r.series.clear();
      break;
    case data_shape::points:
      if (r.points == 0) r.points = n.count > 0 ? n.count : span_days;
      r.labels.clear();
      r.series.clear();
      break;
    case data_shape::matrix:
      r.labels.clear();
      r.series.clear();
      break;
    default:
      break;
  }

  // --- labels of the x axis ---
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
  return r;
}

}  // namespace aw::analytics
