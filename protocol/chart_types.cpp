#include "protocol/chart_types.hpp"

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

namespace aw::protocol {
namespace {

constexpr std::array<std::string_view, chart_type_count> kNames = {
    "bar_chart_vertical", "bar_chart_horizontal", "bar_chart_grouped", "bar_chart_stacked",
    "line_chart",         "line_chart_multi",     "area_chart",        "area_chart_stacked",
    "pie_chart",          "donut_chart",          "scatter_plot",      "bubble_chart",
    "histogram",          "box_plot",             "violin_plot",       "heatmap",
    "radar_chart",        "waterfall_chart",      "funnel_chart",      "step_chart",
    "candlestick_chart",  "combo_bar_line",       "pareto_chart",
};

std::array<chart_type, chart_type_count> make_all() {
  std::array<chart_type, chart_type_count> all{};
  for (int i = 0; i < chart_type_count; ++i) all[i] = static_cast<chart_type>(i);
  return all;
}

}  // namespace

const std::array<chart_type, chart_type_count>& all_chart_types() {
  static const auto all = make_all();
  return all;
}

std::string_view to_string(chart_type t) { return kNames[static_cast<int>(t)]; }

std::optional<chart_type> parse_chart_type(std::string_view name) {
  for (int i = 0; i < chart_type_count; ++i)
    if (kNames[i] == name) return static_cast<chart_type>(i);
  return std::nullopt;
}

namespace {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j)
      cur[j] =
          std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::vector<std::string> words_of(const std::string& s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= s.size()) {
    auto end = s.find('_', start);
    if (end == std::string::npos) end = s.size();
    if (end > start) out.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

}  // namespace

std::optional<chart_type> nearest_chart_type(std::string_view name) {
  if (name.empty() || name.size() > 64) return std::nullopt;
  std::string norm;
  for (char c : name)
    norm +=
        c == '-' || c == ' ' ? '_' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::optional<chart_type> best;
  std::size_t best_d = std::max<std::size_t>(2, norm.size() / 4) + 1;
  for (int i = 0; i < chart_type_count; ++i) {
    std::string_view known = kNames[i];
    if (norm == known || norm + "_chart" == known || norm + "_plot" == known)
      return static_cast<chart_type>(i);
    std::size_t d = edit_distance(norm, known);
    if (d < best_d) {
      best_d = d;
      best = static_cast<chart_type>(i);
    }
  }
  if (best) return best;
  // Every word of the input is a word of the name ("vertical_bar" -> bar_chart_vertical).
  auto words = words_of(norm);
  if (words.empty()) return std::nullopt;
  for (int i = 0; i < chart_type_count; ++i) {
    auto known = words_of(std::string(kNames[i]));
    bool all = std::all_of(words.begin(), words.end(), [&](const std::string& w) {
      return std::find(known.begin(), known.end(), w) != known.end();
    });
    if (all) return static_cast<chart_type>(i);
  }
  return std::nullopt;
}

}  // namespace aw::protocol
