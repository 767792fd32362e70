#include <doctest/doctest.h>

#include "llm/rate_window.hpp"

using aw::llm::rate_window;
using std::chrono::seconds;

TEST_CASE("rate_window: spends up to the limit in a window, then room comes as entries leave") {
  auto t0 = rate_window::clock::time_point{} + seconds(1000);
  rate_window w(3, seconds(60));
  CHECK(w.room_at(t0, 1) == t0);
  w.spend(t0, 1);
  w.spend(t0 + seconds(10), 1);
  w.spend(t0 + seconds(20), 1);
  CHECK(w.spent(t0 + seconds(30)) == 3);
  // Full: the first spend leaves the window at t0 + 60 s.
  CHECK(w.room_at(t0 + seconds(30), 1) == t0 + seconds(60));
  // Two more need the second to leave too.
  CHECK(w.room_at(t0 + seconds(30), 2) == t0 + seconds(70));
  CHECK(w.spent(t0 + seconds(61)) == 2);
  CHECK(w.room_at(t0 + seconds(61), 1) == t0 + seconds(61));
}

TEST_CASE("rate_window: an amount over the limit on its own never fits, no limit always fits") {
  auto t0 = rate_window::clock::time_point{} + seconds(1000);
  rate_window w(100);
  CHECK(w.room_at(t0, 101) == rate_window::clock::time_point::max());
  rate_window open(0);
  open.spend(t0, 1000000);
  CHECK(open.room_at(t0, 1000000) == t0);
}
