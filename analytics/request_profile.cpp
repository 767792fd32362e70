#include "analytics/request_profile.hpp"

#include <algorithm>

#include "analytics/request_parser.hpp"
#include "analytics/text.hpp"
#include "analytics/time_axis.hpp"

namespace aw::analytics {
namespace {

struct subject_rule {
  std::vector<std::string_view> words;
  subject_info info;
};

const std::vector<subject_rule>& subject_rules() {
  static const std::vector<subject_rule> rules = {
      {{"revenue"}, {"Revenue", "Revenue ($)", 20000, 80000, 0, 100}},
      {{"sales"}, {"Sales", "Sales ($)", 20000, 80000, 0, 100}},
      {{"profit"}, {"Profit", "Profit ($)", 5000, 30000, 0, 100}},
      {{"income", "earnings"}, {"Income", "Income ($)", 10000, 60000, 0, 100}},
      {{"cost", "expense", "spend", "spending", "budget"},
       {"Cost", "Cost ($)", 5000, 40000, 0, 100}},
      {{"churn"}, {"Churn Rate", "Churn Rate (%)", 1, 15, 2, 1}},
      {{"conversion rate"}, {"Conversion Rate", "Conversion Rate (%)", 1, 30, 2, 1}},
      {{"temperature", "temperatures"}, {"Temperature", "Temperature (°C)", -5, 35, 2, 1}},
      {{"stock", "price", "share price"}, {"Price", "Price ($)", 10, 500, 2, 1}},
      {{"percent", "percentage", "rate", "ratio", "margin"}, {"Rate", "Rate (%)", 5, 95, 2, 1}},
      {{"signups", "sign-up", "signup"}, {"Signups", "Signups", 200, 5000, 0, 1}},
      {{"users"}, {"Users", "Users", 200, 5000, 0, 1}},
      {{"customers"}, {"Customers", "Customers", 200, 5000, 0, 1}},
      {{"visitors", "visits", "traffic", "sessions"}, {"Visitors", "Visitors", 500, 9000, 0, 1}},
      {{"downloads", "installs"}, {"Downloads", "Downloads", 200, 5000, 0, 1}},
      {{"orders", "purchases"}, {"Orders", "Orders", 100, 3000, 0, 1}},
      {{"subscribers"}, {"Subscribers", "Subscribers", 200, 5000, 0, 1}},
      {{"tickets", "incidents"}, {"Tickets", "Tickets", 20, 400, 0, 1}},
      {{"latency", "response time", "duration"}, {"Latency", "Latency (ms)", 50, 800, 0, 1}},
      {{"score", "rating", "satisfaction", "skill"}, {"Score", "Score", 40, 100, 0, 1}},
  };
  return rules;
}

struct axis_rule {
  std::vector<std::string_view> words;
  axis_kind axis;
  std::string_view axis_word;
};

const std::vector<axis_rule>& axis_rules() {
  static const std::vector<axis_rule> rules = {
      {{"hourly", "hour", "per hour", "by hour"}, axis_kind::hours, "hourly"},
      {{"quarterly", "quarter", "q1", "q2", "q3", "q4"}, axis_kind::quarters, "quarterly"},
      {{"monthly", "month", "january", "february", "march", "april", "june", "july", "august",
        "september", "october", "november", "december"},
       axis_kind::months,
       "monthly"},
      {{"weekly", "weekday", "daily", "day of week", "day", "week"}, axis_kind::weekdays, "daily"},
      {{"yearly", "years", "annual", "annually", "year over year", "decade"},
       axis_kind::years,
       "yearly"},
      {{"funnel", "conversion", "pipeline", "stage"}, axis_kind::funnel_stages, "funnel"},
      {{"country", "countries"}, axis_kind::countries, "per-country"},
      {{"region", "regional"}, axis_kind::regions, "regional"},
      {{"product"}, axis_kind::products, "per-product"},
      {{"channel", "source", "marketing"}, axis_kind::channels, "per-channel"},
      {{"team", "department"}, axis_kind::teams, "per-team"},
      {{"skill", "profile", "radar"}, axis_kind::skills, "profile"},
  };
  return rules;
}

trend_kind read_trend(std::string_view lowered) {
  if (has_any(lowered, {"decline", "declining", "drop", "decrease", "decreasing", "fall", "falling",
                        "fell", "churn", "shrink", "shrinking", "loss", "downturn"}))
    return trend_kind::falling;
  if (has_any(lowered, {"grow", "growth", "grew", "growing", "increase", "increasing", "rise",
                        "rising", "gain", "improve", "improvement", "up", "expansion"}))
    return trend_kind::rising;
  return trend_kind::flat;
}

}  // namespace

request_profile read_request(std::string_view content) {
  request_profile p;
  p.lowered = to_lower(content);
  p.years = years_in(content);

  for (const auto& rule : subject_rules()) {
    if (has_any(p.lowered, rule.words)) {
      p.subject = rule.info;
      break;
    }
  }
  for (const auto& rule : axis_rules()) {
    if (has_any(p.lowered, rule.words)) {
      p.axis = rule.axis;
      p.axis_word = rule.axis_word;
      break;
    }
  }
  // "from 2019 to 2024" spans years even without the word "yearly".
  if (p.axis == axis_kind::categories && p.years.size() >= 2 &&
      has_any(p.lowered, {"from", "between", "since", "through"})) {
    p.axis = axis_kind::years;
    p.axis_word = "yearly";
  }
  if (p.axis_word.empty()) p.axis_word = "category";

  const parsed_request parsed = parse_request(content);
  switch (parsed.grain) {
    case time_grain::hour:
      p.axis = axis_kind::hours;
      p.axis_word = "hourly";
      break;
    case time_grain::weekday:
      p.axis = axis_kind::weekdays;
      p.axis_word = "daily";
      break;
    case time_grain::day:
      p.axis = axis_kind::days;
      p.axis_word = "daily";
      break;
    case time_grain::week:
      p.axis = axis_kind::weeks;
      p.axis_word = "weekly";
      break;
    case time_grain::month:
      p.axis = axis_kind::months;
      p.axis_word = "monthly";
      break;
    case time_grain::quarter:
      p.axis = axis_kind::quarters;
      p.axis_word = "quarterly";
      break;
    case time_grain::year:
      p.axis = axis_kind::years;
      p.axis_word = "yearly";
      break;
    case time_grain::none:
      if (p.time_axis() && !parsed.labels.empty() && !parsed.labels_generic) {
        p.axis = axis_kind::categories;  // the named things are the axis
        p.axis_word = "category";
      }
      break;
  }
  p.labels = parsed.labels;
  p.labels_generic = parsed.labels_generic;
  p.series = parsed.series;
  p.points = parsed.points;
  p.ranking = parsed.what == intent::ranking || parsed.numbers.top_n > 0;
  p.measures = parsed.measures;
  if (p.labels_generic) {
    // Names of the axis where it has them ("top 3 regions": North, South, East).
    auto names = axis_labels_of(p.axis, p, true);
    if (p.axis != axis_kind::categories && !p.time_axis() && names.size() >= p.labels.size())
      for (std::size_t i = 0; i < p.labels.size() && i < names.size(); ++i) p.labels[i] = names[i];
  }

  p.trend = read_trend(p.lowered);
  p.seasonal = has_any(p.lowered, {"seasonal", "seasonality", "season", "summer", "winter",
                                   "holiday", "cyclical", "cycle", "temperature"});
  return p;
}

std::vector<std::string> axis_labels_of(axis_kind axis, const request_profile& p, bool with_year) {
  switch (axis) {
    case axis_kind::quarters: {
      std::vector<std::string> out = {"Q1", "Q2", "Q3", "Q4"};
      if (with_year && p.years.size() == 1)
        for (auto& q : out) q += " " + std::to_string(p.years.front());
      return out;
    }
    case axis_kind::months:
      return {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    case axis_kind::weeks:
      return time_labels(time_grain::week, 12, 2024);
    case axis_kind::days:
      return time_labels(time_grain::day, 30, 2024);
    case axis_kind::weekdays:
      return {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    case axis_kind::years: {
      int last = p.years.empty() ? 2024 : *std::max_element(p.years.begin(), p.years.end());
      int first = last - 5;
      if (p.years.size() >= 2) {
        int lowest = *std::min_element(p.years.begin(), p.years.end());
        if (last - lowest >= 2 && last - lowest <= 11) first = lowest;
      }
      std::vector<std::string> out;
      for (int y = first; y <= last; ++y) out.push_back(std::to_string(y));
      return out;
    }
    case axis_kind::hours: {
      std::vector<std::string> out;
      for (int h = 0; h < 24; ++h) out.push_back((h < 10 ? "0" : "") + std::to_string(h) + ":00");
      return out;
    }
    case axis_kind::regions:
      return {"North", "South", "East", "West", "Central"};
    case axis_kind::products:
      return {"Product A", "Product B", "Product C", "Product D", "Product E"};
    case axis_kind::countries:
      return {"United States", "Germany", "Japan", "Brazil", "India", "United Kingdom"};
    case axis_kind::channels:
      return {"Organic", "Paid", "Social", "Email", "Referral"};
    case axis_kind::funnel_stages:
      return {"Visitors", "Sign-ups", "Trials", "Purchases", "Renewals"};
    case axis_kind::teams:
      return {"Sales", "Marketing", "Engineering", "Support", "Finance"};
    case axis_kind::skills:
      return {"Communication", "Leadership", "Technical", "Creativity", "Teamwork", "Planning"};
    case axis_kind::categories:
      break;
  }
  return {"Category A", "Category B", "Category C", "Category D", "Category E", "Category F"};
}

std::vector<std::string> axis_labels(const request_profile& p, bool with_year) {
  if (!p.labels.empty()) return p.labels;
  return axis_labels_of(p.axis, p, with_year);
}

std::string axis_title(axis_kind axis) {
  switch (axis) {
    case axis_kind::quarters:
      return "Quarter";
    case axis_kind::months:
      return "Month";
    case axis_kind::weeks:
      return "Week";
    case axis_kind::days:
      return "Day";
    case axis_kind::weekdays:
      return "Day";
    case axis_kind::years:
      return "Year";
    case axis_kind::hours:
      return "Hour";
    case axis_kind::regions:
      return "Region";
    case axis_kind::products:
      return "Product";
    case axis_kind::countries:
      return "Country";
    case axis_kind::channels:
      return "Channel";
    case axis_kind::funnel_stages:
      return "Stage";
    case axis_kind::teams:
      return "Team";
    case axis_kind::skills:
      return "Skill";
    case axis_kind::categories:
      break;
  }
  return "Category";
}

std::vector<std::string> series_names(const request_profile& p, std::size_t wanted) {
  if (!p.series.empty()) return p.series;
  std::vector<std::string> names;
  if (p.years.size() >= 2 && p.axis != axis_kind::years) {
    for (std::size_t i = 0; i < p.years.size() && i < 4; ++i)
      names.push_back(std::to_string(p.years[i]));
    return names;
  }
  if (p.axis == axis_kind::years ||
      (p.axis != axis_kind::products && has_word(p.lowered, "product"))) {
    names = {"Product A", "Product B", "Product C"};
  } else {
    int last = p.years.empty() ? 2024 : p.years.front();
    for (int y = last - static_cast<int>(wanted) + 1; y <= last; ++y)
      names.push_back(std::to_string(y));
  }
  if (names.size() > wanted) names.resize(wanted);
  return names;
}

}  // namespace aw::analytics
