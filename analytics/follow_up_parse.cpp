#include <optional>
#include <string_view>
#include <vector>

#include "analytics/follow_up.hpp"
#include "analytics/follow_up_words.hpp"

namespace aw::analytics {

using namespace follow_up_words;

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

}  // namespace aw::analytics
