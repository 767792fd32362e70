#include <algorithm>

#include "analytics/request_decisions.hpp"
#include "analytics/text.hpp"
#include "analytics/time_axis.hpp"

namespace aw::analytics {
namespace {

bool quality_noun(const std::string& noun) {
  return noun == "dimensions" || noun == "axes" || noun == "criteria" || noun == "qualities";
}

}  // namespace

void decide_series(parsed_request& r, const request_reading& read) {
  const request_numbers& n = r.numbers;
  const auto& list_items = read.list_items;
  const bool list_is_pair_of_measures = read.list_is_pair_of_measures;
  const bool time_span = read.time_span;
  const auto& year_series = read.year_series;
  const bool other_axis = read.other_axis;
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
}

}  // namespace aw::analytics
