// The same checks against both backends: what a write stores and what the
// reads give back.
#include "store_test_support.hpp"

using namespace aw;
using namespace aw::test;
using store::history_write;
using store::page;

TEST_CASE_TEMPLATE("a started and a completed write make one message", B, sqlite_backend,
                   postgres_backend) {
  B backend;
  auto s = backend.open();
  s->write({started("alice", "conv-1", "run-1", t0, "Show revenue")});
  auto before = s->messages("alice", "conv-1", page{});
  REQUIRE(before);
  REQUIRE(before->size() == 1);
  CHECK(before->at(0).run_id == "run-1");
  CHECK(before->at(0).correlation_id == "c-run-1");
  CHECK(before->at(0).message_id == "m-run-1");
  CHECK(before->at(0).created_ms == t0);
  CHECK(before->at(0).request_json == R"({"content":"Show revenue","format":"png"})");
  CHECK(before->at(0).status.empty());  // still going
  CHECK(before->at(0).response_json.empty());
  CHECK(before->at(0).completed_ms == 0);

  s->write({completed("alice", "conv-1", "run-1", t0 + 250, "success",
                      R"({"status":"success","response":{"chart_url":"/charts/x"}})")});
  auto after = s->messages("alice", "conv-1", page{});
  REQUIRE(after);
  REQUIRE(after->size() == 1);
  CHECK(after->at(0).created_ms == t0);
  CHECK(after->at(0).request_json == R"({"content":"Show revenue","format":"png"})");
  CHECK(after->at(0).status == "success");
  CHECK(after->at(0).response_json ==
        R"({"status":"success","response":{"chart_url":"/charts/x"}})");
  CHECK(after->at(0).completed_ms == t0 + 250);

  auto convs = s->conversations("alice", page{});
  REQUIRE(convs.size() == 1);
  CHECK(convs[0].conversation_id == "conv-1");
  CHECK(convs[0].title == "Show revenue");
  CHECK(convs[0].created_ms == t0);
  CHECK(convs[0].updated_ms == t0 + 250);
  CHECK(convs[0].message_count == 1);
  CHECK(std::string(s->backend()) == doctest::toString<B>().c_str());
  CHECK(s->ping());
}

TEST_CASE_TEMPLATE("one batch of many rows is written in one call", B, sqlite_backend,
                   postgres_backend) {
  B backend;
  auto s = backend.open();
  std::vector<history_write> batch;
  for (int i = 0; i < 150; ++i) {
    batch.push_back(
        started("bob", "conv-" + std::to_string(i % 3), "run-" + std::to_string(i), t0 + i));
    batch.push_back(
        completed("bob", "conv-" + std::to_string(i % 3), "run-" + std::to_string(i), t0 + i + 1));
  }
  s->write(batch);
  auto convs = s->conversations("bob", page{});
  REQUIRE(convs.size() == 3);
  for (const auto& c : convs) CHECK(c.message_count == 50);
}

TEST_CASE_TEMPLATE("a user sees only their own conversations and messages", B, sqlite_backend,
                   postgres_backend) {
  B backend;
  auto s = backend.open();
  s->write({started("alice", "shared-name", "run-a", t0, "alice's question"),
            started("bob", "shared-name", "run-b", t0 + 1, "bob's question"),
            started("bob", "bob-only", "run-c", t0 + 2)});
  auto alice = s->conversations("alice", page{});
  REQUIRE(alice.size() == 1);
  CHECK(alice[0].title == "alice's question");
  CHECK(alice[0].message_count == 1);
  auto alice_msgs = s->messages("alice", "shared-name", page{});
  REQUIRE(alice_msgs);
  REQUIRE(alice_msgs->size() == 1);
  CHECK(alice_msgs->at(0).run_id == "run-a");
  CHECK_FALSE(s->messages("alice", "bob-only", page{}));
  CHECK(s->conversations("bob", page{}).size() == 2);
  CHECK(s->conversations("carol", page{}).empty());
  // A completed write under another user's name does not touch alice's run.
  s->write({completed("mallory", "shared-name", "run-a", t0 + 5, "error")});
  auto still = s->messages("alice", "shared-name", page{});
  REQUIRE(still);
  CHECK(still->at(0).status.empty());
}

TEST_CASE_TEMPLATE("an unknown conversation gives nullopt", B, sqlite_backend, postgres_backend) {
  B backend;
  auto s = backend.open();
  CHECK_FALSE(s->messages("alice", "nope", page{}));
  s->write({started("alice", "conv-1", "run-1", t0)});
  CHECK_FALSE(s->messages("alice", "nope", page{}));
  CHECK_FALSE(s->messages("alice", "", page{}));
  auto known = s->messages("alice", "conv-1", page{});
  REQUIRE(known);
  // A known conversation with nothing before the cursor is an empty page, not nullopt.
  auto empty = s->messages("alice", "conv-1", page{50, t0, ""});
  REQUIRE(empty);
  CHECK(empty->empty());
}

TEST_CASE_TEMPLATE("a completed write that comes before its started write is kept", B,
                   sqlite_backend, postgres_backend) {
  B backend;
  auto s = backend.open();
  s->write(
      {completed("alice", "conv-1", "run-1", t0 + 900, "cancelled", R"({"status":"cancelled"})")});
  auto early = s->messages("alice", "conv-1", page{});
  REQUIRE(early);
  REQUIRE(early->size() == 1);
  CHECK(early->at(0).status == "cancelled");
  CHECK(early->at(0).request_json == "{}");

  s->write({started("alice", "conv-1", "run-1", t0, "late start")});
  auto both = s->messages("alice", "conv-1", page{});
  REQUIRE(both);
  REQUIRE(both->size() == 1);
  CHECK(both->at(0).created_ms == t0);
  CHECK(both->at(0).request_json == R"({"content":"late start","format":"png"})");
  CHECK(both->at(0).status == "cancelled");
  CHECK(both->at(0).response_json == R"({"status":"cancelled"})");
  CHECK(both->at(0).completed_ms == t0 + 900);
  auto convs = s->conversations("alice", page{});
  REQUIRE(convs.size() == 1);
  CHECK(convs[0].title == "late start");
  CHECK(convs[0].created_ms == t0);
  CHECK(convs[0].updated_ms == t0 + 900);
}

TEST_CASE_TEMPLATE("unicode and quotes and bad bytes in text", B, sqlite_backend,
                   postgres_backend) {
  B backend;
  auto s = backend.open();
  std::string content = "Umsatz 2024 — «Q1» 日本語 🚀 it's \"quoted\" ; DROP TABLE x; --";
  s->write({started("zoë", "kõne'1", "run-1", t0, content)});
  auto convs = s->conversations("zoë", page{});
  REQUIRE(convs.size() == 1);
  CHECK(convs[0].conversation_id == "kõne'1");
  CHECK(convs[0].title == content);
  auto msgs = s->messages("zoë", "kõne'1", page{});
  REQUIRE(msgs);
  REQUIRE(msgs->size() == 1);
  CHECK(msgs->at(0).request_json.find("日本語 🚀") != std::string::npos);

  // Invalid UTF-8 and NUL bytes are cleaned alike by both backends, not refused.
  history_write odd = started("u\xff", std::string("c\0x", 3), "run-2", t0 + 1);
  s->write({odd});
  auto cleaned = s->conversations("u\xEF\xBF\xBD", page{});
  REQUIRE(cleaned.size() == 1);
  CHECK(cleaned[0].conversation_id == "cx");
}

TEST_CASE_TEMPLATE("the title is the first request's content cut to 200 bytes", B, sqlite_backend,
                   postgres_backend) {
  B backend;
  auto s = backend.open();
  std::string long_content;
  for (int i = 0; i < 150; ++i) long_content += "é";  // 2 bytes each: 300 bytes
  s->write({started("alice", "conv-1", "run-2", t0 + 10, "the second request")});
  s->write({started("alice", "conv-1", "run-1", t0, long_content)});
  auto convs = s->conversations("alice", page{});
  REQUIRE(convs.size() == 1);
  CHECK(convs[0].title.size() == 200);
  CHECK(convs[0].title == long_content.substr(0, 200));
  CHECK(convs[0].message_count == 2);
  CHECK(convs[0].created_ms == t0);
  CHECK(convs[0].updated_ms == t0 + 10);
}
