#include <doctest/doctest.h>

#include <string>

#include "gateway/http_routes.hpp"

using aw::gateway::history_route;
using aw::gateway::parse_history_route;
using kind = history_route::kind;

TEST_CASE("conversation and message routes parse, with defaults") {
  auto c = parse_history_route("/conversations/alice", "");
  REQUIRE(c);
  CHECK(c->what == kind::conversations);
  CHECK(c->user_id == "alice");
  CHECK(c->limit == 50);
  CHECK(!c->before_ms);
  auto m =
      parse_history_route("/conversations/u%40x/conv-1/messages", "limit=200&before=1732233600123");
  REQUIRE(m);
  CHECK(m->what == kind::messages);
  CHECK(m->user_id == "u@x");
  CHECK(m->conversation_id == "conv-1");
  CHECK(m->limit == 200);
  REQUIRE(m->before_ms);
  CHECK(*m->before_ms == 1732233600123);
  CHECK(m->before_id.empty());
  auto tie = parse_history_route("/conversations/a", "before=5&before_id=conv%3A7");
  REQUIRE(tie);
  CHECK(tie->before_id == "conv:7");
  CHECK(parse_history_route("/conversations/a", "limit=1&other=x")->limit == 1);
}

TEST_CASE("other paths are not history routes (404)") {
  for (const char* path :
       {"/conversation/a", "/conversations", "/conversations/a/", "/conversations/a/b",
        "/conversations/a/b/msgs", "/conversations/a/b/messages/x", "/conversations/a/b/messages/",
        "/health"})
    CHECK_MESSAGE(parse_history_route(path, "")->what == kind::none, path);
}

TEST_CASE("bad ids, limits and cursors are 400 with a reason") {
  struct bad_case {
    const char* path;
    const char* query;
    const char* says;
  };
  for (auto c :
       {bad_case{"/conversations/", "", "user_id"}, bad_case{"/conversations/a%20b", "", "user_id"},
        bad_case{"/conversations/a%2Fb", "", "user_id"},
        bad_case{"/conversations/a%zz", "", "user_id"},
        bad_case{"/conversations/a/b%00/messages", "", "conversation_id"},
        bad_case{"/conversations/a/%2E%2E%2F/messages", "", "conversation_id"},
        bad_case{"/conversations/a", "limit=0", "limit"},
        bad_case{"/conversations/a", "limit=201", "limit"},
        bad_case{"/conversations/a", "limit=-1", "limit"},
        bad_case{"/conversations/a", "limit=abc", "limit"},
        bad_case{"/conversations/a", "limit=", "limit"},
        bad_case{"/conversations/a", "limit=99999999999999999999", "limit"},
        bad_case{"/conversations/a", "before=-5", "before"},
        bad_case{"/conversations/a", "before=1e9", "before"},
        bad_case{"/conversations/a", "before=1234567890123456", "before"},
        bad_case{"/conversations/a", "before_id=x", "before_id needs before"},
        bad_case{"/conversations/a", "before=5&before_id=", "before_id"},
        bad_case{"/conversations/a", "before=5&before_id=a%20b", "before_id"},
        bad_case{"/conversations/a", "limit=%zz", "query"}}) {
    auto r = parse_history_route(c.path, c.query);
    REQUIRE_MESSAGE(!r, c.path, " ", c.query);
    CHECK(r.code() == aw::protocol::error_code::validation_failed);
    CHECK_MESSAGE(r.message().find(c.says) != std::string::npos, c.path, " ", c.query, " -> ",
                  r.message());
  }
  std::string long_id(129, 'a');
  CHECK(!parse_history_route("/conversations/" + long_id, "").ok());
  CHECK(parse_history_route("/conversations/" + std::string(128, 'a'), "").ok());
}

TEST_CASE("chart ids in paths") {
  using aw::gateway::chart_id_from_path;
  CHECK(chart_id_from_path("/charts/ch-1-abc_9") == "ch-1-abc_9");
  CHECK(chart_id_from_path("/charts/../etc/passwd").empty());
  CHECK(chart_id_from_path("/charts/a.png").empty());
  CHECK(chart_id_from_path("/charts/").empty());
  CHECK(chart_id_from_path("/chart/x").empty());
}
