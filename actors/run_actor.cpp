// The run's life as named states. Each state issues its one request on entry
// (with a timeout derived from the run's deadline) and switches with `become`
// when the answer comes; every request has an error handler.
//
//                 +-------------+
//      spawn ---->|  planning   |---------------------------+
//                 +-------------+   plan error / timeout    |
//            chart_plan |     | chart_plan, a model and     |
//                       |     | no chart_preference         |
//                       |     V                             |
//                       |  +-------------+                  |
//     llm_partial ------|->|  choosing   |----------------->|
//                       |  +-------------+  model error /   |
//                       |     | generation  timeout /       |
//                       |     | (type+data) WORKER_LOST     |
//                       V     V                             |
//                 +-------------+                           |
//  llm_partial -->| generating  |---------------------------+
//  (a thought,    +-------------+   model error / timeout / |
//   partial)             |          WORKER_LOST             |
//                        | generation (asked now, or        |
//                        | the one choosing got)            V
//                 +-------------+                    +-------------+
//                 |  rendering  |------------------->|   failed    |
//                 +-------------+  render error,     +-------------+
//                        |         image too big,    tool_completed(error),
//                        |         timeout           agent_completed(error), quit
//                        | render_output
//                        V
//                 +-------------+
//                 |  finishing  |  chart stored, summary thought,
//                 +-------------+  agent_completed(success), quit
//
// In every state the session may end the run first (cancel, the deadline,
// drain, shutdown, a lost gateway): it closes the open tool, emits the one
// agent_completed and stops this actor. Streamed model text is shown only
// while the model is asked (choosing, generating); a late batch in another
// state is dropped. With a model and no chart_preference, the model decides
// the type (issue #16): `choosing` asks it, with the built-in plan as a hint,
// and its answer also carries the data, so `generating` asks nothing again.
#include "actors/run_actor.hpp"

#include <algorithm>

#include <caf/all.hpp>

#include "actors/chart_spec_for.hpp"
#include "actors/messages.hpp"
#include "actors/run_events.hpp"
#include "actors/step_errors.hpp"
#include "core/log.hpp"
#include "encoding/utf8.hpp"

namespace aw::actors {
namespace {

using run_self = caf::stateful_actor<run_state>;
using protocol::thinking_stage;

std::int64_t now_ms() {
  return protocol::now_unix_ms();
}

double elapsed_ms(std::int64_t since) {
  return static_cast<double>(now_ms() - since);
}

void emit(run_self* self, protocol::event_data data,
          std::shared_ptr<const std::string> image = nullptr,
          std::shared_ptr<const std::string> resume = nullptr) {
  pending_event ev{self->state.input.run_id, std::move(data), std::move(image), std::move(resume)};
  self->send(self->state.session, emit_atom::value, std::move(ev));
}

void think(run_self* self, thinking_stage stage, std::string thought, double progress,
           bool partial = false) {
  emit(self, protocol::thinking_event{stage, std::move(thought), progress, partial});
}

// A running tool call: tool_executing now, exactly one tool_completed later.
struct tool_call {
  std::string tool;
  std::string id;
  std::int64_t started_ms;
};

tool_call start_tool(run_self* self, std::string tool, std::string args_json, double progress) {
  tool_call call{std::move(tool), "call-" + std::to_string(++self->state.tool_counter), now_ms()};
  call.id = self->state.input.run_id + "-" + call.id;
  emit(self, protocol::tool_executing_event{call.tool, call.id, std::move(args_json), progress});
  return call;
}

void finish_tool(run_self* self, const tool_call& call, bool success, std::string result_json,
                 std::shared_ptr<const std::string> resume = nullptr) {
  emit(self,
       protocol::tool_completed_event{call.tool, call.id, success, elapsed_ms(call.started_ms),
                                      std::move(result_json)},
       nullptr, std::move(resume));
}

// A real model's answer, kept with the tool_completed it ends in the durable
// log, so that a re-run uses it rather than asking again (run_record.hpp).
// The built-in model's is repeatable: not kept.
std::shared_ptr<const std::string> checkpoint(run_self* self, bool chose,
                                              const analytics::generation& gen) {
  if (!self->state.svc.durable || gen.provider == "builtin") return nullptr;
  auto text = encode_checkpoint(chose, gen);
  return text.empty() ? nullptr : std::make_shared<const std::string>(std::move(text));
}

// The `failed` end. `message` reaches the user; `detail` (the renderer's, the
// model client's or CAF's own wording) goes to the log only.
void fail(run_self* self, const tool_call& call, protocol::error_code code,
          const std::string& message, const std::string& detail = "") {
  self->state.svc.stats->errors_by_code[static_cast<std::size_t>(code)]++;
  finish_tool(self, call, false, protocol::tool_error_result(code));
  protocol::completed_event failed;
  failed.status = protocol::run_status::error;
  failed.duration_ms = elapsed_ms(self->state.started_ms);
  failed.code = code;
  failed.message = message;
  emit(self, std::move(failed));
  log::info("run", "run failed",
            {{"user", self->state.input.user_id},
             {"run", self->state.input.run_id},
             {"code", protocol::to_string(code)},
             {"error", message},
             {"detail", detail}});
  self->quit();
}

// A step whose request failed: the code of the status it failed with (WORKER_LOST
// when its worker node died, in cluster mode), else `code` with CAF's own error.
void step_failed(run_self* self, const tool_call& call, protocol::error_code code,
                 const std::string& what, const caf::error& err) {
  if (auto failed = status_of(err)) {
    if (failed->code() == protocol::error_code::worker_lost)
      return fail(self, call, protocol::error_code::worker_lost,
                  "the worker node running this step was lost; send the request again",
                  failed->message());
    return fail(self, call, failed->code(), what, failed->message());
  }
  if (is_invalid_reply(err))
    return fail(self, call, code, "a worker node gave an invalid answer; try again",
                error_text(err));
  fail(self, call, code, what, caf::to_string(err));
}

// The `finishing` state: one handler from the image to agent_completed, so no
// message can come between.
void finishing(run_self* self, render::render_output& image) {
  auto& st = self->state;
  auto& payload = st.input.payload;
  auto bytes = std::make_shared<const std::string>(std::move(image.bytes));
  std::string chart_id =
      st.svc.charts->put(st.input.user_id, std::string(protocol::mime_type(payload.format)), bytes);

  think(self, thinking_stage::writing, "Summarising the chart: " + st.gen.narrative, 0.9);

  // The run ends here: its data moves into the result.
  auto result = std::make_shared<protocol::run_result>();
  result->chart_url = chart_url_for(chart_id, st.input.user_id);
  result->data = std::move(st.gen.data);
  result->stats = st.gen.stats;
  result->series_stats = std::move(st.gen.series_stats);
  result->insights = std::move(st.gen.insights);
  result->narrative = std::move(st.gen.narrative);
  auto& md = result->metadata;
  md.type = st.plan.type;
  md.title = st.gen.title;
  md.data_source = st.gen.synthetic || st.input.refined_synthetic ? "synthetic" : "user";
  md.refined_from = st.input.refined_from;
  md.llm_provider = st.gen.provider;
  md.format = payload.format;
  md.width = payload.width;
  md.height = payload.height;
  md.generation_time_ms = elapsed_ms(st.started_ms);
  protocol::completed_event done;
  done.duration_ms = elapsed_ms(st.started_ms);
  done.result = std::move(result);
  emit(self, std::move(done), std::move(bytes));
  self->quit();
}

caf::behavior rendering(run_self* self) {
  auto& st = self->state;
  auto call = start_tool(self, "render_chart",
                         run_events::render_args(st.input.payload, st.plan.type), 0.6);
  self->request(st.svc.renderer, step_timeout(st.input.deadline), render_atom::value,
                st.input.user_id, chart_spec_for(st.gen, st.plan.type, st.input.payload))
      .then(
          [self, call](render::render_output& image) {
            auto max_bytes = static_cast<std::size_t>(self->state.svc.cfg->max_chart_size_mb) << 20;
            if (!image.ok)
              return fail(self, call, protocol::error_code::render_failed,
                          "the chart could not be drawn; try again, or another chart type",
                          image.error);
            if (image.bytes.size() > max_bytes)
              return fail(self, call, protocol::error_code::render_failed,
                          "the rendered image is " + std::to_string(image.bytes.size()) +
                              " bytes, over MAX_CHART_SIZE_MB");
            self->state.svc.stats->render_ms.observe(image.duration_ms);
            finish_tool(self, call, true, run_events::render_result(image));
            finishing(self, image);
          },
          [self, call](caf::error& err) {
            step_failed(self, call, protocol::error_code::render_failed,
                        "the chart renderer did not answer in time", err);
          });
  return {};  // nothing arrives here but the answer above
}

// The model's text as it writes, shown while it is asked.
caf::behavior streamed_text(run_self* self) {
  return {
      [self](llm_partial_atom, std::string& text) {
        // In a cluster this comes straight from a worker node: bounded per
        // batch and per run (a model's answer is at most 256 KiB anyway).
        constexpr std::size_t max_batch = 64 << 10;
        constexpr std::size_t max_per_run = 512 << 10;
        auto& st = self->state;
        if (text.empty() || st.streamed_bytes >= max_per_run) return;
        std::string_view shown =
            encoding::utf8_cut_bytes(text, std::min(max_batch, max_per_run - st.streamed_bytes));
        st.streamed_bytes += shown.size();
        think(self, thinking_stage::writing, std::string(shown), st.partial_progress, true);
        st.partial_progress = std::min(0.39, st.partial_progress + 0.005);
      },
  };
}

// The generate tool's end: its result, the model's thoughts, then rendering.
// `answer`: the model's answer as the durable log keeps it, if just asked.
caf::behavior generation_done(run_self* self, const tool_call& call,
                              std::shared_ptr<const std::string> answer = nullptr) {
  auto& st = self->state;
  st.svc.stats->llm_ms.observe(st.gen.llm_ms);
  finish_tool(self, call, true, run_events::generate_result(st.gen), std::move(answer));
  double progress = std::max(0.4, st.partial_progress);
  for (const auto& thought : st.gen.thoughts) {
    think(self, thinking_stage::analyzing, thought, progress);
    progress = std::min(0.55, progress + 0.05);
  }
  return rendering(self);
}

caf::behavior generating(run_self* self) {
  auto& st = self->state;
  const auto& payload = st.input.payload;
  auto call = start_tool(self, run_events::generate_tool(payload),
                         run_events::generate_args(payload, st.plan.type, *st.svc.cfg), 0.3);
  if (st.generated) {  // the model answered while choosing: that answer
    st.generated = false;
    return generation_done(self, call);
  }
  if (st.input.recorded && !st.input.recorded->chose) {  // a re-run: the answer it had
    st.gen = st.input.recorded->gen;
    st.input.recorded.reset();
    return generation_done(self, call);
  }
  self->request(st.svc.llm, step_timeout(st.input.deadline), generate_atom::value, payload,
                st.plan.type, caf::actor_cast<caf::actor>(self))
      .then(
          [self, call](analytics::generation& gen) {
            auto answer = checkpoint(self, false, gen);
            self->state.gen = std::move(gen);
            self->become(generation_done(self, call, std::move(answer)));
          },
          [self, call](caf::error& err) {
            step_failed(self, call, protocol::error_code::llm_unavailable,
                        "the language model did not answer", err);
          });
  // The LLM actor's client thread sends batches of the model's text as it writes.
  return streamed_text(self);
}

// The model's choice of type (and its data) ends the plan_chart tool.
void chose(run_self* self, const tool_call& call, analytics::generation gen,
           std::shared_ptr<const std::string> answer) {
  auto& st = self->state;
  const auto hint = st.plan.type;
  st.plan.type = gen.chart_type;
  finish_tool(self, call, true, run_events::model_plan_result(st.plan.type, gen.decided_by, hint),
              std::move(answer));
  think(self, thinking_stage::planning,
        gen.decided_by == "model"
            ? "The model chose " + std::string(protocol::to_string(st.plan.type)) +
                  " for this request."
            : st.plan.reasoning,
        0.2);
  st.gen = std::move(gen);
  st.generated = true;
  self->become(generating(self));
}

// The plan_chart tool is still open: the model picks the type (the built-in
// plan is its hint) and writes the data and texts in the same answer.
caf::behavior choosing(run_self* self, const tool_call& call) {
  auto& st = self->state;
  self->request(st.svc.llm, step_timeout(st.input.deadline), generate_atom::value, st.input.payload,
                st.plan.type, caf::actor_cast<caf::actor>(self))
      .then(
          [self, call](analytics::generation& gen) {
            auto answer = checkpoint(self, true, gen);
            chose(self, call, std::move(gen), std::move(answer));
          },
          [self, call](caf::error& err) {
            step_failed(self, call, protocol::error_code::llm_unavailable,
                        "the language model did not answer", err);
          });
  return streamed_text(self);
}

caf::behavior planning(run_self* self) {
  auto& st = self->state;
  auto call = start_tool(self, "plan_chart", run_events::plan_args(st.input.payload), 0.1);
  self->request(st.svc.planner, step_timeout(st.input.deadline, plan_cap), plan_atom::value,
                st.input.payload)
      .then(
          [self, call](analytics::chart_plan& plan) {
            auto& st = self->state;
            st.plan = std::move(plan);
            if (st.input.recorded && st.input.recorded->chose) {  // a re-run: the answer it had
              auto gen = st.input.recorded->gen;
              st.input.recorded.reset();
              return chose(self, call, std::move(gen), nullptr);
            }
            if (st.svc.cfg->llm_provider != "builtin" && !st.plan.type_from_user)
              return self->become(choosing(self, call));
            finish_tool(self, call, true, run_events::plan_result(st.plan));
            think(self, thinking_stage::planning, st.plan.reasoning, 0.2);
            self->become(generating(self));
          },
          [self, call](caf::error& err) {
            step_failed(self, call, protocol::error_code::generation_failed,
                        "the planner did not answer in time", err);
          });
  return {};
}

}  // namespace

caf::behavior run_actor(caf::stateful_actor<run_state>* self, caf::actor session, services svc,
                        run_input input) {
  auto& st = self->state;
  st.session = std::move(session);
  st.svc = std::move(svc);
  st.input = std::move(input);
  st.started_ms = now_ms();
  // Streamed text that arrives outside `generating` (a batch overtaken by the
  // answer) is dropped, not reported as unexpected.
  self->set_default_handler(caf::drop);
  // The session has already emitted agent_started and a first thought.
  return planning(self);
}

}  // namespace aw::actors
