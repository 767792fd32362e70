#include "analytics/follow_up.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <string_view>
#include <unordered_set>

#include "analytics/builtin_llm.hpp"

namespace aw::analytics {
namespace {

using protocol::chart_type;

struct token {
  std::string text;      // lower case
  std::string original;  // as written
  std::size_t at = 0;    // byte offset in the request
  bool used = false;     // part of an edit phrase or filler
};

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

// Words that ask for nothing by themselves.
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

// What "the last 6 ..." counts.
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

// "line" with several series is a multi-line, and back.
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

// Types drawn from the summary view (labels + values | series) alone.
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

// The type a word names, for "as a pie", "make it a line", "bars instead".
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

// Names listed from `i` on ("Q3 and Q4", "Europe, Asia"), up to a word that
// is not a name; marks them used. At most 12 names of at most 3 words (60
// bytes) each: a longer run of words is a sentence, not names (then none).
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

// "title it X", "call it X", "rename it to X", "change the title to X": the
// rest of the request, as written, is the title.
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

}  // namespace

std::size_t prior_chart_bytes(const prior_chart& c) {
  std::size_t n = sizeof(prior_chart) + c.run_id.size() + c.content.size() + c.title.size();
  for (const auto& l : c.data.labels) n += l.size() + sizeof(std::string);
  n += c.data.values.size() * sizeof(double);
  for (const auto& s : c.data.series) n += s.name.size() + s.values.size() * sizeof(double) + 32;
  return n;
}

bool refinable(const prior_chart& c) {
  return c.synthetic || (drawn_from_summary(c.type) && !c.data.labels.empty());
}

std::optional<std::vector<chart_edit>> parse_follow_up(std::string_view content) {
  if (content.empty() || content.size() > max_follow_up_bytes) return std::nullopt;
  auto t = tokenize(content);
  if (t.empty() || t.size() > max_follow_up_words) return std::nullopt;
  std::vector<chart_edit> edits;
  if (auto title = title_edit(content, t)) {
    chart_edit e;
    e.kind = edit_kind::title;
    e.text = *title;
    edits.push_back(e);
  }
  auto is = [&](std::size_t i, const char* w) { return i < t.size() && t[i].text == w; };
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (t[i].used) continue;
    const std::string& w = t[i].text;
    chart_edit e;
    // Keep the last / first N (points, months, ...): "only the last 6 months".
    if (one_of(w, {"last", "past", "latest", "final", "recent", "first", "earliest", "top",
                   "bottom"})) {
      std::size_t j = i + 1;
      if (auto n = j < t.size() ? number_of(t[j].text) : std::nullopt; n && *n > 0) {
        e.kind = one_of(w, {"first", "earliest"}) ? edit_kind::keep_first
                 : w == "top"                     ? edit_kind::top
                                                  : edit_kind::keep_last;
        if (w == "bottom") {
          e.kind = edit_kind::top;
          e.descending = false;
        }
        e.count = std::min(*n, 1000);
        t[i].used = t[j].used = true;
        // "months", "quarters", "points": the unit of what is kept.
        if (j + 1 < t.size() && unit_word(t[j + 1].text)) t[j + 1].used = true;
        edits.push_back(e);
        continue;
      }
    }
    // "only Q3 and Q4", "just Europe": keep those labels.
    if ((w == "only" || w == "just") && i + 1 < t.size() && !is(i + 1, "the") &&
        !one_of(t[i + 1].text, {"last", "past", "latest", "first", "top", "bottom", "a", "as", "in",
                                "make", "show", "sort", "bigger", "smaller"})) {
      t[i].used = true;
      auto names = names_from(t, i + 1);
      if (!names.empty()) {
        e.kind = edit_kind::keep_labels;
        e.names = std::move(names);
        edits.push_back(e);
      }
      continue;
    }
    // "without Europe", "exclude Asia", "drop Q1".
    if (one_of(w,
               {"without", "excluding", "exclude", "except", "remove", "drop", "minus", "hide"}) ||
        (w == "leave" && is(i + 1, "out"))) {
      t[i].used = true;
      std::size_t from = w == "leave" ? i + 2 : i + 1;
      if (w == "leave") t[i + 1].used = true;
      auto names = names_from(t, from);
      if (!names.empty()) {
        e.kind = edit_kind::drop_labels;
        e.names = std::move(names);
        edits.push_back(e);
      }
      continue;
    }
    // The words from t[j] on, after a series verb (i .. j-1): "last|previous|
    // prior year|years|period" compares with the period before; a year
    // ("2023") adds that year's series. True when one was taken.
    auto take_series = [&](std::size_t j) {
      if (j + 1 < t.size() && one_of(t[j].text, {"last", "previous", "prior"}) &&
          one_of(t[j + 1].text, {"year", "years", "period"})) {
        for (std::size_t k = i; k <= j + 1; ++k) t[k].used = true;
        e.kind = edit_kind::compare_prior;
        edits.push_back(e);
        i = j + 1;
        return true;
      }
      if (j < t.size() && is_year(t[j].text)) {
        for (std::size_t k = i; k <= j; ++k) t[k].used = true;
        e.kind = edit_kind::add_series;
        e.names = {t[j].original};
        edits.push_back(e);
        i = j;
        return true;
      }
      return false;
    };
    // "compare with last year", "vs the previous year", "against last year".
    if (one_of(w, {"compare", "compared", "vs", "versus", "against"}) ||
        (w == "year" && i > 0 && t[i - 1].text == "over" && i > 1 && t[i - 2].text == "year")) {
      std::size_t j = i + 1;
      while (j < t.size() && one_of(t[j].text, {"with", "to", "the", "it"})) ++j;
      if (take_series(j)) continue;
    }
    // "add 2023", "add a series for 2022", "include 2023".
    if (one_of(w, {"add", "include", "overlay"})) {
      std::size_t j = i + 1;
      while (j < t.size() && one_of(t[j].text, {"a", "the", "series", "line", "data", "for", "year",
                                                "also", "in", "another"}))
        ++j;
      if (take_series(j)) continue;
    }
    // Order: "sort descending", "largest first", "alphabetically".
    if (one_of(w, {"descending", "desc", "decreasing"}) ||
        (one_of(w, {"largest", "biggest", "highest"}) && is(i + 1, "first")) ||
        (w == "high" && is(i + 1, "to") && is(i + 2, "low"))) {
      e.kind = edit_kind::sort;
      t[i].used = true;
      if (is(i + 1, "first")) t[i + 1].used = true;
      if (w == "high") t[i + 1].used = t[i + 2].used = true;
      edits.push_back(e);
      continue;
    }
    if (one_of(w, {"ascending", "asc", "increasing"}) ||
        (one_of(w, {"smallest", "lowest"}) && is(i + 1, "first")) ||
        (w == "low" && is(i + 1, "to") && is(i + 2, "high"))) {
      e.kind = edit_kind::sort;
      e.descending = false;
      t[i].used = true;
      if (is(i + 1, "first")) t[i + 1].used = true;
      if (w == "low") t[i + 1].used = t[i + 2].used = true;
      edits.push_back(e);
      continue;
    }
    if (one_of(w, {"alphabetically", "alphabetical"})) {
      e.kind = edit_kind::sort;
      e.descending = false;
      e.by_label = true;
      t[i].used = true;
      edits.push_back(e);
      continue;
    }
    if (one_of(w, {"sort", "sorted", "order", "ordered", "rank", "ranked"})) {
      t[i].used = true;  // "sort it" alone: largest first, unless a direction follows
      bool direction_follows = false;
      for (std::size_t j = i + 1; j < t.size() && j < i + 5; ++j)
        if (one_of(t[j].text, {"descending", "desc", "decreasing", "ascending", "asc", "increasing",
                               "alphabetically", "alphabetical", "largest", "smallest", "biggest",
                               "highest", "lowest", "high", "low"}))
          direction_follows = true;
      if (!direction_follows) {
        if (is(i + 1, "by") && (is(i + 2, "name") || is(i + 2, "label"))) {
          e.by_label = true;
          e.descending = false;
          t[i + 1].used = t[i + 2].used = true;
        } else if (is(i + 1, "by") && is(i + 2, "value")) {
          t[i + 1].used = t[i + 2].used = true;
        }
        e.kind = edit_kind::sort;
        edits.push_back(e);
      }
      continue;
    }
    // Theme.
    if (one_of(w, {"dark", "corporate", "minimal", "vibrant", "modern", "light"}) &&
        !(w == "light" && is(i + 1, "blue"))) {
      e.kind = edit_kind::theme;
      e.text = w == "light" ? "modern" : w;
      t[i].used = true;
      edits.push_back(e);
      continue;
    }
    // Format.
    if (w == "svg" || w == "png" || w == "vector") {
      e.kind = edit_kind::format;
      e.format = w == "png" ? protocol::image_format::png : protocol::image_format::svg;
      t[i].used = true;
      edits.push_back(e);
      continue;
    }
    // Size.
    if (one_of(w, {"bigger", "larger", "smaller", "wider", "taller", "narrower", "shorter"})) {
      e.kind = edit_kind::resize;
      bool grow = one_of(w, {"bigger", "larger", "wider", "taller"});
      e.percent = grow ? 150 : 67;
      if (w == "wider" || w == "narrower") e.height = -1;  // width only
      if (w == "taller" || w == "shorter") e.width = -1;   // height only
      t[i].used = true;
      if (is(i + 1, "please")) t[i + 1].used = true;
      edits.push_back(e);
      continue;
    }
    // "1200x800", "1200 by 800".
    {
      auto x = w.find('x');
      std::optional<int> a, b;
      std::size_t last = i;
      if (x != std::string::npos && x > 0) {
        a = number_of(w.substr(0, x));
        b = number_of(w.substr(x + 1));
      } else if (auto n = number_of(w);
                 n && (is(i + 1, "by") || is(i + 1, "x")) && i + 2 < t.size()) {
        a = n;
        b = number_of(t[i + 2].text);
        last = i + 2;
      }
      if (a && b && *a >= 200 && *a <= 4000 && *b >= 200 && *b <= 4000) {
        e.kind = edit_kind::resize;
        e.width = *a;
        e.height = *b;
        for (std::size_t k = i; k <= last; ++k) t[k].used = true;
        if (is(last + 1, "pixels") || is(last + 1, "px")) t[last + 1].used = true;
        edits.push_back(e);
        i = last;
        continue;
      }
    }
    // Chart type: "as a pie", "make it a line", "bars instead".
    std::size_t used_to = i;
    if (auto type = type_word(t, i, &used_to)) {
      e.kind = edit_kind::chart_type;
      e.type = *type;
      for (std::size_t k = i; k <= used_to; ++k) t[k].used = true;
      if (is(used_to + 1, "chart") || is(used_to + 1, "plot") || is(used_to + 1, "graph") ||
          is(used_to + 1, "map"))
        t[used_to + 1].used = true;
      edits.push_back(e);
      continue;
    }
  }
  if (edits.empty()) return std::nullopt;
  // Whatever is left must be filler: a request that names other things
  // ("Show revenue by region as a pie") asks for a new chart.
  int content_words = 0;
  bool refers = false;
  for (const auto& tok : t) {
    if (reference(tok.text)) refers = true;
    if (!tok.used && !filler(tok.text)) ++content_words;
  }
  if (content_words == 0 || (refers && content_words <= 1)) return edits;
  return std::nullopt;
}

namespace {

bool label_matches(const std::string& label, const std::string& name) {
  std::string l = lower(label), n = lower(name);
  if (l == n) return true;
  // As a whole word inside the label: "Q3" in "Q3 2024", "Europe" in "Western Europe".
  for (std::size_t at = l.find(n); at != std::string::npos; at = l.find(n, at + 1)) {
    bool start = at == 0 || !std::isalnum(static_cast<unsigned char>(l[at - 1]));
    std::size_t end = at + n.size();
    bool stop = end == l.size() || !std::isalnum(static_cast<unsigned char>(l[end]));
    if (start && stop) return true;
  }
  return false;
}

// Keeps the points whose index passes `keep`, in every series.
template <class Keep>
void keep_points(protocol::chart_data& d, Keep keep) {
  protocol::chart_data out;
  for (std::size_t i = 0; i < d.labels.size(); ++i) {
    if (!keep(i)) continue;
    out.labels.push_back(d.labels[i]);
    if (i < d.values.size()) out.values.push_back(d.values[i]);
  }
  for (auto& s : d.series) {
    protocol::named_series kept{s.name, {}};
    for (std::size_t i = 0; i < s.values.size() && i < d.labels.size(); ++i)
      if (keep(i)) kept.values.push_back(s.values[i]);
    out.series.push_back(std::move(kept));
  }
  d = std::move(out);
}

double point_value(const protocol::chart_data& d, std::size_t i) {
  if (!d.series.empty()) {
    double sum = 0;
    for (const auto& s : d.series)
      if (i < s.values.size()) sum += s.values[i];
    return sum;
  }
  return i < d.values.size() ? d.values[i] : 0;
}

void reorder(protocol::chart_data& d, const std::vector<std::size_t>& order) {
  protocol::chart_data out;
  for (auto i : order) {
    out.labels.push_back(d.labels[i]);
    if (i < d.values.size()) out.values.push_back(d.values[i]);
  }
  for (auto& s : d.series) {
    protocol::named_series r{s.name, {}};
    for (auto i : order)
      if (i < s.values.size()) r.values.push_back(s.values[i]);
    out.series.push_back(std::move(r));
  }
  d = std::move(out);
}

void sort_points(protocol::chart_data& d, bool descending, bool by_label) {
  std::vector<std::size_t> order(d.labels.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (by_label) return lower(d.labels[a]) < lower(d.labels[b]);
    double x = point_value(d, a), y = point_value(d, b);
    return descending ? x > y : x < y;
  });
  reorder(d, order);
}

// The latest year the request, title or labels name; 0 when none.
int latest_year(const prior_chart& p) {
  int year = 0;
  auto scan = [&](const std::string& s) {
    for (const auto& tok : tokenize(s))
      if (is_year(tok.text)) year = std::max(year, *number_of(tok.text));
  };
  scan(p.content);
  scan(p.title);
  for (const auto& l : p.data.labels) scan(l);
  return year;
}

// Made-up values for a new series, near the first one's (synthetic data only):
// the same name gives the same values.
std::vector<double> companion_values(const std::vector<double>& base, const std::string& name) {
  std::uint32_t h = 2166136261u;
  for (char c : name) h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
  std::vector<double> out;
  for (std::size_t i = 0; i < base.size(); ++i) {
    h = h * 1664525u + 1013904223u;
    double f = 0.78 + 0.17 * static_cast<double>(h >> 8) / static_cast<double>(1u << 24);
    out.push_back(std::round(base[i] * f * 100.0) / 100.0);
  }
  return out;
}

std::string join_names(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i)
    out += (i == 0 ? "" : i + 1 == names.size() ? " and " : ", ") + names[i];
  return out;
}

}  // namespace

refinement apply_follow_up(const prior_chart& prior, const std::vector<chart_edit>& edits,
                           const protocol::analytics_payload& request) {
  refinement r;
  auto& p = r.payload;
  p.content = prior.content.empty() ? request.content : prior.content;
  p.title = prior.title.empty() ? std::nullopt : std::optional<std::string>(prior.title);
  p.theme.name =
      protocol::is_theme_name(prior.theme) && prior.theme != "custom" ? prior.theme : "modern";
  p.format = prior.format;
  p.width = prior.width;
  p.height = prior.height;
  p.enhance_labels = request.enhance_labels;
  r.synthetic = prior.synthetic;
  chart_type type = prior.type;
  bool type_named = false;
  protocol::chart_data d;
  d.labels = prior.data.labels;
  d.values = prior.data.values;
  d.series = prior.data.series;
  bool data_usable = drawn_from_summary(prior.type) && !d.labels.empty();
  auto note = [&](std::string s) { r.changes.push_back(std::move(s)); };

  for (const auto& e : edits) {
    switch (e.kind) {
      case edit_kind::chart_type:
        type = e.type;
        type_named = true;
        note("chart type " + std::string(protocol::to_string(type)));
        break;
      case edit_kind::keep_last:
      case edit_kind::keep_first:
      case edit_kind::top: {
        if (!data_usable) break;
        if (e.kind == edit_kind::top) sort_points(d, e.descending, false);
        std::size_t n = d.labels.size(), keep = static_cast<std::size_t>(e.count);
        if (keep >= n) {
          note("all " + std::to_string(n) + " points kept (asked for " + std::to_string(keep) +
               ")");
          break;
        }
        bool last = e.kind == edit_kind::keep_last;
        keep_points(d, [&](std::size_t i) { return last ? i >= n - keep : i < keep; });
        note(std::string(e.kind == edit_kind::top ? (e.descending ? "the top " : "the bottom ")
                         : last                   ? "the last "
                                                  : "the first ") +
             std::to_string(keep) + " points only");
        break;
      }
      case edit_kind::keep_labels:
      case edit_kind::drop_labels: {
        if (!data_usable) break;
        bool keep = e.kind == edit_kind::keep_labels;
        std::vector<bool> hit(d.labels.size(), false);
        std::size_t hits = 0;
        for (std::size_t i = 0; i < d.labels.size(); ++i)
          for (const auto& n : e.names)
            if (label_matches(d.labels[i], n)) {
              hit[i] = true;
              ++hits;
              break;
            }
        if (!keep && hits == 0 && d.series.size() > 1) {  // "without 2023": a series
          std::vector<protocol::named_series> left;
          for (auto& s : d.series) {
            bool drop = false;
            for (const auto& n : e.names) drop = drop || label_matches(s.name, n);
            if (!drop) left.push_back(std::move(s));
          }
          if (!left.empty() && left.size() < d.series.size()) {
            d.series = std::move(left);
            note("without " + join_names(e.names));
            break;
          }
        }
        if (hits == 0) {
          note("no label matches " + join_names(e.names) + ", nothing removed");
          break;
        }
        if (!keep && hits == d.labels.size()) {
          note("every label matches " + join_names(e.names) + ", nothing removed");
          break;
        }
        keep_points(d, [&](std::size_t i) { return hit[i] == keep; });
        note((keep ? "only " : "without ") + join_names(e.names));
        break;
      }
      case edit_kind::add_series:
      case edit_kind::compare_prior: {
        if (!data_usable) break;
        if (!prior.synthetic) {
          note("the data came with the request, so no series was made up");
          break;
        }
        int year = latest_year(prior);
        std::string base_name = year ? std::to_string(year) : "This period";
        std::string name = e.kind == edit_kind::add_series ? e.names.front()
                           : year                          ? std::to_string(year - 1)
                                                           : "Previous period";
        if (d.series.empty()) {
          if (name == base_name) base_name = "Current";
          d.series.push_back({base_name, d.values});
          d.values.clear();
        }
        bool present = false;
        for (const auto& s : d.series) present = present || s.name == name;
        if (present || d.series.size() >= 10) {
          note("series " + name + " already shown");
          break;
        }
        d.series.push_back({name, companion_values(d.series.front().values, name)});
        note("series " + name + " added");
        break;
      }
      case edit_kind::sort:
        if (!data_usable) break;
        sort_points(d, e.descending, e.by_label);
        note(e.by_label     ? "sorted by label"
             : e.descending ? "sorted descending"
                            : "sorted ascending");
        break;
      case edit_kind::theme:
        p.theme = protocol::theme_choice{};
        p.theme.name = e.text;
        note("theme " + e.text);
        break;
      case edit_kind::format:
        p.format = e.format;
        note("format " + std::string(protocol::to_string(e.format)));
        break;
      case edit_kind::resize: {
        auto scale = [&](int v) { return std::clamp(v * e.percent / 100, 200, 4000); };
        if (e.width > 0 && e.height > 0) {
          p.width = e.width;
          p.height = e.height;
        } else {
          if (e.width >= 0) p.width = scale(p.width);
          if (e.height >= 0) p.height = scale(p.height);
        }
        note("size " + std::to_string(p.width) + "x" + std::to_string(p.height));
        break;
      }
      case edit_kind::title:
        p.title = e.text;
        note("title \"" + e.text + "\"");
        break;
    }
  }
  if (request.title) p.title = request.title;
  if (request.chart_preference) {
    type = *request.chart_preference;
    type_named = true;
  }
  // A type for one whole asked of several series: their totals per label.
  bool one_whole = type == chart_type::pie_chart || type == chart_type::donut_chart ||
                   type == chart_type::funnel_chart || type == chart_type::pareto_chart;
  if (type_named && one_whole && d.series.size() > 1) {
    std::vector<double> totals(d.labels.size(), 0.0);
    for (std::size_t i = 0; i < totals.size(); ++i) totals[i] = point_value(d, i);
    d.series.clear();
    d.values = std::move(totals);
    note("the series summed per label");
  }
  // Several series need a type that shows them, one series a type for one.
  chart_type fitted = fit_series(type, d.has_series() && d.series.size() > 1);
  if (d.series.size() == 1) {  // one series left: plain values
    d.values = d.series.front().values;
    d.series.clear();
  }
  if (fitted != type) {
    if (type_named)
      note("drawn as " + std::string(protocol::to_string(fitted)) + " for the series");
    type = fitted;
  }
  p.chart_preference = type;
  if (data_usable && drawn_from_summary(type) && check_data_fits(type, d).ok()) {
    p.data = std::move(d);
    p.use_synthetic_data = false;
  } else if (prior.synthetic) {
    // The type needs data of another shape: made again for the same subject.
    p.use_synthetic_data = true;
    if (data_usable)
      note("new sample data in the shape " + std::string(protocol::to_string(type)) + " needs");
  } else {
    // The user's data cannot be drawn so: the prior chart, otherwise edited.
    type = prior.type;
    p.chart_preference = type;
    if (data_usable) {
      p.data = prior.data;
      p.use_synthetic_data = false;
    }
    note("the data given cannot be drawn as asked, kept " + std::string(protocol::to_string(type)));
  }
  std::string what;
  for (std::size_t i = 0; i < r.changes.size(); ++i) what += (i ? "; " : "") + r.changes[i];
  r.thought = "Refining the previous chart (" + prior.run_id +
              "): " + (what.empty() ? std::string("redrawn as it was") : what) + ".";
  return r;
}

}  // namespace aw::analytics
