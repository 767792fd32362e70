#include <doctest/doctest.h>

#include "analytics/text.hpp"
#include "analytics/titles.hpp"

using namespace aw::analytics;

TEST_CASE("number formatting") {
  CHECK(format_number(61000) == "61,000");
  CHECK(format_number(1234567) == "1,234,567");
  CHECK(format_number(1234.56) == "1,234.6");
  CHECK(format_number(3.14159) == "3.14");
  CHECK(format_number(-2500.04) == "-2,500");
  CHECK(format_number(0) == "0");
  CHECK(format_number(-0.001) == "0");
  CHECK(format_number(999.96) == "1,000");
  CHECK(format_percent(35.5556) == "35.6%");
  CHECK(format_percent(50) == "50%");
  CHECK(format_percent(-12.34) == "-12.3%");
  CHECK(format_percent(1234.5) == "1,234.5%");
}

TEST_CASE("word matching respects word boundaries") {
  CHECK(has_word("show regions by revenue", "region"));
  CHECK(has_word("boxes", "box"));
  CHECK_FALSE(has_word("my inbox count", "box"));
  CHECK_FALSE(has_word("canvas sales", "vs"));
  CHECK(has_word("sales vs spend", "vs"));
  CHECK_FALSE(has_word("the timeline", "line"));
  CHECK(has_word("follow the 80/20 rule", "80/20"));
  CHECK_FALSE(has_word("pricing plans", "price"));
  CHECK(has_word("over time.", "over time"));
}

TEST_CASE("years, plurals, hashing") {
  CHECK(years_in("Compare 2023 and 2024, not 12345 or 1800") == std::vector<int>{2023, 2024});
  CHECK(years_in("Q1 2024 vs Q1 2024").size() == 1);
  CHECK(plural("Quarter") == "Quarters");
  CHECK(plural("Country") == "Countries");
  CHECK(plural("Day") == "Days");
  CHECK(plural("Box") == "Boxes");
  CHECK(fnv1a("") == 14695981039346656037ULL);
  CHECK(fnv1a("a") == 0xaf63dc4c8601ec8cULL);
}

TEST_CASE("titles from requests") {
  CHECK(title_from_request("Show quarterly revenue growth for 2024") ==
        "Quarterly Revenue Growth 2024");
  CHECK(title_from_request("Give me a chart of revenue by region") == "Revenue by Region");
  CHECK(title_from_request("please plot the monthly churn rate.") == "Monthly Churn Rate");
  CHECK(title_from_request("Visualize USA sales vs spend in 2023") == "USA Sales vs Spend 2023");
  CHECK(title_from_request("Show a pie chart of market share by product") ==
        "Pie Chart of Market Share by Product");
  CHECK(title_from_request("Compare revenue. Then explain it") == "Compare Revenue");
  CHECK(title_from_request("show me") == "Chart");
  CHECK(title_from_request(std::string(300, 'x') + " y").size() <= 80);
}

TEST_CASE("compared quantities") {
  auto t = compared_quantities("Plot sales vs ad spend for 2024");
  CHECK(t.y == "Sales");
  CHECK(t.x == "Ad Spend");
  auto b = compared_quantities("Show the relationship between temperature and ice cream sales");
  CHECK(b.x == "Temperature");
  CHECK(b.y == "Ice Cream Sales");
  CHECK(compared_quantities("Show revenue").x.empty());
}
