#include "analytics/follow_up_words.hpp"

#include <cctype>
#include <unordered_set>

namespace aw::analytics::follow_up_words {

std::vector<token> tokenize(std::string_view s) {
  std::vector<token> out;
  std::size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    if (std::isalnum(c) || c >= 0x80) {
      std::size_t start = i;
      while (i < s.size()) {
        auto d = static_cast<unsigned char>(s[i]);
        if (!(std::isalnum(d) || d >= 0x80)) break;
        ++i;
      }
      token t;
      t.original = std::string(s.substr(start, i - start));
      t.text = t.original;
      for (auto& ch : t.text) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      t.at = start;
      out.push_back(std::move(t));
    } else {
      ++i;
    }
  }
  return out;
}

std::optional<int> number_of(const std::string& w) {
  static const char* spelled[] = {"zero",  "one",   "two",  "three", "four",   "five",  "six",
                                  "seven", "eight", "nine", "ten",   "eleven", "twelve"};
  for (int i = 0; i < 13; ++i)
    if (w == spelled[i]) return i;
  if (w.empty() || w.size() > 4) return std::nullopt;
  for (char c : w)
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
  return std::stoi(w);
}

bool is_year(const std::string& w) {
  auto n = number_of(w);
  return n && w.size() == 4 && *n >= 1900 && *n <= 2100;
}

bool one_of(const std::string& w, std::initializer_list<const char*> words) {
  for (const char* x : words)
    if (w == x) return true;
  return false;
}

bool filler(const std::string& w) {
  static const std::unordered_set<std::string_view> words = {
      "make",  "show",    "me",    "please", "can",     "could",  "would",  "you",    "now",
      "and",   "also",    "then",  "the",    "a",       "an",     "as",     "to",     "into",
      "in",    "with",    "it",    "this",   "that",    "chart",  "graph",  "plot",   "version",
      "mode",  "theme",   "style", "format", "instead", "same",   "but",    "change", "switch",
      "turn",  "use",     "draw",  "redraw", "display", "only",   "just",   "keep",   "data",
      "one",   "of",      "for",   "on",     "let",     "s",      "ok",     "okay",   "actually",
      "i",     "want",    "see",   "give",   "again",   "too",    "so",     "by",     "it's",
      "its",   "do",      "try",   "what",   "about",   "how",    "rather", "than",   "image",
      "file",  "picture", "view",  "type",   "go",      "back",   "well",   "there",  "thanks",
      "thank", "is",      "be",    "more",   "bit",     "little", "lot",    "much",   "way",
      "kind",  "look",    "like",  "should", "here"};
  return words.count(w) != 0;
}

bool unit_word(const std::string& w) {
  static const std::unordered_set<std::string_view> units = {
      "hours",      "days",   "weeks",    "months", "quarters", "years",  "periods",
      "points",     "items",  "entries",  "bars",   "labels",   "values", "rows",
      "hour",       "day",    "week",     "month",  "quarter",  "year",   "ones",
      "categories", "slices", "weekdays", "dates"};
  return units.count(w) != 0;
}

bool reference(const std::string& w) {
  return one_of(w, {"it", "this", "that", "same", "instead", "again", "its"});
}

chart_type fit_series(chart_type t, bool series) {
  if (series) {
    switch (t) {
      case chart_type::bar_chart_vertical:
      case chart_type::bar_chart_horizontal:
      case chart_type::pie_chart:
      case chart_type::donut_chart:
      case chart_type::funnel_chart:
      case chart_type::waterfall_chart:
      case chart_type::pareto_chart:
        return chart_type::bar_chart_grouped;
      case chart_type::line_chart:
      case chart_type::step_chart:
      case chart_type::area_chart:
        return chart_type::line_chart_multi;
      default:
        return t;
    }
  }
  switch (t) {
    case chart_type::bar_chart_grouped:
    case chart_type::bar_chart_stacked:
    case chart_type::combo_bar_line:
      return chart_type::bar_chart_vertical;
    case chart_type::line_chart_multi:
      return chart_type::line_chart;
    case chart_type::area_chart_stacked:
      return chart_type::area_chart;
    default:
      return t;
  }
}

bool drawn_from_summary(chart_type t) {
  switch (t) {
    case chart_type::scatter_plot:
    case chart_type::bubble_chart:
    case chart_type::histogram:
    case chart_type::box_plot:
    case chart_type::violin_plot:
    case chart_type::heatmap:
    case chart_type::candlestick_chart:
      return false;
    default:
      return true;
  }
}

std::optional<chart_type> type_word(const std::vector<token>& t, std::size_t i,
                                    std::size_t* used_to) {
  const std::string& w = t[i].text;
  auto next = [&](const char* x) { return i + 1 < t.size() && t[i + 1].text == x; };
  *used_to = i;
  if (w == "pie") return chart_type::pie_chart;
  if (w == "donut" || w == "doughnut") return chart_type::donut_chart;
  if (w == "horizontal") {
    if (next("bar") || next("bars")) *used_to = i + 1;
    return chart_type::bar_chart_horizontal;
  }
  if (w == "stacked") {
    if (next("area")) {
      *used_to = i + 1;
      return chart_type::area_chart_stacked;
    }
    if (next("bar") || next("bars") || next("column") || next("columns")) *used_to = i + 1;
    return chart_type::bar_chart_stacked;
  }
  if (w == "grouped") {
    if (next("bar") || next("bars")) *used_to = i + 1;
    return chart_type::bar_chart_grouped;
  }
  if (w == "line" || w == "lines") return chart_type::line_chart;
  if (w == "bar" || w == "bars" || w == "column" || w == "columns" || w == "vertical")
    return chart_type::bar_chart_vertical;
  if (w == "area") return chart_type::area_chart;
  if (w == "scatter") return chart_type::scatter_plot;
  if (w == "bubble" || w == "bubbles") return chart_type::bubble_chart;
  if (w == "histogram") return chart_type::histogram;
  if (w == "radar" || w == "spider") return chart_type::radar_chart;
  if (w == "waterfall" || w == "bridge") return chart_type::waterfall_chart;
  if (w == "funnel") return chart_type::funnel_chart;
  if (w == "step" || w == "steps") return chart_type::step_chart;
  if (w == "heatmap") return chart_type::heatmap;
  if (w == "pareto") return chart_type::pareto_chart;
  if (w == "candlestick" || w == "candlesticks") return chart_type::candlestick_chart;
  if (w == "combo") return chart_type::combo_bar_line;
  if (w == "box" && next("plot")) return chart_type::box_plot;
  if (w == "violin") return chart_type::violin_plot;
  return std::nullopt;
}

std::vector<std::string> names_from(std::vector<token>& t, std::size_t i) {
  std::vector<std::string> names;
  std::vector<std::size_t> taken;
  std::string current;
  int words = 0;
  bool too_long = false;
  auto flush = [&] {
    if (!current.empty() && names.size() < 12) names.push_back(current.substr(0, 60));
    current.clear();
    words = 0;
  };
  for (; i < t.size(); ++i) {
    const std::string& w = t[i].text;
    if (w == "and" || w == "or" || w == "plus") {
      taken.push_back(i);
      flush();
      continue;
    }
    if (current.empty() && (w == "the" || w == "a")) {
      taken.push_back(i);
      continue;
    }
    if (one_of(w, {"please", "instead", "now", "in", "as", "from", "chart", "graph", "sorted",
                   "sort", "then", "too"}))
      break;
    if (++words > 3) too_long = true;
    taken.push_back(i);
    current += current.empty() ? t[i].original : " " + t[i].original;
  }
  flush();
  if (too_long) return {};
  for (auto k : taken) t[k].used = true;
  return names;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::optional<std::string> title_edit(std::string_view content, std::vector<token>& t) {
  static const char* triggers[] = {"change the title to ",
                                   "set the title to ",
                                   "rename it to ",
                                   "rename the chart to ",
                                   "rename it ",
                                   "retitle it ",
                                   "retitle ",
                                   "title it ",
                                   "call it ",
                                   "name it ",
                                   "with the title ",
                                   "titled ",
                                   "the title should be ",
                                   "new title: ",
                                   "title: "};
  std::string low = lower(content);
  for (const char* trig : triggers) {
    auto at = low.find(trig);
    if (at == std::string::npos) continue;
    if (at > 0 && std::isalnum(static_cast<unsigned char>(low[at - 1]))) continue;
    std::size_t from = at + std::string_view(trig).size();
    std::string title(content.substr(from));
    auto strip = [](std::string& s) {
      while (!s.empty() && (std::isspace(static_cast<unsigned char>(s.front())) ||
                            s.front() == '"' || s.front() == '\''))
        s.erase(s.begin());
      while (!s.empty() && (std::isspace(static_cast<unsigned char>(s.back())) || s.back() == '"' ||
                            s.back() == '\'' || s.back() == '.'))
        s.pop_back();
    };
    strip(title);
    if (title.empty() || title.size() > 200) return std::nullopt;
    for (auto& tok : t)
      if (tok.at >= at) tok.used = true;
    return title;
  }
  return std::nullopt;
}

}  // namespace aw::analytics::follow_up_words
