#include <doctest/doctest.h>

#include "llm/partial_batcher.hpp"
#include "llm/retry_policy.hpp"

using namespace aw::llm;
using std::chrono::milliseconds;

TEST_CASE("retry: 429, 5xx and transport errors retry, other 4xx do not") {
  CHECK(retryable({429, false, {}}));
  CHECK(retryable({500, false, {}}));
  CHECK(retryable({503, false, {}}));
  CHECK(retryable({0, true, {}}));
  CHECK(retryable({200, true, {}}));  // stream cut short
  CHECK_FALSE(retryable({400, false, {}}));
  CHECK_FALSE(retryable({401, false, {}}));
  CHECK_FALSE(retryable({404, false, {}}));
}

TEST_CASE("retry: exponential backoff with equal jitter, capped") {
  retry_policy p;
  p.base = milliseconds(500);
  p.cap = milliseconds(4000);
  attempt_outcome o{503, false, {}};
  p.jitter = [] { return 0.0; };
  CHECK(p.delay(1, o) == milliseconds(250));
  CHECK(p.delay(2, o) == milliseconds(500));
  CHECK(p.delay(3, o) == milliseconds(1000));
  CHECK(p.delay(4, o) == milliseconds(2000));
  CHECK(p.delay(5, o) == milliseconds(2000));  // capped at 4000 / 2
  CHECK(p.delay(30, o) == milliseconds(2000));
  p.jitter = [] { return 1.0; };
  CHECK(p.delay(1, o) == milliseconds(500));
  CHECK(p.delay(3, o) == milliseconds(2000));
  CHECK(p.delay(9, o) == milliseconds(4000));
  p.jitter = [] { return 0.5; };
  CHECK(p.delay(2, o) == milliseconds(750));
}

TEST_CASE("retry: Retry-After wins over the backoff, within a cap") {
  retry_policy p;
  p.jitter = [] { return 0.0; };
  CHECK(p.delay(1, {429, false, 1}) == milliseconds(1000));
  CHECK(p.delay(3, {429, false, 0}) == milliseconds(0));
  CHECK(p.delay(1, {429, false, 3600}) == p.retry_after_cap);
}

TEST_CASE("retry: the default jitter stays within the window") {
  retry_policy p;
  for (int i = 0; i < 100; ++i) {
    auto d = p.delay(2, {500, false, {}});
    CHECK(d >= milliseconds(500));
    CHECK(d <= milliseconds(1000));
  }
}

TEST_CASE("batcher: releases by size or by age, never per byte") {
  using clock = partial_batcher::clock;
  auto t0 = clock::time_point{};
  partial_batcher b(10, milliseconds(100), t0);
  CHECK_FALSE(b.add("abc", t0 + milliseconds(1)));
  CHECK_FALSE(b.add("def", t0 + milliseconds(2)));
  auto by_size = b.add("ghijk", t0 + milliseconds(3));
  REQUIRE(by_size);
  CHECK(*by_size == "abcdefghijk");
  CHECK_FALSE(b.add("x", t0 + milliseconds(50)));
  auto by_age = b.add("y", t0 + milliseconds(104));
  REQUIRE(by_age);
  CHECK(*by_age == "xy");
  CHECK_FALSE(b.flush());
  CHECK_FALSE(b.add("z", t0 + milliseconds(105)));
  CHECK(*b.flush() == "z");
}
