// The typed events' WebSocket encoder writes the very bytes the string
// writers (write_event and the *_data functions) wrote, for every event type:
// the wire does not change with the typed path (protocol/run_event.hpp). The
// *_data functions now wrap the typed encoder, so the literal strings below,
// written by the string writers before they did, are the reference.
#include <limits>
#include <string>

#include "protocol/run_event.hpp"
#include "test_util.hpp"

namespace aw::protocol {
namespace {

const std::string kNasty = "say \"hi\"\n\\ \x01 caf\xc3\xa9 \xff\xfe end";

run_event numbered(event_data data, std::string message_id = "m-1") {
  run_event e;
  e.seq = 42;
  e.event_id = "evt-1a2b3c4d-17";
  e.run = std::make_shared<const run_ids>(
      run_ids{"run-1a2b3c4d-5", "corr \"1\"", "conv-9", std::move(message_id)});
  e.user_id = std::make_shared<const std::string>("alice");
  e.unix_ms = 1795257000123;
  e.data = std::move(data);
  return e;
}

// What the emitter wrote before: the envelope around a serialised data object.
std::string old_frame(const run_event& e, const std::string& data) {
  event_envelope env;
  env.type = e.type();
  env.seq = e.seq;
  env.event_id = e.event_id;
  env.run_id = e.run->run_id;
  env.correlation_id = e.run->correlation_id;
  env.conversation_id = e.run->conversation_id;
  env.user_id = *e.user_id;
  env.message_id = e.run->message_id;
  env.unix_ms = e.unix_ms;
  return write_event(env, data);
}

void check_same(const event_data& data, const std::string& old_data, std::string_view image = {}) {
  for (const char* message_id : {"m-1", ""}) {
    run_event e = numbered(data, message_id);
    std::string frame = write_frame(e, image);
    CHECK(frame == old_frame(e, old_data));
    test::parse_json(frame);  // and it is JSON
  }
  CHECK(write_data(data, image) == old_data);
}

std::shared_ptr<const run_result> sample_result(bool series) {
  auto r = std::make_shared<run_result>();
  r->chart_url = "/charts/ch-1?u=alice";
  r->data.labels = {"Q1", "Q2", kNasty};
  if (series) {
    r->data.series = {{"a", {1, 2.5, -3}}, {"b", {0.1, 1e300, 7}}};
    r->series_stats.resize(2);
    r->series_stats[0].count = 3;
    r->series_stats[1].mean = 0.30000000000000004;
  } else {
    r->data.values = {45000, 52000.5, std::numeric_limits<double>::quiet_NaN()};
    r->data.points = {{1, 2, 3.5}, {4, 5, std::nullopt}};
  }
  r->stats.count = 3;
  r->stats.mean = 51500.1875;
  r->stats.growth_pct = 35.56;
  r->insights = {"up 5%", kNasty};
  r->narrative = "Revenue rose.";
  r->metadata.type = chart_type::line_chart_multi;
  r->metadata.title = kNasty;
  r->metadata.data_source = "synthetic";
  r->metadata.llm_provider = "builtin (fallback)";
  r->metadata.format = series ? image_format::svg : image_format::png;
  r->metadata.generation_time_ms = 1234.5;
  if (series) r->metadata.refined_from = "run-0";
  return r;
}

// The old response writer, fed the same values.
std::string old_response(const run_result& r, const std::string& image) {
  run_response old;
  old.image = &image;
  old.chart_url = r.chart_url;
  old.data = &r.data;
  old.stats = r.stats;
  old.series_stats = r.series_stats;
  old.insights = r.insights;
  old.narrative = r.narrative;
  old.metadata = r.metadata;
  return write_response(old);
}

TEST_CASE("typed agent_started and agent_thinking encode as the string writers did") {
  check_same(started_event{"analytics_agent", kNasty}, started_data("analytics_agent", kNasty));
  check_same(started_event{}, started_data("", ""));
  for (bool partial : {false, true})
    for (double progress : {0.0, 0.05, 0.39, 1.0, std::numeric_limits<double>::infinity()})
      check_same(thinking_event{thinking_stage::writing, kNasty, progress, partial},
                 thinking_data(thinking_stage::writing, kNasty, progress, partial));
  check_same(thinking_event{thinking_stage::analyzing, "", 0.4, false},
             thinking_data(thinking_stage::analyzing, "", 0.4));
}

TEST_CASE("typed tool events encode as the string writers did") {
  const std::string args = R"({"chart_type":"bar_chart_vertical","width":800,"x":1.25})";
  check_same(tool_executing_event{"render_chart", "run-1-call-3", args, 0.6},
             tool_executing_data("render_chart", "run-1-call-3", args, 0.6));
  check_same(tool_executing_event{kNasty, kNasty, "", 0},
             tool_executing_data(kNasty, kNasty, "", 0));
  const std::string result = tool_error_result(error_code::render_failed);
  for (bool success : {true, false})
    check_same(tool_completed_event{"plan_chart", "run-1-call-1", success, 12.75, result},
               tool_completed_data("plan_chart", "run-1-call-1", success, 12.75, result));
  check_same(tool_completed_event{"t", "c", true, 0, ""},
             tool_completed_data("t", "c", true, 0, ""));
}

TEST_CASE("typed agent_completed encodes as the string writers did") {
  for (auto status : {run_status::error, run_status::cancelled, run_status::timeout}) {
    completed_event failed;
    failed.status = status;
    failed.duration_ms = 20.25;
    failed.code = error_code::gateway_lost;
    failed.message = kNasty;
    check_same(failed, completed_failure_data(status, 20.25, error_code::gateway_lost, kNasty));
  }
  const std::string png("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);
  for (bool series : {false, true}) {
    completed_event done;
    done.duration_ms = 1500;
    done.result = sample_result(series);
    std::string old_data = completed_success_data(1500, old_response(*done.result, png));
    check_same(done, old_data, png);
    // The history's form is that data without response.chart.
    auto stored = test::parse_json(write_stored_data(done));
    CHECK_FALSE(stored["response"].HasMember("chart"));
    CHECK(std::string(stored["response"]["chart_url"].GetString()) == done.result->chart_url);
  }
  completed_event empty;  // success without a result: an empty response, as before
  check_same(empty, completed_success_data(0, ""));
}

TEST_CASE("each event type's data, byte for byte as the string writers wrote it") {
  CHECK(
      write_data(started_event{"analytics_agent", "Show \"q\" \xff"}) ==
      "{\"agent\":\"analytics_agent\",\"content\":\"Show \\\"q\\\" \xef\xbf\xbd\",\"progress\":0}");
  CHECK(write_data(thinking_event{thinking_stage::writing, "Rev\n", 0.39, true}) ==
        R"({"stage":"writing","thought":"Rev\n","progress":0.39,"partial":true})");
  CHECK(
      write_data(tool_executing_event{"render_chart", "run-1-call-3", R"({"width":800})", 0.6}) ==
      R"({"tool":"render_chart","tool_call_id":"run-1-call-3","args":{"width":800},"progress":0.6})");
  CHECK(write_data(tool_executing_event{"plan_chart", "c", "", 0}) ==
        R"({"tool":"plan_chart","tool_call_id":"c","args":null,"progress":0})");
  CHECK(write_data(tool_completed_event{"render_chart", "run-1-call-3", false, 12.75,
                                        tool_error_result(error_code::render_failed)}) ==
        R"({"tool":"render_chart","tool_call_id":"run-1-call-3","status":"error",)"
        R"("duration_ms":12.75,"result":{"error":"RENDER_FAILED"}})");
  completed_event failed;
  failed.status = run_status::timeout;
  failed.duration_ms = 30000;
  failed.code = error_code::timeout;
  failed.message = "too slow";
  CHECK(
      write_data(failed) ==
      R"({"status":"timeout","duration_ms":30000,"error":{"code":"TIMEOUT","message":"too slow"}})");
}

TEST_CASE("a frame's exact bytes, written out") {
  run_event e = numbered(thinking_event{thinking_stage::planning, "Reading", 0.05, false});
  CHECK(write_frame(e) ==
        R"({"type":"agent_thinking","seq":42,"event_id":"evt-1a2b3c4d-17",)"
        R"("run_id":"run-1a2b3c4d-5","correlation_id":"corr \"1\"","conversation_id":"conv-9",)"
        R"("user_id":"alice","message_id":"m-1","timestamp":"2026-11-21T10:30:00.123Z",)"
        R"("data":{"stage":"planning","thought":"Reading","progress":0.05}})");
  CHECK(type_of(e.data) == event_type::agent_thinking);
  CHECK(type_of(completed_event{}) == event_type::agent_completed);
  CHECK(type_of(started_event{}) == event_type::agent_started);
}

}  // namespace
}  // namespace aw::protocol
