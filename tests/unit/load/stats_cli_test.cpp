// Percentile math, the histogram, timestamps and the command line of the
// load harness.
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "load/cli.hpp"
#include "load/ramp_mode.hpp"
#include "load/stats.hpp"
#include "load/timestamp.hpp"

using namespace aw::load;

TEST_CASE("nearest-rank percentiles on known arrays") {
  std::vector<double> v;
  for (int i = 1; i <= 100; ++i) v.push_back(i);
  CHECK(percentile(v, 0.50) == 50);
  CHECK(percentile(v, 0.95) == 95);
  CHECK(percentile(v, 0.99) == 99);
  CHECK(percentile(v, 1.0) == 100);
  CHECK(percentile(v, 0.0) == 1);
  CHECK(percentile({}, 0.5) == 0);
  CHECK(percentile({7}, 0.99) == 7);
  CHECK(percentile({5, 1, 4, 2, 3}, 0.5) == 3);  // unsorted input
  CHECK(percentile({1, 2, 3, 4}, 0.5) == 2);     // ceil(2) - 1 = index 1
  auto s = summarize({10, 20, 30, 40});
  CHECK(s.n == 4);
  CHECK(s.p50 == 20);
  CHECK(s.p95 == 40);
  CHECK(s.max == 40);
  CHECK(s.mean == doctest::Approx(25));
}

TEST_CASE("the CDF ends at 1 and is monotonic") {
  std::vector<double> v;
  for (int i = 0; i < 1000; ++i) v.push_back(1000 - i);
  auto c = cdf(v, 50);
  REQUIRE(c.size() == 50);
  CHECK(c.front().first == 1);
  CHECK(c.back().first == 1000);
  CHECK(c.back().second == doctest::Approx(1.0));
  for (std::size_t i = 1; i < c.size(); ++i) CHECK(c[i].second >= c[i - 1].second);
}

TEST_CASE("log histogram quantiles are within one bucket") {
  log_histogram h(0.1, 1e5, 20);
  for (int i = 1; i <= 1000; ++i) h.add(i);
  CHECK(h.count() == 1000);
  double p99 = h.quantile(0.99);
  CHECK(p99 >= 990);
  CHECK(p99 <= 990 * 1.13);
  log_histogram g(0.1, 1e5, 20);
  g.merge(h);
  CHECK(g.quantile(0.5) == h.quantile(0.5));
  CHECK(log_histogram().quantile(0.5) == 0);
}

TEST_CASE("per-second folding") {
  auto s = per_second({{0.1, 10}, {0.9, 20}, {1.5, 5}, {3.2, 7}}, 4);
  REQUIRE(s.size() == 4);
  CHECK(s[0].count == 2);
  CHECK(s[0].p99 == 20);
  CHECK(s[1].count == 1);
  CHECK(s[2].count == 0);
  CHECK(s[3].p99 == 7);
}

TEST_CASE("RFC 3339 millisecond timestamps") {
  auto t = parse_rfc3339_ms("1970-01-01T00:00:01.250Z");
  REQUIRE(t);
  CHECK(*t == 1250);
  CHECK(parse_rfc3339_ms("2026-11-21T10:30:00.123Z").has_value());
  CHECK_FALSE(parse_rfc3339_ms("2026-11-21T10:30:00Z"));
  CHECK_FALSE(parse_rfc3339_ms("2026-11-21 10:30:00.123Z"));
  CHECK_FALSE(parse_rfc3339_ms("2026-13-21T10:30:00.123Z"));
}

namespace {
aw::result<options> parse(std::vector<std::string> a) {
  return parse_args(a);
}
}  // namespace

TEST_CASE("CLI: a good run command and its defaults") {
  auto r = parse({"run", "--url", "ws://127.0.0.1:8080/ws", "--users", "50", "--requests", "4"});
  REQUIRE(r);
  CHECK(r->what == mode::run);
  CHECK(r->users == 50);
  CHECK(r->conns_per_user == 1);
  CHECK(r->concurrency == 1);
  CHECK(r->chart == "bar_chart_vertical");
  CHECK(r->width == 800);
  CHECK(r->height == 500);
  CHECK(r->duration_max_s == 120);
  CHECK(r->threads == 2);
  auto m = parse({"run", "--url=ws://h:1/ws", "--chart", "mixed", "--server-pid", "42"});
  REQUIRE(m);
  CHECK(m->chart == "mixed");
  CHECK(m->server_pid == 42);
  auto i = parse({"idle", "--url", "ws://h:1/ws", "--connections", "100", "--hold", "2.5"});
  REQUIRE(i);
  CHECK(i->connections == 100);
  CHECK(i->hold_s == 2.5);
}

TEST_CASE("CLI: parse errors are clear") {
  auto err = [](std::vector<std::string> a) {
    auto r = parse_args(a);
    REQUIRE_FALSE(r);
    CHECK(r.code() == aw::protocol::error_code::validation_failed);
    return r.message();
  };
  CHECK(err({}).find("missing mode") != std::string::npos);
  CHECK(err({"walk"}).find("unknown mode 'walk'") != std::string::npos);
  CHECK(err({"run", "--users", "5"}).find("missing --url") != std::string::npos);
  CHECK(err({"run", "--url", "http://x/ws"}).find("must start with ws://") != std::string::npos);
  CHECK(err({"run", "--url", "ws://h/ws", "--users"}).find("needs a value") != std::string::npos);
  CHECK(err({"run", "--url", "ws://h/ws", "--users", "ten"}).find("bad value 'ten' for --users") !=
        std::string::npos);
  CHECK(err({"run", "--url", "ws://h/ws", "--users", "0"}).find("--users") != std::string::npos);
  CHECK(err({"run", "--url", "ws://h/ws", "--width", "100"}).find("200..4000") !=
        std::string::npos);
  CHECK(err({"run", "--url", "ws://h/ws", "--chart", "pie"}).find("bad --chart 'pie'") !=
        std::string::npos);
  CHECK(err({"run", "--url", "ws://h/ws", "--hold", "3"}).find("unknown option '--hold'") !=
        std::string::npos);
  CHECK(err({"idle", "--url", "ws://h/ws", "--users", "3"}).find("unknown option") !=
        std::string::npos);
  CHECK(err({"ramp", "--url", "ws://h/ws", "--metric", "x"}).find("bad --metric") !=
        std::string::npos);
  CHECK(err({"ramp", "--url", "ws://h/ws", "--start", "500", "--max-users", "100"})
            .find("above --max-users") != std::string::npos);
}

TEST_CASE("ramp stops at the first step over the limit and reports the last one under it") {
  options o;
  o.what = mode::ramp;
  o.url = "ws://h/ws";
  o.start = 10;
  o.step = 10;
  o.max_users = 100;
  o.p95_limit_ms = 50;
  std::vector<int> seen;
  auto rr = ramp_load(
      o,
      [&](const options& so) {
        seen.push_back(so.users);
        run_result r;
        r.to_event_ms[0] = std::vector<double>(20, so.users * 1.5);  // 10->15ms ... 40->60ms
        return r;
      },
      nullptr);
  CHECK(seen == std::vector<int>{10, 20, 30, 40});
  CHECK(rr.best_users == 30);
  CHECK_FALSE(rr.failed);
}
