#include "analytics/request_words.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>
#include <unordered_set>

#include "analytics/text.hpp"

namespace aw::analytics {
namespace {

constexpr std::size_t kMaxWords = 400;

// Words the rules look for; a word of five letters or more that is one edit
// (eight or more: two edits) away from exactly one of them is read as it.
const std::vector<std::string_view>& vocabulary() {
  static const std::vector<std::string_view> words = {
      "revenue",     "revenues",   "region",       "regions",       "regional",     "quarter",
      "quarters",    "quarterly",  "monthly",      "months",        "weekly",       "daily",
      "hourly",      "yearly",     "annual",       "distribution",  "distributed",  "correlation",
      "correlate",   "correlated", "relationship", "histogram",     "percentage",   "percent",
      "proportion",  "products",   "product",      "customers",     "customer",     "category",
      "categories",  "breakdown",  "compare",      "comparison",    "versus",       "against",
      "trend",       "trends",     "funnel",       "waterfall",     "pareto",       "heatmap",
      "candlestick", "scatter",    "bubble",       "radar",         "spider",       "violin",
      "stacked",     "grouped",    "horizontal",   "vertical",      "donut",        "doughnut",
      "share",       "sales",      "profit",       "expenses",      "income",       "signups",
      "visitors",    "traffic",    "conversion",   "pipeline",      "satisfaction", "temperature",
      "average",     "countries",  "country",      "channel",       "channels",     "department",
      "departments", "cumulative", "frequency",    "outliers",      "quartiles",    "matrix",
      "ranking",     "ranked",     "largest",      "biggest",       "highest",      "lowest",
      "growth",      "evolution",  "subscribers",  "subscriptions", "downloads",    "orders",
      "tickets",     "weekday",    "weekdays",     "sessions",      "employees",    "salaries",
      "salary",      "inventory",  "latency",      "bridge",        "stages",       "combined",
  };
  return words;
}

// Common English words near a vocabulary word that must stay as they are.
const std::unordered_set<std::string_view>& keep_as_is() {
  static const std::unordered_set<std::string_view> words = {
      "shape",   "where",    "there",    "these",     "those",    "share",  "stare",   "store",
      "stores",  "years",    "month",    "hours",     "trade",    "trader", "grown",   "sale",
      "shared",  "shares",   "stage",    "ranks",     "order",    "quartz", "bridges", "weeks",
      "weekend", "weekends", "sized",    "scale",     "scales",   "spread", "spreads", "daily",
      "dairy",   "funny",    "matrices", "rather",    "trends",   "trendy", "staged",  "radars",
      "brand",   "brands",   "timeline", "timelines", "deadline", "online", "outline", "baseline"};
  return words;
}

std::optional<int> spelled_number(std::string_view w) {
  static const std::array<std::string_view, 21> small = {
      "zero",     "one",     "two",     "three",     "four",     "five",     "six",
      "seven",    "eight",   "nine",    "ten",       "eleven",   "twelve",   "thirteen",
      "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty"};
  for (std::size_t i = 0; i < small.size(); ++i)
    if (w == small[i]) return static_cast<int>(i);
  if (w == "thirty") return 30;
  if (w == "forty") return 40;
  if (w == "fifty") return 50;
  if (w == "sixty") return 60;
  if (w == "ninety") return 90;
  if (w == "hundred") return 100;
  if (w == "dozen") return 12;
  return std::nullopt;
}

std::optional<int> digits_number(std::string_view w) {
  if (w.empty() || w.size() > 6) return std::nullopt;
  for (char c : w)
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
  return std::atoi(std::string(w).c_str());
}

bool all_letters(std::string_view w) {
  return std::all_of(w.begin(), w.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

std::string corrected(const std::string& w) {
  if (w.size() < 5 || !all_letters(w) || keep_as_is().count(w)) return w;
  const auto& vocab = vocabulary();
  if (std::find(vocab.begin(), vocab.end(), w) != vocab.end()) return w;
  const int limit = w.size() >= 9 ? 2 : 1;
  std::string_view best;
  int best_distance = limit + 1;
  bool tie = false;
  for (std::string_view v : vocab) {
    if (v.size() < 5) continue;
    int d = edit_distance(w, v, limit);
    if (d < best_distance) {
      best = v;
      best_distance = d;
      tie = false;
    } else if (d == best_distance && d <= limit) {
      tie = true;
    }
  }
  if (best_distance > limit || tie) return w;
  return std::string(best);
}

bool separator(char c) {
  return std::isspace(static_cast<unsigned char>(c)) != 0;
}

bool punct_token(char c) {
  return std::string_view(",;:()?!\"[]{}").find(c) != std::string_view::npos;
}

}  // namespace

int edit_distance(std::string_view a, std::string_view b, int limit) {
  const std::size_t n = a.size(), m = b.size();
  if ((n > m ? n - m : m - n) > static_cast<std::size_t>(limit)) return limit + 1;
  constexpr std::size_t kMax = 32;  // longer words are never corrected (no allocation here)
  if (n > kMax || m > kMax) return limit + 1;
  int d[kMax + 1][kMax + 1];
  for (std::size_t i = 0; i <= n; ++i) d[i][0] = static_cast<int>(i);
  for (std::size_t j = 0; j <= m; ++j) d[0][j] = static_cast<int>(j);
  for (std::size_t i = 1; i <= n; ++i) {
    int row_min = limit + 1;
    for (std::size_t j = 1; j <= m; ++j) {
      int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      row_min = std::min(row_min, d[i][j]);
    }
    if (row_min > limit) return limit + 1;
  }
  return std::min(d[n][m], limit + 1);
}

std::vector<word> split_request(std::string_view content) {
  std::vector<word> out;
  std::string current;
  auto flush = [&] {
    // A sentence's full stop is not part of the word ("users." -> "users").
    while (!current.empty() && (current.back() == '.' || current.back() == '\''))
      current.pop_back();
    if (!current.empty() && out.size() < kMaxWords) {
      word w;
      w.original = current;
      std::string lower = to_lower(current);
      if (auto n = digits_number(lower)) {
        w.number = n;
        w.text = lower;
      } else if (auto s = spelled_number(lower)) {
        w.number = s;
        w.text = std::to_string(*s);
      } else {
        w.text = corrected(lower);
      }
      out.push_back(std::move(w));
    }
    current.clear();
  };
  for (char c : content) {
    if (separator(c)) {
      flush();
    } else if (punct_token(c)) {
      flush();
      if (out.size() < kMaxWords) out.push_back(word{std::string(1, c), std::string(1, c), {}});
    } else {
      current += c;
    }
  }
  flush();
  // "a dozen" reads as 12; "a couple of" as 2.
  for (std::size_t i = 0; i + 1 < out.size(); ++i)
    if (out[i].text == "couple" && out[i + 1].text == "of") {
      out[i].number = 2;
      out[i].text = "2";
      out[i + 1].text = "";
    }
  out.erase(std::remove_if(out.begin(), out.end(), [](const word& w) { return w.text.empty(); }),
            out.end());
  return out;
}

std::string joined(const std::vector<word>& words) {
  std::string out;
  for (const auto& w : words) {
    if (!out.empty()) out += ' ';
    out += w.text;
  }
  return out;
}

}  // namespace aw::analytics
