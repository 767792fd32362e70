#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "gateway/agui_resume.hpp"

using aw::gateway::agui_cursor;
using aw::gateway::agui_cursor_counter;
using aw::gateway::agui_event_log;
using aw::gateway::parse_agui_cursor;

TEST_CASE("a cursor is seq.index and reads back, anything else is refused") {
  agui_cursor c{42, 3};
  CHECK(aw::gateway::to_string(c) == "42.3");
  REQUIRE(parse_agui_cursor("42.3"));
  CHECK(*parse_agui_cursor("42.3") == c);
  CHECK(*parse_agui_cursor("18446744073709551615.4294967295") ==
        agui_cursor{18446744073709551615ull, 4294967295u});
  for (const char* bad : {"", "42", "42.", ".3", "-1.0", "1.-1", " 1.0", "1.0 ", "1.2.3", "a.b",
                          "18446744073709551616.0", "1.4294967296", "1e3.0"})
    CHECK_MESSAGE(!parse_agui_cursor(bad), bad);
  CHECK(!parse_agui_cursor(std::string(40, '1')));
}

TEST_CASE("cursors: a new seq starts at index 0, events without one take the next index") {
  agui_cursor_counter n;
  CHECK(n.next(5) == agui_cursor{5, 0});  // RUN_STARTED
  CHECK(n.next(5) == agui_cursor{5, 1});  // MESSAGES_SNAPSHOT of the same frame
  CHECK(n.next(6) == agui_cursor{6, 0});
  CHECK(n.next(9) == agui_cursor{9, 0});
  CHECK(n.next(9) == agui_cursor{9, 1});
  CHECK(n.next(0) == agui_cursor{9, 2});  // a RUN_ERROR of the server's own
  CHECK(n.next(3) == agui_cursor{9, 3});  // never backwards
  agui_cursor_counter refused;
  CHECK(refused.next(0) == agui_cursor{0, 0});
  // Strictly increasing whatever comes.
  agui_cursor_counter m;
  agui_cursor prev = m.next(1);
  for (std::uint64_t s : {1u, 2u, 0u, 2u, 7u, 7u, 0u, 3u}) {
    agui_cursor c = m.next(s);
    CHECK(prev < c);
    prev = c;
  }
}

TEST_CASE("the event log replays exactly the events after a cursor") {
  agui_event_log log(1 << 20);
  agui_cursor_counter n;
  std::vector<agui_cursor> all;
  for (std::uint64_t seq : {1u, 1u, 2u, 3u, 3u, 3u, 4u}) {
    all.push_back(n.next(seq));
    log.append(all.back(), "e" + aw::gateway::to_string(all.back()));
  }
  auto after = [&](std::optional<agui_cursor> c) {
    std::vector<std::string> got;
    log.for_each_after(c, [&](const agui_event_log::entry& e) { got.push_back(e.json); });
    return got;
  };
  CHECK(after(std::nullopt).size() == all.size());
  CHECK(after(agui_cursor{3, 1}) == std::vector<std::string>{"e3.2", "e4.0"});
  CHECK(after(agui_cursor{4, 0}).empty());
  // Whatever the cut, what was read plus the replay is every event once, in order.
  for (std::size_t cut = 0; cut < all.size(); ++cut) {
    std::vector<std::string> seen;
    for (std::size_t i = 0; i <= cut; ++i) seen.push_back("e" + aw::gateway::to_string(all[i]));
    for (auto& e : after(all[cut])) seen.push_back(e);
    REQUIRE(seen.size() == all.size());
    for (std::size_t i = 0; i < all.size(); ++i)
      CHECK(seen[i] == "e" + aw::gateway::to_string(all[i]));
  }
  CHECK(log.holds_after(std::nullopt));
}

TEST_CASE("the event log stays within its bytes and says when a cursor is too old") {
  agui_event_log log(1000);
  agui_cursor_counter n;
  std::vector<agui_cursor> all;
  for (std::uint64_t seq = 1; seq <= 50; ++seq) {
    all.push_back(n.next(seq));
    log.append(all.back(), std::string(100, 'x'));
    CHECK(log.bytes() <= 1000);
  }
  CHECK(log.size() < 50);
  CHECK(log.size() >= 7);
  CHECK(!log.holds_after(std::nullopt));
  CHECK(!log.holds_after(all[0]));
  std::size_t first_held = all.size() - log.size();
  CHECK(!log.holds_after(all[first_held - 2]));
  CHECK(log.holds_after(all[first_held - 1]));  // the last one dropped was already read
  CHECK(log.holds_after(all.back()));
  // One event larger than the whole budget is still kept (a run's last word).
  agui_event_log big(10);
  big.append({1, 0}, std::string(100, 'y'));
  CHECK(big.size() == 1);
  CHECK(big.drop_oldest() > 100);
  CHECK(big.bytes() == 0);
}

TEST_CASE("SSE framing with the cursor as id") {
  CHECK(aw::gateway::sse_event({7, 2}, R"({"type":"RUN_STARTED"})") ==
        "id: 7.2\ndata: {\"type\":\"RUN_STARTED\"}\n\n");
}
