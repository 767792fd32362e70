// The run's core invariants, under CAF's deterministic test coordinator: no
// process, no socket, no thread of its own. A real session actor runs real run
// actors against fake planner, LLM and renderer actors that keep the typed
// interfaces (actors/interfaces.hpp); the frames the session would send go to
// a fake outbox. On every path (success, a step error, the deadline, cancel,
// a lost worker node, drain) a run ends with exactly one agent_completed, and
// every tool_executing gets its tool_completed, even when a held answer
// arrives after the session ended the run.
#define CAF_SUITE run_invariants
#include <caf/test/dsl.hpp>
#include <caf/test/unit_test_impl.hpp>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <rapidjson/document.h>

#include "actors/interfaces.hpp"
#include "actors/outbox.hpp"
#include "actors/services.hpp"
#include "actors/session_actor.hpp"
#include "actors/step_errors.hpp"
#include "analytics/builtin_llm.hpp"

using namespace aw;
using namespace aw::actors;

namespace {

// What a fake step actor does with a request.
enum class step_mode { answer, fail, hang, lost };

using release_atom = caf::atom_constant<caf::atom("release")>;

struct held_answers {
  std::vector<std::pair<caf::response_promise, analytics::generation>> held;
};

// The LLM interface, plus a test message that sends the held answers late.
using fake_llm_type = llm_api::extend<caf::reacts_to<release_atom>>;

// The unused argument: CAF 0.17 binds a reference through a null pointer when a
// function-based actor is spawned with no arguments (UBSan reports it).
planner_api::behavior_type fake_planner(planner_api::pointer, int /*unused*/) {
  return {
      [](plan_atom, const protocol::analytics_payload& payload) -> analytics::chart_plan {
        return analytics::make_plan(payload);
      },
  };
}

fake_llm_type::behavior_type fake_llm(fake_llm_type::stateful_pointer<held_answers> self,
                                      step_mode mode) {
  return {
      [self, mode](generate_atom, protocol::analytics_payload& payload, protocol::chart_type type,
                   caf::actor& stream_to) -> caf::result<analytics::generation> {
        switch (mode) {
          case step_mode::answer:
            caf::anon_send(stream_to, llm_partial_atom::value, std::string("the model writes"));
            return analytics::builtin_generate(payload, type);
          case step_mode::fail:
            return caf::make_error(caf::sec::unexpected_response);
          case step_mode::lost:
            return make_error(protocol::error_code::worker_lost, "the worker node died");
          case step_mode::hang:
            break;
        }
        self->state.held.emplace_back(self->make_response_promise(),
                                      analytics::builtin_generate(payload, type));
        return caf::delegated<analytics::generation>();
      },
      [self](release_atom) {
        for (auto& [promise, gen] : self->state.held) promise.deliver(std::move(gen));
        self->state.held.clear();
      },
  };
}

renderer_api::behavior_type fake_renderer(renderer_api::pointer, step_mode mode) {
  return {
      [mode](render_atom, const std::string&, render::chart_spec&) -> render::render_output {
        render::render_output out;
        out.ok = mode == step_mode::answer;
        if (out.ok)
          out.bytes = std::string("\x89PNG fake image", 15);
        else
          out.error = "gnuplot said no";
        out.duration_ms = 1;
        return out;
      },
  };
}

// Keeps every frame the session sends, in order.
struct recording_outbox : outbox {
  std::vector<std::string> frames;
  void send(conn_id, frame_ptr frame) override { frames.push_back(*frame); }
  void send_all(const std::vector<conn_id>&, frame_ptr frame) override { frames.push_back(*frame); }
  void send_replay(conn_id, std::vector<frame_ptr> replay) override {
    for (auto& f : replay) frames.push_back(*f);
  }
  void close(conn_id, close_reason) override {}
  void retire(const std::string&, caf::actor) override {}
  void drained(const std::string&) override { ++drained_count; }
  int drained_count = 0;
};

// What the frames of one run say.
struct run_record {
  int completed = 0;
  std::string status;                     // of the agent_completed
  std::string error_code;                 // of a failed agent_completed
  std::map<std::string, int> open_tools;  // tool_call_id -> executing minus completed
  int tools_started = 0;
  int partial_thoughts = 0;
};

run_record read_run(const std::vector<std::string>& frames) {
  run_record r;
  for (const auto& f : frames) {
    rapidjson::Document d;
    d.Parse(f.data(), f.size());
    if (d.HasParseError() || !d.IsObject() || !d.HasMember("type")) continue;
    std::string type = d["type"].GetString();
    if (!d.HasMember("data")) continue;
    const auto& data = d["data"];
    if (type == "tool_executing") {
      r.tools_started++;
      r.open_tools[data["tool_call_id"].GetString()]++;
    } else if (type == "tool_completed") {
      r.open_tools[data["tool_call_id"].GetString()]--;
    } else if (type == "agent_thinking") {
      if (data.HasMember("partial") && data["partial"].IsBool() && data["partial"].GetBool())
        r.partial_thoughts++;
    } else if (type == "agent_completed") {
      r.completed++;
      r.status = data["status"].GetString();
      if (data.HasMember("error") && data["error"].IsObject())
        r.error_code = data["error"]["code"].GetString();
    }
  }
  return r;
}

bool all_tools_closed(const run_record& r) {
  for (const auto& [id, open] : r.open_tools)
    if (open != 0) return false;
  return true;
}

struct fixture : test_coordinator_fixture<> {
  recording_outbox out;
  services svc;
  caf::actor session;
  fake_llm_type llm_handle;  // to release held answers
  std::shared_ptr<core::config> cfg = std::make_shared<core::config>();

  void start(step_mode llm_mode, step_mode render_mode) {
    svc.cfg = cfg;
    svc.out = &out;
    svc.stats = std::make_shared<counters>();
    svc.charts = std::make_shared<chart_store>(std::size_t{1} << 20);
    svc.planner = sys.spawn(fake_planner, 0);
    llm_handle = sys.spawn(fake_llm, llm_mode);
    svc.llm = llm_handle;
    svc.renderer = sys.spawn(fake_renderer, render_mode);
    session = spawn_session(sys, svc, "u1");
    self->send(session, connect_atom::value, conn_id{1}, std::string("s1"), std::int64_t{-1},
               std::string());
    sched.run();  // messages only: time moves when a test says so
    protocol::analytics_request req;
    req.correlation_id = "c1";
    req.payload.content = "Show quarterly revenue";
    self->send(session, request_atom::value, conn_id{1}, std::move(req));
    sched.run();
  }

  // The model's answer arrives after the session ended the run.
  void late_answer() {
    self->send(llm_handle, release_atom::value);
    sched.run();
  }

  ~fixture() override {
    caf::anon_send_exit(session, caf::exit_reason::user_shutdown);
    sched.run();
  }
};

}  // namespace

CAF_TEST_FIXTURE_SCOPE(run_invariant_tests, fixture)

CAF_TEST(success) {
  start(step_mode::answer, step_mode::answer);
  auto r = read_run(out.frames);
  CAF_CHECK_EQUAL(r.completed, 1);
  CAF_CHECK_EQUAL(r.status, "success");
  CAF_CHECK_EQUAL(r.tools_started, 3);  // plan, generate, render
  CAF_CHECK(all_tools_closed(r));
  CAF_CHECK_EQUAL(r.partial_thoughts, 1);  // streamed text, shown while generating
}

CAF_TEST(step error) {
  start(step_mode::answer, step_mode::fail);
  auto r = read_run(out.frames);
  CAF_CHECK_EQUAL(r.completed, 1);
  CAF_CHECK_EQUAL(r.status, "error");
  CAF_CHECK_EQUAL(r.error_code, "RENDER_FAILED");
  CAF_CHECK_EQUAL(r.tools_started, 3);
  CAF_CHECK(all_tools_closed(r));
}

CAF_TEST(model error) {
  start(step_mode::fail, step_mode::answer);
  auto r = read_run(out.frames);
  CAF_CHECK_EQUAL(r.completed, 1);
  CAF_CHECK_EQUAL(r.error_code, "LLM_UNAVAILABLE");
  CAF_CHECK_EQUAL(r.tools_started, 2);  // no render after a failed generate
  CAF_CHECK(all_tools_closed(r));
}

CAF_TEST(worker lost) {
  start(step_mode::lost, step_mode::answer);
  auto r = read_run(out.frames);
  CAF_CHECK_EQUAL(r.completed, 1);
  CAF_CHECK_EQUAL(r.error_code, "WORKER_LOST");
  CAF_CHECK(all_tools_closed(r));
}

CAF_TEST(timeout at the deadline) {
  start(step_mode::hang, step_mode::answer);
  CAF_CHECK_EQUAL(read_run(out.frames).completed, 0);  // the model has not answered
  CAF_CHECK(!all_tools_closed(read_run(out.frames)));
  sched.advance_time(std::chrono::seconds(cfg->chart_generation_timeout_s));
  sched.run();
  auto r = read_run(out.frames);
  CAF_CHECK_EQUAL(r.completed, 1);
  CAF_CHECK_EQUAL(r.status, "timeout");
  CAF_CHECK(all_tools_closed(r));
  // The step timeouts come after the deadline: nothing more is said.
  late_answer();
  sched.advance_time(std::chrono::seconds(120));
  sched.run();
  CAF_CHECK_EQUAL(read_run(out.frames).completed, 1);
  CAF_CHECK(all_tools_closed(read_run(out.frames)));
}

CAF_TEST(cancel) {
  start(step_mode::hang, step_mode::answer);
  self->send(session, cancel_atom::value, conn_id{1}, std::string("c1"));
  sched.run();
  auto r = read_run(out.frames);
  CAF_CHECK_EQUAL(r.completed, 1);
  CAF_CHECK_EQUAL(r.status, "cancelled");
  CAF_CHECK(all_tools_closed(r));
  late_answer();
  sched.advance_time(std::chrono::seconds(120));  // the run's timer, step timeouts
  sched.run();
  CAF_CHECK_EQUAL(read_run(out.frames).completed, 1);
  CAF_CHECK(all_tools_closed(read_run(out.frames)));
}

CAF_TEST(drain then shutdown) {
  start(step_mode::hang, step_mode::answer);
  self->send(session, drain_atom::value);
  sched.run();
  CAF_CHECK_EQUAL(read_run(out.frames).completed, 0);  // in-flight runs may finish
  CAF_CHECK_EQUAL(out.drained_count, 0);
  self->send(session, shutdown_atom::value);
  sched.run();
  CAF_CHECK_EQUAL(out.drained_count, 1);  // the gateway may close the user's sockets now
  auto r = read_run(out.frames);
  CAF_CHECK_EQUAL(r.completed, 1);
  CAF_CHECK_EQUAL(r.error_code, "SHUTTING_DOWN");
  CAF_CHECK(all_tools_closed(r));
  late_answer();
  sched.advance_time(std::chrono::seconds(120));
  sched.run();
  CAF_CHECK_EQUAL(read_run(out.frames).completed, 1);
  CAF_CHECK(all_tools_closed(read_run(out.frames)));
}

// With a model and no chart_preference, the model decides the type while
// plan_chart is open (the `choosing` state); generating reuses its answer.
CAF_TEST(model chooses the type) {
  cfg->llm_provider = "openai";
  start(step_mode::answer, step_mode::answer);
  auto r = read_run(out.frames);
  CAF_CHECK_EQUAL(r.completed, 1);
  CAF_CHECK_EQUAL(r.status, "success");
  CAF_CHECK_EQUAL(r.tools_started, 3);
  CAF_CHECK(all_tools_closed(r));
  CAF_CHECK_EQUAL(r.partial_thoughts, 1);  // streamed while choosing
}

CAF_TEST(cancel while the model chooses) {
  cfg->llm_provider = "openai";
  start(step_mode::hang, step_mode::answer);
  CAF_CHECK_EQUAL(read_run(out.frames).tools_started, 1);  // plan_chart, still open
  self->send(session, cancel_atom::value, conn_id{1}, std::string("c1"));
  sched.run();
  auto r = read_run(out.frames);
  CAF_CHECK_EQUAL(r.completed, 1);
  CAF_CHECK_EQUAL(r.status, "cancelled");
  CAF_CHECK(all_tools_closed(r));
  late_answer();
  sched.advance_time(std::chrono::seconds(120));
  sched.run();
  CAF_CHECK_EQUAL(read_run(out.frames).completed, 1);
  CAF_CHECK(all_tools_closed(read_run(out.frames)));
}

CAF_TEST_FIXTURE_SCOPE_END()
