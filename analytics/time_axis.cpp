#include "analytics/time_axis.hpp"

#include <algorithm>

namespace aw::analytics {
namespace {

constexpr int kMaxLabels = 120;

std::string month_name(int m) {
  static const char* names[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  return names[(m - 1 + 120) % 12];
}

int days_in(int month, int year) {
  static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : d[month - 1];
}

}  // namespace

int periods_per(time_grain unit, time_grain grain) {
  if (unit == grain) return 1;
  switch (unit) {
    case time_grain::year:
      return grain == time_grain::quarter ? 4
             : grain == time_grain::month ? 12
             : grain == time_grain::week  ? 52
             : grain == time_grain::day   ? 365
                                          : 0;
    case time_grain::quarter:
      return grain == time_grain::month  ? 3
             : grain == time_grain::week ? 13
             : grain == time_grain::day  ? 91
                                         : 0;
    case time_grain::month:
      return grain == time_grain::week ? 4 : grain == time_grain::day ? 30 : 0;
    case time_grain::week:
      return grain == time_grain::day ? 7 : grain == time_grain::hour ? 168 : 0;
    case time_grain::day:
      return grain == time_grain::hour ? 24 : 0;
    default:
      return 0;
  }
}

time_grain finer(time_grain unit) {
  switch (unit) {
    case time_grain::year:
      return time_grain::month;
    case time_grain::quarter:
      return time_grain::month;
    case time_grain::month:
      return time_grain::day;
    case time_grain::week:
      return time_grain::day;
    case time_grain::day:
      return time_grain::hour;
    default:
      return unit;
  }
}

int default_count(time_grain g) {
  switch (g) {
    case time_grain::hour:
      return 24;
    case time_grain::weekday:
      return 7;
    case time_grain::day:
      return 30;
    case time_grain::week:
      return 12;
    case time_grain::month:
      return 12;
    case time_grain::quarter:
      return 4;
    case time_grain::year:
      return 6;
    case time_grain::none:
      break;
  }
  return 0;
}

std::vector<std::string> time_labels(time_grain grain, int count, int last_year) {
  std::vector<std::string> out;
  count = std::clamp(count, 1, kMaxLabels);
  switch (grain) {
    case time_grain::hour:
      for (int i = 0; i < count; ++i) {
        int h = i % 24;
        out.push_back((h < 10 ? "0" : "") + std::to_string(h) + ":00");
      }
      if (count > 24)  // several days of hours: day prefix keeps labels unique
        for (int i = 0; i < count; ++i) out[i] = "D" + std::to_string(i / 24 + 1) + " " + out[i];
      break;
    case time_grain::weekday: {
      static const char* days[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
      for (int i = 0; i < count; ++i)
        out.push_back(count > 7 ? std::string(days[i % 7]) + " W" + std::to_string(i / 7 + 1)
                                : days[i % 7]);
      break;
    }
    case time_grain::day: {
      int month = 12, day = 31, year = last_year;
      for (int i = 0; i < count; ++i) {
        out.push_back(month_name(month) + " " + std::to_string(day));
        if (--day == 0) {
          if (--month == 0) {
            month = 12;
            --year;
          }
          day = days_in(month, year);
        }
      }
      std::reverse(out.begin(), out.end());
      break;
    }
    case time_grain::week:
      for (int i = 0; i < count; ++i) out.push_back("W" + std::to_string(i + 1));
      break;
    case time_grain::month: {
      int first = 12 - (count - 1) % 12;  // ends in December of last_year
      int year = last_year - (count - 1) / 12;
      if (first > 12) first -= 12;
      for (int i = 0, m = first; i < count; ++i) {
        out.push_back(count > 12 ? month_name(m) + " " + std::to_string(year) : month_name(m));
        if (++m > 12) {
          m = 1;
          ++year;
        }
      }
      break;
    }
    case time_grain::quarter: {
      int year = last_year - (count - 1) / 4;
      int q = 4 - (count - 1) % 4;
      for (int i = 0; i < count; ++i) {
        out.push_back(count > 4 ? "Q" + std::to_string(q) + " " + std::to_string(year)
                                : "Q" + std::to_string(q));
        if (++q > 4) {
          q = 1;
          ++year;
        }
      }
      break;
    }
    case time_grain::year:
      for (int y = last_year - count + 1; y <= last_year; ++y) out.push_back(std::to_string(y));
      break;
    case time_grain::none:
      break;
  }
  return out;
}

}  // namespace aw::analytics
