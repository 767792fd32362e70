// Pagination, the same against both backends: conversations newest first by
// update time, messages as the newest page before a time listed oldest first.
#include "store_test_support.hpp"

#include <string>
#include <vector>

using namespace aw;
using namespace aw::test;
using store::page;

namespace {

std::vector<std::string> ids(const std::vector<store::conversation_summary>& convs) {
  std::vector<std::string> out;
  for (const auto& c : convs) out.push_back(c.conversation_id);
  return out;
}

std::vector<std::string> ids(const std::vector<store::message_record>& msgs) {
  std::vector<std::string> out;
  for (const auto& m : msgs) out.push_back(m.run_id);
  return out;
}

using strings = std::vector<std::string>;

}  // namespace

TEST_CASE_TEMPLATE("conversations page newest first with limit and before", B, sqlite_backend,
                   postgres_backend) {
  B backend;
  auto s = backend.open();
  // c0..c4 made in order; then c1 gets a newer message and moves to the top.
  for (int i = 0; i < 5; ++i) {
    auto c = "c" + std::to_string(i);
    s->write({started("alice", c, "run-" + c, t0 + i * 100)});
  }
  s->write({completed("alice", "c1", "run-c1", t0 + 1000)});

  CHECK(ids(s->conversations("alice", page{})) == strings{"c1", "c4", "c3", "c2", "c0"});
  auto first = s->conversations("alice", page{2, std::nullopt, ""});
  CHECK(ids(first) == strings{"c1", "c4"});
  auto second = s->conversations("alice", page{2, first.back().updated_ms, ""});
  CHECK(ids(second) == strings{"c3", "c2"});
  auto third = s->conversations("alice", page{2, second.back().updated_ms, ""});
  CHECK(ids(third) == strings{"c0"});
  CHECK(s->conversations("alice", page{2, third.back().updated_ms, ""}).empty());
}

TEST_CASE_TEMPLATE("messages page back in time and list oldest first", B, sqlite_backend,
                   postgres_backend) {
  B backend;
  auto s = backend.open();
  std::vector<store::history_write> batch;
  for (int i = 0; i < 7; ++i)
    batch.push_back(started("alice", "conv", "r" + std::to_string(i), t0 + i * 10));
  s->write(batch);

  auto all = s->messages("alice", "conv", page{});
  REQUIRE(all);
  CHECK(ids(*all) == strings{"r0", "r1", "r2", "r3", "r4", "r5", "r6"});

  auto newest = s->messages("alice", "conv", page{3, std::nullopt, ""});
  REQUIRE(newest);
  CHECK(ids(*newest) == strings{"r4", "r5", "r6"});
  auto older = s->messages("alice", "conv", page{3, newest->front().created_ms, ""});
  REQUIRE(older);
  CHECK(ids(*older) == strings{"r1", "r2", "r3"});
  auto oldest = s->messages("alice", "conv", page{3, older->front().created_ms, ""});
  REQUIRE(oldest);
  CHECK(ids(*oldest) == strings{"r0"});
  auto none = s->messages("alice", "conv", page{3, oldest->front().created_ms, ""});
  REQUIRE(none);
  CHECK(none->empty());
}

TEST_CASE_TEMPLATE("page limits are clamped to 1..200", B, sqlite_backend, postgres_backend) {
  B backend;
  auto s = backend.open();
  std::vector<store::history_write> batch;
  for (int i = 0; i < 205; ++i) {
    batch.push_back(started("alice", "conv", "r" + std::to_string(i), t0 + i));
    batch.push_back(started("alice", "c" + std::to_string(i), "x" + std::to_string(i), t0 + i));
  }
  s->write(batch);
  CHECK(s->conversations("alice", page{0, std::nullopt, ""}).size() == 1);
  CHECK(s->conversations("alice", page{-5, std::nullopt, ""}).size() == 1);
  CHECK(s->conversations("alice", page{100000, std::nullopt, ""}).size() == 200);
  auto msgs = s->messages("alice", "conv", page{100000, std::nullopt, ""});
  REQUIRE(msgs);
  CHECK(msgs->size() == 200);
  CHECK(msgs->front().run_id == "r5");  // the newest 200 of 205
  auto one = s->messages("alice", "conv", page{0, std::nullopt, ""});
  REQUIRE(one);
  REQUIRE(one->size() == 1);
  CHECK(one->front().run_id == "r204");
}

TEST_CASE_TEMPLATE("rows of the same millisecond are neither skipped nor repeated across pages", B,
                   sqlite_backend, postgres_backend) {
  B backend;
  auto s = backend.open();
  std::vector<store::history_write> batch;
  for (int i = 0; i < 7; ++i) {
    auto n = std::to_string(i);
    batch.push_back(started("alice", "conv", "r" + n, t0));  // one millisecond for all
    batch.push_back(started("alice", "c" + n, "x" + n, t0 + 5));
  }
  s->write(batch);

  strings seen;
  page p{3, std::nullopt, ""};
  for (int pages = 0; pages < 10; ++pages) {  // 3 pages; the bound only stops a broken cursor
    auto rows = s->conversations("alice", p);
    auto got = ids(rows);
    seen.insert(seen.end(), got.begin(), got.end());
    if (rows.size() < 3) break;
    p = page{3, rows.back().updated_ms, rows.back().conversation_id};
  }
  CHECK(seen == strings{"c6", "c5", "c4", "c3", "c2", "c1", "c0", "conv"});

  strings runs;
  p = page{3, std::nullopt, ""};
  for (int pages = 0; pages < 10; ++pages) {
    auto rows = s->messages("alice", "conv", p);
    REQUIRE(rows);
    auto got = ids(*rows);
    runs.insert(runs.begin(), got.begin(), got.end());
    if (rows->size() < 3) break;
    p = page{3, rows->front().created_ms, rows->front().run_id};
  }
  CHECK(runs == strings{"r0", "r1", "r2", "r3", "r4", "r5", "r6"});

  // The time alone still means "before that millisecond".
  auto before_time = s->messages("alice", "conv", page{3, t0, ""});
  REQUIRE(before_time);
  CHECK(before_time->empty());
}
