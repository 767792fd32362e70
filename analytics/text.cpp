#include "analytics/text.hpp"

#include <cctype>
#include <cmath>
#include <cstdio>

namespace aw::analytics {
namespace {

bool is_word_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0;
}

std::string with_separators(const std::string& digits) {
  std::string out;
  const std::size_t n = digits.size();
  for (std::size_t i = 0; i < n; ++i) {
    if (i > 0 && (n - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

}  // namespace

std::string to_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool has_word(std::string_view lowered, std::string_view phrase) {
  if (phrase.empty()) return false;
  for (std::size_t pos = lowered.find(phrase); pos != std::string_view::npos;
       pos = lowered.find(phrase, pos + 1)) {
    if (pos > 0 && is_word_char(lowered[pos - 1]) && is_word_char(phrase.front())) continue;
    std::size_t end = pos + phrase.size();
    if (!is_word_char(phrase.back()) || end == lowered.size() || !is_word_char(lowered[end]))
      return true;
    for (std::string_view suffix : {"s", "es"}) {
      std::size_t after = end + suffix.size();
      if (lowered.substr(end, suffix.size()) == suffix &&
          (after == lowered.size() || !is_word_char(lowered[after])))
        return true;
    }
  }
  return false;
}

bool has_any(std::string_view lowered, std::initializer_list<std::string_view> phrases) {
  for (std::string_view p : phrases)
    if (has_word(lowered, p)) return true;
  return false;
}

bool has_any(std::string_view lowered, const std::vector<std::string_view>& phrases) {
  for (std::string_view p : phrases)
    if (has_word(lowered, p)) return true;
  return false;
}

std::vector<int> years_in(std::string_view text) {
  std::vector<int> years;
  for (std::size_t i = 0; i + 4 <= text.size(); ++i) {
    bool starts = i == 0 || !is_word_char(text[i - 1]);
    bool ends = i + 4 == text.size() || !is_word_char(text[i + 4]);
    if (!starts || !ends) continue;
    int year = 0;
    bool digits = true;
    for (std::size_t k = i; k < i + 4; ++k) {
      if (!std::isdigit(static_cast<unsigned char>(text[k])))
        digits = false;
      else
        year = year * 10 + (text[k] - '0');
    }
    if (!digits || year < 1900 || year > 2099) continue;
    bool seen = false;
    for (int y : years) seen = seen || y == year;
    if (!seen) years.push_back(year);
  }
  return years;
}

std::uint64_t fnv1a(std::string_view s, std::uint64_t hash) {
  for (char c : s) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ULL;
  }
  return hash;
}

double round_to(double v, int decimals) {
  double scale = std::pow(10.0, decimals);
  double r = std::round(v * scale) / scale;
  return r == 0 ? 0.0 : r;  // no "-0"
}

std::string format_number(double v) {
  if (!std::isfinite(v)) return "0";
  int decimals = std::fabs(v) < 100 ? 2 : 1;
  double r = round_to(v, decimals);
  bool negative = r < 0;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, std::fabs(r));
  std::string s = buf;
  std::string int_part = s.substr(0, s.find('.'));
  std::string frac = s.substr(s.find('.') + 1);
  while (!frac.empty() && frac.back() == '0') frac.pop_back();
  std::string out = (negative ? "-" : "") + with_separators(int_part);
  if (!frac.empty()) out += "." + frac;
  return out;
}

std::string format_percent(double pct) {
  if (!std::isfinite(pct)) return "0%";
  double r = round_to(pct, 1);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.1f", std::fabs(r));
  std::string s = buf;
  if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);
  std::string int_part = s.substr(0, s.find('.'));
  std::string rest = s.find('.') == std::string::npos ? "" : s.substr(s.find('.'));
  return (r < 0 ? "-" : "") + with_separators(int_part) + rest + "%";
}

std::string plural(std::string_view noun) {
  std::string s(noun);
  if (s.empty()) return s;
  char last = s.back();
  if (last == 'y' && s.size() > 1 &&
      std::string_view("aeiou").find(s[s.size() - 2]) == std::string_view::npos)
    return s.substr(0, s.size() - 1) + "ies";
  bool sibilant =
      last == 's' || last == 'x' || last == 'z' ||
      (s.size() > 1 && last == 'h' && (s[s.size() - 2] == 's' || s[s.size() - 2] == 'c'));
  if (sibilant) return s + "es";
  return s + "s";
}

std::string capitalize(std::string_view word) {
  std::string s(word);
  if (!s.empty()) s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
  return s;
}

}  // namespace aw::analytics
