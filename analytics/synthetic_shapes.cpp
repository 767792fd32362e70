// Synthetic points, samples, matrices and candles.
#include <algorithm>
#include <cmath>

#include "analytics/synthetic_data.hpp"
#include "analytics/text.hpp"

namespace aw::analytics {
namespace {

// Days since 1970-01-01 for a civil date (H. Hinnant's algorithm).
long days_from_civil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const long era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<long>(doe) - 719468;
}

std::string civil_from_days(long z) {
  z += 719468;
  const long era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  const long y = static_cast<long>(yoe) + era * 400 + (m <= 2);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04ld-%02u-%02u", y, m, d);
  return buf;
}

bool negative_relation(const request_profile& p) {
  return p.trend == trend_kind::falling ||
         has_any(p.lowered, {"negative", "inverse", "inversely", "less"});
}

}  // namespace

std::vector<protocol::point> make_points(const request_profile& p, seeded_rng& rng,
                                         bool with_sizes) {
  const subject_info& s = p.subject;
  const double span = s.high - s.low;
  const int n = p.points > 1 ? std::min(p.points, 500)
                : with_sizes ? rng.integer(15, 25)
                             : rng.integer(30, 60);
  const double slope = negative_relation(p) ? -0.6 : 0.6;
  const double noise = rng.between(0.06, 0.14);
  std::vector<protocol::point> points;
  for (int i = 0; i < n; ++i) {
    protocol::point pt;
    pt.x = round_to(rng.between(10, 100), 2);
    double t = (pt.x - 10) / 90;  // 0..1
    double y = s.low + span * (0.5 + slope * (t - 0.5)) + rng.normal(0, span * noise);
    pt.y = round_value(s, std::clamp(y, s.low, s.high));
    if (with_sizes) pt.size = round_to(rng.between(5, 50), 2);
    points.push_back(pt);
  }
  return points;
}

std::vector<protocol::named_series> make_groups(const request_profile& p, seeded_rng& rng,
                                                std::size_t groups) {
  const subject_info& s = p.subject;
  const double span = s.high - s.low;
  std::vector<std::string> names;
  if (groups == 1) {
    names = {s.name};
  } else if (!p.labels.empty()) {
    names = p.labels;
  } else if (!p.time_axis() && p.axis != axis_kind::categories) {
    names = axis_labels(p);
  } else {
    names = {"Group A", "Group B", "Group C", "Group D", "Group E"};
  }
  for (std::size_t i = names.size(); i < groups; ++i) names.push_back("Group " + std::to_string(i + 1));
  if (names.size() > groups) names.resize(groups);

  std::vector<protocol::named_series> out;
  for (const auto& name : names) {
    int n = groups == 1 ? rng.integer(200, 500) : rng.integer(60, 150);
    double mean = s.low + span * rng.between(0.4, 0.6);
    double sd = span / 9 * rng.between(0.7, 1.2);  // keeps clamping at the range ends rare
    protocol::named_series g{name, {}};
    for (int i = 0; i < n; ++i)
      g.values.push_back(round_value(s, std::clamp(rng.normal(mean, sd), s.low, s.high)));
    out.push_back(std::move(g));
  }
  return out;
}

void make_matrix(const request_profile& p, seeded_rng& rng, protocol::chart_data& out) {
  const subject_info s = positive_subject(p.subject);
  const bool week_by_hour = p.axis == axis_kind::hours || p.axis == axis_kind::weekdays ||
                            has_any(p.lowered, {"hour", "day", "week", "time of day"});
  if (week_by_hour) {
    out.row_labels = axis_labels_of(axis_kind::weekdays, p, false);
    for (int h = 0; h < 24; ++h)
      out.column_labels.push_back((h < 10 ? "0" : "") + std::to_string(h));
  } else {
    out.row_labels = p.time_axis() || p.axis == axis_kind::categories
                         ? axis_labels_of(axis_kind::regions, p, false)
                         : axis_labels(p, false);
    out.column_labels =
        p.time_axis() ? axis_labels(p, false) : axis_labels_of(axis_kind::months, p, false);
    if (out.row_labels.size() > 5) out.row_labels.resize(5);
    if (out.column_labels.size() > 12) out.column_labels.resize(12);
    if (!p.time_axis()) out.column_labels.resize(6);
  }
  const double span = s.high - s.low;
  for (std::size_t r = 0; r < out.row_labels.size(); ++r) {
    double row_level = rng.between(0.6, 1.0);
    if (week_by_hour && r >= 5) row_level *= 0.55;  // weekends are quieter
    std::vector<double> row;
    for (std::size_t c = 0; c < out.column_labels.size(); ++c) {
      double shape = 0.5;
      if (week_by_hour) {
        // Activity peaks in the afternoon, lowest before dawn.
        double hour = static_cast<double>(c);
        shape = 0.15 + 0.85 * std::exp(-((hour - 14) * (hour - 14)) / 30.0);
      } else {
        shape = rng.between(0.3, 1.0);
      }
      double v = s.low + span * shape * row_level + rng.normal(0, span * 0.04);
      row.push_back(round_value(s, std::clamp(v, s.low, s.high)));
    }
    out.matrix.push_back(std::move(row));
  }
}

std::vector<protocol::candle> make_candles(const request_profile& p, seeded_rng& rng) {
  const int year = p.years.empty() ? 2024 : p.years.front();
  const int n = p.points > 1 ? std::min(p.points, 500) : rng.integer(20, 30);
  const double drift = p.trend == trend_kind::rising    ? 0.004
                       : p.trend == trend_kind::falling ? -0.004
                                                        : 0.0;
  const subject_info& s = p.subject;
  double close =
      s.decimals > 0 && s.low > 0 ? rng.between(s.low + 20, s.high * 0.6) : rng.between(50, 200);
  std::vector<protocol::candle> out;
  long day = days_from_civil(year, 1, 2);
  while (static_cast<int>(out.size()) < n) {
    long weekday = ((day % 7) + 10) % 7;  // 0 = Monday (1970-01-01 was a Thursday)
    if (weekday < 5) {
      protocol::candle c;
      c.label = civil_from_days(day);
      c.open = round_to(close * (1 + rng.normal(0, 0.004)), 2);
      c.close = round_to(c.open * (1 + drift + rng.normal(0, 0.018)), 2);
      c.high = round_to(std::max(c.open, c.close) * (1 + std::fabs(rng.normal(0, 0.008))), 2);
      c.low = round_to(std::min(c.open, c.close) * (1 - std::fabs(rng.normal(0, 0.008))), 2);
      close = c.close;
      out.push_back(c);
    }
    ++day;
  }
  return out;
}

}  // namespace aw::analytics
