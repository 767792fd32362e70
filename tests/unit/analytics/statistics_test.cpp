#include <doctest/doctest.h>

#include "analytics/statistics.hpp"

using namespace aw;
using aw::analytics::compute_statistics;
using aw::analytics::headline_values;

TEST_CASE("statistics of the PROTOCOL example") {
  auto st = compute_statistics({45000, 52000, 48000, 61000});
  CHECK(st.count == 4);
  CHECK(st.sum == 206000);
  CHECK(st.mean == 51500);
  CHECK(st.median == 50000);
  CHECK(st.min == 45000);
  CHECK(st.max == 61000);
  // Population: sqrt(145e6 / 4). PROTOCOL.md's example shows 6124.7, which is neither the
  // population (6020.8) nor the sample (6952.2) value; the conformance client accepts either.
  CHECK(st.std_dev == doctest::Approx(6020.797).epsilon(1e-6));
  REQUIRE(st.growth_pct);
  CHECK(*st.growth_pct == doctest::Approx(35.5556).epsilon(1e-5));
}

TEST_CASE("statistics edge cases") {
  SUBCASE("empty input gives zeros") {
    auto st = compute_statistics({});
    CHECK(st.count == 0);
    CHECK(st.sum == 0);
    CHECK(st.mean == 0);
    CHECK(st.median == 0);
    CHECK(st.std_dev == 0);
    CHECK_FALSE(st.growth_pct);
  }
  SUBCASE("one value has no growth") {
    auto st = compute_statistics({7});
    CHECK(st.count == 1);
    CHECK(st.median == 7);
    CHECK(st.std_dev == 0);
    CHECK_FALSE(st.growth_pct);
  }
  SUBCASE("first value zero has no growth") {
    CHECK_FALSE(compute_statistics({0, 5, 10}).growth_pct);
  }
  SUBCASE("negative first value uses its magnitude") {
    auto st = compute_statistics({-10, 5});
    REQUIRE(st.growth_pct);
    CHECK(*st.growth_pct == doctest::Approx(150));
  }
  SUBCASE("odd count median and unsorted input") {
    auto st = compute_statistics({9, 1, 5});
    CHECK(st.median == 5);
    CHECK(st.min == 1);
    CHECK(st.max == 9);
    CHECK(st.std_dev == doctest::Approx(3.26599).epsilon(1e-5));
    CHECK(*st.growth_pct == doctest::Approx(-44.4444).epsilon(1e-5));
  }
}

TEST_CASE("headline values") {
  protocol::chart_data d;
  d.labels = {"Q1", "Q2"};
  d.series = {{"2023", {1, 2}}, {"2024", {3, 4.5}}};
  CHECK(headline_values(d) == std::vector<double>{4, 6.5});

  protocol::chart_data v;
  v.labels = {"a", "b"};
  v.values = {3, 4};
  CHECK(headline_values(v) == std::vector<double>{3, 4});

  protocol::chart_data pts;
  pts.points = {{1, 10, std::nullopt}, {2, 20, std::nullopt}};
  CHECK(headline_values(pts) == std::vector<double>{10, 20});

  protocol::chart_data candles;
  candles.candles = {{"d1", 1, 3, 0.5, 2}, {"d2", 2, 4, 1, 3}};
  CHECK(headline_values(candles) == std::vector<double>{2, 3});

  protocol::chart_data groups;
  groups.groups = {{"a", {1, 2}}, {"b", {3}}};
  CHECK(headline_values(groups) == std::vector<double>{1, 2, 3});

  protocol::chart_data matrix;
  matrix.matrix = {{1, 2}, {3, 4}};
  CHECK(headline_values(matrix) == std::vector<double>{1, 2, 3, 4});

  CHECK(headline_values(protocol::chart_data{}).empty());
}
