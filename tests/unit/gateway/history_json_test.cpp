#include <doctest/doctest.h>

#include <rapidjson/document.h>

#include "actors/chart_store.hpp"
#include "gateway/history_json.hpp"
#include "gateway/http_routes.hpp"

using namespace aw;
using namespace aw::gateway;

namespace {

rapidjson::Document parse(const std::string& s) {
  rapidjson::Document d;
  d.Parse(s.c_str());
  REQUIRE_MESSAGE(!d.HasParseError(), s);
  return d;
}

store::message_record message(const std::string& run, std::int64_t at, bool done) {
  store::message_record m;
  m.run_id = run;
  m.correlation_id = "c-" + run;
  m.created_ms = at;
  m.request_json = R"({"content":"Show revenue","chart_preference":null})";
  if (done) {
    m.status = "success";
    m.response_json =
        R"({"status":"success","duration_ms":15,"response":{"success":true,"chart_url":"/charts/ch-1"}})";
    m.completed_ms = at + 15;
  }
  return m;
}

}  // namespace

TEST_CASE("conversations: fields, RFC 3339 times, and the cursor from the extra row") {
  std::vector<store::conversation_summary> rows(3);
  for (int i = 0; i < 3; ++i) {
    rows[i].conversation_id = "conv-" + std::to_string(i);
    rows[i].title = "Show \"quoted\" revenue";
    rows[i].created_ms = 1732233600000 - i * 1000;
    rows[i].updated_ms = 1732233600123 - i * 1000;
    rows[i].message_count = 2;
  }
  auto d = parse(conversations_json("alice", rows, 2, 3));
  CHECK(std::string(d["user_id"].GetString()) == "alice");
  REQUIRE(d["conversations"].Size() == 2);
  const auto& c = d["conversations"][0];
  CHECK(std::string(c["conversation_id"].GetString()) == "conv-0");
  CHECK(std::string(c["title"].GetString()) == "Show \"quoted\" revenue");
  CHECK(std::string(c["updated_at"].GetString()) == "2024-11-22T00:00:00.123Z");
  CHECK(c["message_count"].GetInt64() == 2);
  CHECK(d["next_before"].GetInt64() == rows[1].updated_ms);
  CHECK(std::string(d["next_before_id"].GetString()) == "conv-1");
  // No extra row: the last page.
  auto last = parse(conversations_json("alice", {rows[0]}, 2, 3));
  CHECK(last["next_before"].IsNull());
  CHECK(last["next_before_id"].IsNull());
  auto none = parse(conversations_json("bob", {}, 50, 51));
  CHECK(none["conversations"].Size() == 0);
  CHECK(none["next_before"].IsNull());
  // limit 200 is fetched as 200 (the store's cap): a full page may have more.
  std::vector<store::conversation_summary> full(200, rows[0]);
  CHECK(parse(conversations_json("a", full, 200, 200))["next_before"].IsInt64());
}

TEST_CASE("messages: oldest first, the extra (oldest) row dropped, running runs have nulls") {
  std::vector<store::message_record> rows{message("r1", 1000, true), message("r2", 2000, true),
                                          message("r3", 3000, false)};
  auto d = parse(messages_json("alice", "conv-1", rows, 2, 3));
  CHECK(std::string(d["conversation_id"].GetString()) == "conv-1");
  REQUIRE(d["messages"].Size() == 2);
  const auto& first = d["messages"][0];
  CHECK(std::string(first["run_id"].GetString()) == "r2");
  CHECK(first["message_id"].IsNull());
  CHECK(std::string(first["request"]["content"].GetString()) == "Show revenue");
  CHECK(std::string(first["status"].GetString()) == "success");
  CHECK(first["response"]["success"].GetBool());
  CHECK(first["error"].IsNull());
  CHECK(first["duration_ms"].GetInt() == 15);
  CHECK(std::string(first["completed_at"].GetString()) == "1970-01-01T00:00:02.015Z");
  const auto& running = d["messages"][1];
  CHECK(running["status"].IsNull());
  CHECK(running["response"].IsNull());
  CHECK(running["completed_at"].IsNull());
  CHECK(running["error"].IsNull());
  CHECK(d["next_before"].GetInt64() == 2000);
  CHECK(std::string(d["next_before_id"].GetString()) == "r2");
}

TEST_CASE("a failed run lists its error and no response, a bare response is listed as is") {
  auto failed = message("r1", 1000, true);
  failed.status = "error";
  failed.response_json =
      R"({"status":"error","duration_ms":7,"error":{"code":"RENDER_FAILED","message":"x"}})";
  auto bare = message("r2", 2000, true);
  bare.response_json = R"({"success":true,"chart_url":"/charts/ch-2"})";
  auto d = parse(messages_json("u", "c", {failed, bare}, 50, 51));
  CHECK(d["messages"][0]["response"].IsNull());
  CHECK(std::string(d["messages"][0]["error"]["code"].GetString()) == "RENDER_FAILED");
  CHECK(d["messages"][0]["duration_ms"].GetInt() == 7);
  CHECK(std::string(d["messages"][1]["response"]["chart_url"].GetString()) == "/charts/ch-2");
  CHECK(d["messages"][1]["error"].IsNull());
}

TEST_CASE("stored JSON that does not parse is shown as null, and the answer stays JSON") {
  auto m = message("r1", 1000, true);
  m.request_json = "{not json";
  m.response_json = "]";
  auto d = parse(messages_json("u", "c", {m}, 50, 51));
  CHECK(d["messages"][0]["request"].IsNull());
  CHECK(d["messages"][0]["response"].IsNull());
  CHECK(d["next_before"].IsNull());
}

TEST_CASE("chart answers: owner check, cache headers, ETag and 304") {
  actors::stored_chart chart{"alice", "image/png", std::make_shared<const std::string>("PNG")};
  auto ok = chart_answer("ch-1", &chart, "", "");
  CHECK(ok.status == 200);
  CHECK(ok.content_type == "image/png");
  CHECK(ok.body == "PNG");
  bool cache = false, etag = false;
  for (const auto& [k, v] : ok.headers) {
    if (k == "Cache-Control") cache = v == "private, max-age=86400, immutable";
    if (k == "ETag") etag = v == "\"ch-1\"";
  }
  CHECK(cache);
  CHECK(etag);
  CHECK(chart_answer("ch-1", &chart, "alice", "").status == 200);
  CHECK(chart_answer("ch-1", &chart, "bob", "").status == 404);
  CHECK(chart_answer("ch-1", nullptr, "", "").status == 404);
  auto same = chart_answer("ch-1", &chart, "", "\"ch-1\"");
  CHECK(same.status == 304);
  CHECK(same.body.empty());
  CHECK(chart_answer("ch-1", &chart, "", "\"ch-2\"").status == 200);
}

TEST_CASE("health: degraded when the store is down or no render worker is up") {
  health_figures h;
  h.store_up = true;
  h.render_workers = 2;
  h.render_workers_up = 1;
  CHECK(health_status(h) == "healthy");
  auto d = parse(health_json(h));
  CHECK(std::string(d["status"].GetString()) == "healthy");
  CHECK(d["render_pool"]["workers"].GetInt() == 2);
  CHECK(d["store"]["up"].GetBool());
  h.render_workers_up = 0;
  CHECK(health_status(h) == "degraded");
  h.render_workers_up = 2;
  h.store_up = false;
  CHECK(health_status(h) == "degraded");
  h.store_up = true;
  h.render_workers = 0;  // no local pool (cluster gateway): nothing to judge
  h.render_workers_up = 0;
  CHECK(health_status(h) == "healthy");
}

TEST_CASE("chart answers: nosniff always, and an SVG gets a sandboxing CSP") {
  auto header = [](const http_answer& a, const std::string& name) {
    for (const auto& [k, v] : a.headers)
      if (k == name) return v;
    return std::string();
  };
  actors::stored_chart png{"alice", "image/png", std::make_shared<const std::string>("PNG")};
  auto p = chart_answer("ch-1", &png, "", "");
  CHECK(header(p, "X-Content-Type-Options") == "nosniff");
  CHECK(header(p, "Content-Security-Policy").empty());
  actors::stored_chart svg{"alice", "image/svg+xml", std::make_shared<const std::string>("<svg/>")};
  auto s = chart_answer("ch-2", &svg, "", "");
  CHECK(header(s, "X-Content-Type-Options") == "nosniff");
  CHECK(header(s, "Content-Security-Policy") ==
        "default-src 'none'; style-src 'unsafe-inline'; sandbox");
}

TEST_CASE("messages: a page is bounded in bytes, the rows left out are the next page") {
  std::vector<store::message_record> rows;
  const std::string big(1u << 20, 'x');  // about 1 MiB of request per row
  for (int i = 0; i < 10; ++i) {
    auto m = message("r" + std::to_string(i), 1000 + i, true);
    m.request_json = R"({"content":")" + big + R"("})";
    rows.push_back(m);
  }
  auto body = messages_json("u", "c", rows, 10, 10);
  CHECK(body.size() <= history_page_max_bytes + (1u << 20));
  auto d = parse(body);
  auto n = d["messages"].Size();
  CHECK(n >= 1);
  CHECK(n < 10);
  // The newest rows are listed, and the cursor is the oldest listed one.
  CHECK(std::string(d["messages"][n - 1]["run_id"].GetString()) == "r9");
  std::string first = d["messages"][0]["run_id"].GetString();
  CHECK(first == "r" + std::to_string(10 - n));
  CHECK(std::string(d["next_before_id"].GetString()) == first);
  // One row larger than the budget is still listed on its own.
  auto huge = message("h", 5, true);
  huge.request_json = R"({"content":")" + std::string(history_page_max_bytes + 10, 'y') + R"("})";
  auto one = parse(messages_json("u", "c", {huge}, 50, 51));
  CHECK(one["messages"].Size() == 1);
  CHECK(one["next_before"].IsNull());
}
