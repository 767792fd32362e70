#include "load/timestamp.hpp"

#include <chrono>
#include <ctime>

namespace aw::load {

namespace {

bool digits(std::string_view s, std::size_t pos, std::size_t n, int* out) {
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

}  // namespace

std::optional<double> parse_rfc3339_ms(std::string_view s) {
  // 2026-11-21T10:30:00.123Z
  if (s.size() != 24) return std::nullopt;
  if (s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != '.' ||
      s[23] != 'Z')
    return std::nullopt;
  int year, mon, day, hour, min, sec, ms;
  if (!digits(s, 0, 4, &year) || !digits(s, 5, 2, &mon) || !digits(s, 8, 2, &day) ||
      !digits(s, 11, 2, &hour) || !digits(s, 14, 2, &min) || !digits(s, 17, 2, &sec) ||
      !digits(s, 20, 3, &ms))
    return std::nullopt;
  if (mon < 1 || mon > 12 || day < 1 || day > 31 || hour > 23 || min > 59 || sec > 60)
    return std::nullopt;
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = mon - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = min;
  tm.tm_sec = sec;
  std::time_t t = timegm(&tm);
  return static_cast<double>(t) * 1000.0 + ms;
}

double wall_ms() {
  using namespace std::chrono;
  return duration<double, std::milli>(system_clock::now().time_since_epoch()).count();
}

double mono_ms() {
  using namespace std::chrono;
  return duration<double, std::milli>(steady_clock::now().time_since_epoch()).count();
}

}  // namespace aw::load
