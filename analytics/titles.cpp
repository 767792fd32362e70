#include "analytics/titles.hpp"

#include <algorithm>
#include <cctype>
#include <set>
#include <vector>

#include "analytics/chart_shapes.hpp"
#include "analytics/text.hpp"

namespace aw::analytics {
namespace {

const std::set<std::string> kLeadingWords = {
    "show",      "plot",      "chart", "draw",     "give",  "me",     "display", "create",
    "visualize", "visualise", "make",  "generate", "build", "render", "please",  "can",
    "could",     "would",     "you",   "i",        "we",    "want",   "need",    "like",
    "to",        "a",         "an",    "the",      "us",    "of",     "let's",   "lets",
    "see",       "graph",     "get",   "produce",  "some",  "my",     "our",     "what",
    "is",        "are",       "how",   "was",      "were",  "tell",   "about"};
const std::set<std::string> kFillerWords = {"the",  "a",      "an", "our", "my",
                                            "your", "please", "me", "us",  "some"};
const std::set<std::string> kSmallWords = {"of",   "by",   "vs",     "and",    "or",      "per",
                                           "over", "to",   "in",     "on",     "at",      "for",
                                           "with", "from", "versus", "across", "between", "as"};
const std::set<std::string> kStopWords = {"for",    "in",   "by", "over", "across", "among", "with",
                                          "during", "from", "on", "per",  "and",    "of"};

std::vector<std::string> split_words(std::string_view text) {
  std::vector<std::string> words;
  std::string current;
  auto flush = [&] {
    while (!current.empty() &&
           std::string_view(".,!?;:\"'()").find(current.back()) != std::string_view::npos)
      current.pop_back();
    while (!current.empty() &&
           std::string_view("\"'(").find(current.front()) != std::string_view::npos)
      current.erase(0, 1);
    if (!current.empty()) words.push_back(current);
    current.clear();
  };
  for (char c : text) {
    if (std::isspace(static_cast<unsigned char>(c)) || c == '_')
      flush();
    else
      current += c;
  }
  flush();
  return words;
}

bool is_year(const std::string& w) {
  return !years_in(w).empty() && w.size() == 4;
}

std::string title_word(const std::string& word, bool first) {
  std::string lower = to_lower(word);
  bool keep_case = std::any_of(word.begin() + 1, word.end(),
                               [](char c) { return std::isupper(static_cast<unsigned char>(c)); });
  if (keep_case) return word;  // USA, iPhone, Q1
  if (!first && kSmallWords.count(lower)) return lower;
  return capitalize(lower);
}

std::string join_title(const std::vector<std::string>& words) {
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    std::string w = title_word(words[i], i == 0);
    if (out.size() + w.size() + 1 > 80) break;
    if (!out.empty()) out += ' ';
    out += w;
  }
  return out;
}

std::string first_sentence(std::string_view content) {
  std::size_t end = content.find_first_of(".?!\n");
  // A '.' inside a number ("1.5") does not end the sentence.
  while (end != std::string_view::npos && content[end] == '.' && end + 1 < content.size() &&
         std::isdigit(static_cast<unsigned char>(content[end + 1])))
    end = content.find_first_of(".?!\n", end + 1);
  return std::string(content.substr(0, end));
}

// Up to three words of a phrase, stopping at a stop word.
std::string phrase(const std::vector<std::string>& words, std::size_t from, std::size_t to,
                   bool backwards) {
  std::vector<std::string> picked;
  if (backwards) {
    for (std::size_t i = to; i-- > from && picked.size() < 3;) {
      std::string l = to_lower(words[i]);
      if (kStopWords.count(l) || kLeadingWords.count(l)) break;
      picked.insert(picked.begin(), words[i]);
    }
  } else {
    for (std::size_t i = from; i < to && picked.size() < 3; ++i) {
      std::string l = to_lower(words[i]);
      if (kStopWords.count(l) || kFillerWords.count(l)) break;
      picked.push_back(words[i]);
    }
  }
  return picked.empty() ? "" : join_title(picked);
}

}  // namespace

std::string title_from_request(std::string_view content) {
  std::vector<std::string> words = split_words(first_sentence(content));
  std::size_t start = 0;
  while (start < words.size() && kLeadingWords.count(to_lower(words[start]))) ++start;
  std::vector<std::string> kept;
  for (std::size_t i = start; i < words.size(); ++i) {
    std::string lower = to_lower(words[i]);
    if (kFillerWords.count(lower)) continue;
    bool before_year = i + 1 < words.size() && is_year(words[i + 1]);
    if (before_year && (lower == "for" || lower == "in" || lower == "during")) continue;
    kept.push_back(words[i]);
  }
  std::string title = join_title(kept);
  return title.empty() ? "Chart" : title;
}

axis_texts compared_quantities(std::string_view content) {
  std::vector<std::string> words = split_words(first_sentence(content));
  for (std::size_t i = 0; i < words.size(); ++i) {
    std::string l = to_lower(words[i]);
    if (l == "vs" || l == "vs." || l == "versus" || l == "against") {
      axis_texts t{phrase(words, i + 1, words.size(), false), phrase(words, 0, i, true)};
      if (!t.x.empty() && !t.y.empty()) return t;
    }
    if (l == "between") {
      for (std::size_t k = i + 1; k < words.size(); ++k) {
        if (to_lower(words[k]) != "and") continue;
        axis_texts t{phrase(words, i + 1, k, false), phrase(words, k + 1, words.size(), false)};
        if (!t.x.empty() && !t.y.empty()) return t;
      }
    }
  }
  return {};
}

axis_texts axis_labels_for(protocol::chart_type type, const request_profile& p,
                           const protocol::chart_data& data, std::string_view content) {
  using protocol::chart_type;
  const std::string& y = p.subject.y_label;
  switch (shape_of(type)) {
    case data_shape::points: {
      axis_texts t = compared_quantities(content);
      if (!t.x.empty()) return t;
      return {data.points.size() && data.labels.size() && data.labels[0] != "P1" ? "Index" : "X",
              y};
    }
    case data_shape::groups:
      if (type == chart_type::histogram) return {y, "Frequency"};
      return {data.groups.size() > 1 && p.axis != axis_kind::categories && !p.time_axis()
                  ? axis_title(p.axis)
                  : "Group",
              y};
    case data_shape::matrix:
      if (data.column_labels.size() == 24) return {"Hour", "Day"};
      if (!data.row_labels.empty() && data.row_labels.front() == "North")
        return {p.time_axis() ? axis_title(p.axis) : "Month", "Region"};
      return {p.time_axis() ? axis_title(p.axis) : "Column", "Row"};
    case data_shape::candles:
      return {"Date", "Price ($)"};
    default:
      break;
  }
  if (type == chart_type::funnel_chart)
    return {"Stage", p.subject.decimals == 0 && p.subject.quantum == 1 ? y : "Count"};
  return {axis_title(p.axis), y};
}

}  // namespace aw::analytics
