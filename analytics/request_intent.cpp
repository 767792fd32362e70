#include "analytics/request_intent.hpp"

#include <algorithm>
#include <unordered_set>

#include "analytics/text.hpp"

namespace aw::analytics {
namespace {

using protocol::chart_type;

bool dimension_word(std::string w) {
  static const std::unordered_set<std::string> dims = {
      "hour",    "day",       "weekday",   "week",    "month",      "quarter",  "year",
      "region",  "product",   "store",     "city",    "country",    "module",   "release",
      "service", "student",   "channel",   "team",    "department", "category", "segment",
      "shop",    "site",      "warehouse", "carrier", "agent",      "office",   "branch",
      "cities",  "countries", "categories"};
  if (dims.count(w)) return true;
  if (w.size() > 3 && w.back() == 's') w.pop_back();
  return dims.count(w) > 0;
}

std::string singular(std::string w) {
  if (w == "cities") return "city";
  if (w == "countries") return "country";
  if (w == "categories") return "category";
  if (w.size() > 3 && w.back() == 's') w.pop_back();
  return w;
}

// Two different dimensions joined by "and", "against", "per", "by", "x" within a few words.
// "hour and day", "per module per release", "day of the week against hour".
bool two_dimensions(const std::vector<word>& words) {
  for (std::size_t i = 0; i + 2 < words.size(); ++i) {
    if (!dimension_word(words[i].text)) continue;
    if (i > 0 && words[i - 1].number) continue;  // "2 years by quarter" is a span
    const std::string& joiner = words[i + 1].text;
    if (joiner != "and" && joiner != "against" && joiner != "per" && joiner != "by" &&
        joiner != "x" && joiner != "vs")
      continue;
    std::size_t j = i + 2;
    while (j < words.size() && j < i + 4 &&
           (words[j].text == "the" || words[j].text == "each" || words[j].text == "per" ||
            words[j].text == "by" || words[j].text == "every"))
      ++j;
    if (j < words.size() && dimension_word(words[j].text) &&
        singular(words[j].text) != singular(words[i].text))
      return true;
  }
  return false;
}

bool time_words(const std::string& t) {
  return has_any(t, {"trend",         "over time",     "evolve",         "evolved",
                     "evolution",     "develop",       "developed",      "grown",
                     "growing",       "gone up",       "gone down",      "changed",
                     "moved",         "history",       "trajectory",     "timeline",
                     "progress",      "up or down",    "doing over",     "since",
                     "over the last", "over the past", "over the years", "trended",
                     "rising",        "falling",       "declining",      "month over month",
                     "year over year"});
}

}  // namespace

std::string intent_reason(intent i) {
  switch (i) {
    case intent::share:
      return "share of a whole";
    case intent::composition:
      return "how each period or category is made up of parts";
    case intent::trend:
      return "a change over time";
    case intent::comparison:
      return "a comparison of several series";
    case intent::ranking:
      return "a ranking of categories";
    case intent::distribution:
      return "how values are distributed";
    case intent::relationship:
      return "a relationship between two measures";
    case intent::pareto:
      return "which few categories make up most of the total";
    case intent::bridge:
      return "how changes add up from one total to another";
    case intent::funnel:
      return "how many make it through each stage";
    case intent::ohlc:
      return "price movements with open, high, low and close";
    case intent::matrix:
      return "values across two dimensions at once";
    case intent::profile:
      return "a profile across several dimensions";
    case intent::steps:
      return "values that change only at certain points";
    case intent::combo:
      return "two measures on two axes, bars and a line";
    case intent::none:
      break;
  }
  return "values across categories";
}

bool asks_for_size(const std::string& t) {
  return has_any(t, {"sized by", "size by", "size =", "size the", "bubble size", "bubbles sized",
                     "size showing", "dot size", "with size", "sizes by", "size of the bubble",
                     "size of each bubble", "bubbles", "third measure", "as size", "size is"});
}

std::optional<chart_type> named_chart(const std::string& t, bool several) {
  // The protocol's own names first, spaced or not ("line chart multi"); the longest wins
  // ("area chart stacked" over "area chart").
  std::optional<chart_type> exact;
  std::size_t exact_length = 0;
  for (chart_type type : protocol::all_chart_types()) {
    std::string spaced(protocol::to_string(type));
    for (char& c : spaced)
      if (c == '_') c = ' ';
    if (spaced.size() > exact_length && std::count(spaced.begin(), spaced.end(), ' ') >= 2 &&
        (has_word(t, spaced) || has_word(t, protocol::to_string(type)))) {
      exact = type;
      exact_length = spaced.size();
    }
  }
  if (exact) return exact;
  if (has_any(t, {"candlestick", "candles", "candle chart", "ohlc"}))
    return chart_type::candlestick_chart;
  if (has_any(t, {"heatmap", "heat map", "heat-map"})) return chart_type::heatmap;
  if (has_any(t, {"histogram", "histgram"})) return chart_type::histogram;
  if (has_any(t, {"violin"})) return chart_type::violin_plot;
  if (has_any(t, {"box plot", "boxplot", "box and whisker", "box-and-whisker", "whisker"}))
    return chart_type::box_plot;
  if (has_any(t, {"bubble chart", "bubble plot", "bubble"})) return chart_type::bubble_chart;
  if (has_any(t, {"scatter"})) return chart_type::scatter_plot;
  if (has_any(t, {"radar", "spider"})) return chart_type::radar_chart;
  if (has_any(t, {"waterfall"})) return chart_type::waterfall_chart;
  if (has_any(t, {"funnel"})) return chart_type::funnel_chart;
  if (has_any(t, {"pareto"})) return chart_type::pareto_chart;
  if (has_any(t, {"donut", "doughnut", "ring chart", "as a ring"})) return chart_type::donut_chart;
  if (has_any(t, {"pie"}) && !has_any(t, {"slice of the pie"})) return chart_type::pie_chart;
  if (has_any(t, {"combo", "dual axis", "dual-axis", "two axes", "2 axes", "secondary axis",
                  "bar and line", "bars and a line", "line and bar", "column and line"}))
    return chart_type::combo_bar_line;
  const bool bars = has_any(t, {"bar", "bars", "column", "columns"}) && !has_any(t, {"each bar"});
  const bool line = has_any(t, {"as a line", "line chart", "line graph", "line plot", "lines",
                                "multi-line", "multi line", "line"}) &&
                    !has_any(t, {"product line", "product lines", "cumulative line",
                                 "cumulative percentage line", "timeline", "deadline"});
  if (bars && line) return chart_type::combo_bar_line;
  if (has_any(t, {"as a line"}) && has_word(t, "with")) return chart_type::combo_bar_line;
  if (has_any(t, {"stacked area", "as layers", "layered", "layers"}))
    return chart_type::area_chart_stacked;
  if (has_any(t, {"stacked"}))
    return has_word(t, "area") ? chart_type::area_chart_stacked : chart_type::bar_chart_stacked;
  if (has_any(t, {"grouped", "clustered", "side by side", "side-by-side"}))
    return chart_type::bar_chart_grouped;
  if (has_any(t, {"step chart", "stepped", "as steps", "step line", "step plot"}))
    return chart_type::step_chart;
  if (has_any(t, {"area chart", "area graph", "filled area", "as an area", "an area"}))
    return several ? chart_type::area_chart_stacked : chart_type::area_chart;
  if (has_any(t, {"horizontal"})) return chart_type::bar_chart_horizontal;
  if (has_any(t, {"multi-line", "multi line", "multiple lines", "several lines"}))
    return chart_type::line_chart_multi;
  if (line) return several ? chart_type::line_chart_multi : chart_type::line_chart;
  if (has_any(t, {"vertical"})) return chart_type::bar_chart_vertical;
  if (bars) return several ? chart_type::bar_chart_grouped : chart_type::bar_chart_vertical;
  return std::nullopt;
}

intent read_intent(const intent_facts& f) {
  const std::string& t = f.text;
  // Prices with open/high/low/close.
  const bool four_prices =
      has_word(t, "open") && has_word(t, "high") && has_word(t, "low") && has_word(t, "close");
  const bool several_named =
      !f.lists.empty() && (f.lists.front().items.size() >= 3 || f.lists.front().joiner != ",");
  if (four_prices ||
      has_any(t, {"opening and closing", "highs and lows", "trading range", "price action",
                  "trading days", "trading day"}) ||
      (has_any(t, {"stock", "share price", "bitcoin", "btc", "ether", "eth", "crypto", "s&p", "dax",
                   "nasdaq", "eur/usd", "forex", "gold"}) &&
       !has_any(t, {"stock of", "in stock", "stock level", "stock levels", "compare"}) &&
       !several_named))
    return intent::ohlc;
  if (has_any(t, {"80/20", "80-20", "pareto", "vital few", "cumulative share", "cumulative percent",
                  "cumulative percentage", "cumulative %", "cumulative line", "running total",
                  "running share", "cumulative total"}) ||
      (has_any(t, {"few", "handful", "small number"}) &&
       has_any(t, {"most", "majority", "bulk", "biggest part"})) ||
      (has_any(t, {"add up", "adds up", "add up to"}) &&
       has_any(t, {"most", "causes", "reasons", "categories", "sorted"})))
    return intent::pareto;
  if (has_any(t, {"bridge",
                  "waterfall",
                  "walk from",
                  "walked",
                  "get from",
                  "path from",
                  "step by step",
                  "drove the change",
                  "drivers of the change",
                  "explain the change",
                  "added to and",
                  "took away",
                  "increases and decreases",
                  "inflows and outflows",
                  "cumulative change",
                  "adds up to the total",
                  "add up to the total",
                  "from start to end",
                  "opening balance",
                  "item by item",
                  "what drove",
                  "what moved",
                  "walk",
                  "went from",
                  "how we went",
                  "from opening",
                  "to closing",
                  "closing balance"}))
    return intent::bridge;
  bool chain = false;
  for (const auto& l : f.lists) chain = chain || l.joiner == "to";
  if (chain || has_any(t, {"funnel",
                           "drop off",
                           "drop-off",
                           "drop out",
                           "dropoff",
                           "abandon",
                           "make it from",
                           "make it through",
                           "turn into",
                           "stages",
                           "pipeline",
                           "conversion from",
                           "where do we lose",
                           "lose applicants",
                           "each step",
                           "at each step",
                           "steps of",
                           "step of",
                           "onboarding step",
                           "completion by step",
                           "admission process",
                           "signup flow",
                           "checkout flow",
                           "drop at",
                           "each stage",
                           "every stage",
                           "per stage"}))
    return intent::funnel;
  if (has_any(t, {"heatmap", "matrix", "colored table", "coloured table", "combinations",
                  "intensity", "grid of", "colour grid", "color grid", "grid"}) ||
      two_dimensions(f.words))
    return intent::matrix;
  // A profile: "radar", "profile", or several qualities of one or a few things.
  bool quality_list = false;
  for (const auto& l : f.lists)
    if (l.items.size() >= 3 && l.first_word > 0 &&
        (f.words[l.first_word - 1].text == "on" || f.words[l.first_word - 1].text == "across" ||
         f.words[l.first_word - 1].text == ":"))
      quality_list = true;
  if (has_any(t, {"radar", "spider", "profile", "skills", "attributes", "strengths", "perception",
                  "each dimension", "dimensions"}) ||
      (quality_list && f.grain == time_grain::none &&
       has_any(t, {"compare", "rate", "score", "strong", "each", "two", "three", "2", "3", "4"})))
    return intent::profile;
  if (has_any(t, {"only change", "only changes", "changes only", "only moves", "only move", "jumps",
                  "jump at", "changed twice", "changed once", "only changed", "as steps", "stepped",
                  "step chart", "tiers", "thresholds"}) ||
      (has_word(t, "changed") && has_word(t, "times")))
    return intent::steps;
  if (has_any(t, {"as a line", "bars plus", "bars and", "columns and", "as bars", "as columns",
                  "dual axis", "two axes", "2 axes", "combo"}) &&
      named_chart(t, false) == chart_type::combo_bar_line)
    return intent::combo;
  if (named_chart(t, false) == chart_type::combo_bar_line) return intent::combo;
  if (has_any(t, {"distribution", "distributed", "spread",   "histogram",    "frequency",
                  "how often",    "bracket",     "brackets", "bucket",       "buckets",
                  "bins",         "outlier",     "outliers", "quartile",     "quartiles",
                  "median",       "medians",     "ranges",   "vary",         "variation",
                  "variance",     "dispersion",  "density",  "take forever", "consistent",
                  "consistency",  "variability"}))
    return intent::distribution;
  if (has_any(t, {"correlation",
                  "correlate",
                  "correlated",
                  "relationship",
                  "related",
                  "relate",
                  "link between",
                  "linked",
                  "depend on",
                  "depends on",
                  "affect",
                  "affects",
                  "impact of",
                  "drive",
                  "drives",
                  "lead to",
                  "leads to",
                  "scatter",
                  "connection between",
                  "connected",
                  "association",
                  "associated with"}) ||
      asks_for_size(t))
    return intent::relationship;
  // Two comparatives: "are heavier parcels more expensive", "do bigger discounts sell more".
  int comparatives = 0;
  for (const auto& w : f.words)
    if (w.text == "more" || w.text == "less" || w.text == "higher" || w.text == "lower" ||
        w.text == "bigger" || w.text == "smaller" || w.text == "longer" || w.text == "shorter" ||
        w.text == "heavier" || w.text == "lighter" || w.text == "faster" || w.text == "slower" ||
        w.text == "larger" || w.text == "cheaper" || w.text == "older" || w.text == "younger")
      ++comparatives;
  if (comparatives >= 2) return intent::relationship;
  const bool share_words =
      (has_any(t, {"share", "shares"}) && !has_any(t, {"share price", "share prices"})) ||
      has_any(
          t, {"proportion", "percent of", "percentage",  "% of",        "fraction", "portion",
              "breakdown",  "break down", "broken down", "composition", "split of", "split between",
              "the split",  "split by",   "divided",     "slice",       "makeup",   "made up",
              "make up",    "makes up",   "account for", "mix",         "part of",  "percent"});
  const bool periodic = f.grain == time_grain::day || f.grain == time_grain::week ||
                        f.grain == time_grain::month || f.grain == time_grain::quarter ||
                        f.grain == time_grain::year;
  std::size_t by_count = 0;
  for (const auto& w : f.words) by_count += w.text == "by" ? 1 : 0;
  if ((by_count >= 2 && has_any(t, {"broken down by", "split by", "broken out by"})) ||
      has_any(t, {"each bar split", "split into", "stacked by", "broken down by type",
                  "broken into", "each bar", "each column"}) ||
      (share_words && periodic))
    return intent::composition;
  if (share_words) return intent::share;
  // Two measures against each other with nothing to break them down by.
  for (const auto& l : f.lists)
    if (l.joiner == "vs" && l.items.size() == 2 && f.grain == time_grain::none &&
        f.category.empty() && !f.time_span && !has_any(t, {"compare", "for each", "per", "by"}))
      return intent::relationship;
  if (time_words(t) && f.grain != time_grain::weekday) return intent::trend;
  // Growth along a time axis ("quarterly revenue growth").
  if (f.grain != time_grain::none && f.grain != time_grain::weekday &&
      has_any(t, {"growth", "grew", "increase", "decrease", "decline", "change", "improvement"}))
    return intent::trend;
  if (has_any(t, {"compare", "comparison", "compared", "vs", "versus", "against"}))
    return intent::comparison;
  if (f.grain == time_grain::none &&
      has_any(t, {"top", "rank", "ranking", "ranked", "leaderboard", "best", "worst", "most",
                  "biggest", "largest", "highest", "lowest", "bottom", "slowest", "fastest",
                  "busiest", "best selling", "best-selling"}))
    return intent::ranking;
  // Days, weeks, months read as a trend; a few quarters or years as bars.
  if (f.grain == time_grain::hour || f.grain == time_grain::day || f.grain == time_grain::week ||
      f.grain == time_grain::month || f.time_span)
    return intent::trend;
  return intent::none;
}

}  // namespace aw::analytics
