#include "actors/run_actor.hpp"

#include <chrono>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <caf/all.hpp>

#include "actors/chart_spec_for.hpp"
#include "actors/cluster.hpp"
#include "actors/messages.hpp"
#include "actors/step_timeouts.hpp"
#include "core/log.hpp"

namespace aw::actors {
namespace {

using run_self = caf::stateful_actor<run_state>;
using protocol::event_type;
using protocol::thinking_stage;

std::int64_t now_ms() {
  return protocol::now_unix_ms();
}

double elapsed_ms(std::int64_t since) {
  return static_cast<double>(now_ms() - since);
}

void emit(run_self* self, event_type type, std::string data_json, std::string tool = {},
          std::string tool_call_id = {},
          protocol::run_status status = protocol::run_status::success) {
  run_event ev{self->state.input.run_id, type,  std::move(data_json), std::move(tool),
               std::move(tool_call_id),  status};
  self->send(self->state.session, emit_atom::value, std::move(ev));
}

void think(run_self* self, thinking_stage stage, const std::string& thought, double progress,
           bool partial = false) {
  emit(self, event_type::agent_thinking,
       protocol::thinking_data(stage, thought, progress, partial));
}

// A running tool call: tool_executing now, exactly one tool_completed later.
struct tool_call {
  std::string tool;
  std::string id;
  std::int64_t started_ms;
};

tool_call start_tool(run_self* self, std::string tool, const std::string& args_json,
                     double progress) {
  tool_call call{std::move(tool), "call-" + std::to_string(++self->state.tool_counter), now_ms()};
  call.id = self->state.input.run_id + "-" + call.id;
  emit(self, event_type::tool_executing,
       protocol::tool_executing_data(call.tool, call.id, args_json, progress), call.tool, call.id);
  return call;
}

void finish_tool(run_self* self, const tool_call& call, bool success,
                 const std::string& result_json) {
  emit(self, event_type::tool_completed,
       protocol::tool_completed_data(call.tool, call.id, success, elapsed_ms(call.started_ms),
                                     result_json),
       call.tool, call.id);
}

// `message` reaches the user; `detail` (the renderer's, the model client's or
// CAF's own wording) goes to the log only.
void fail(run_self* self, const tool_call& call, protocol::error_code code,
          const std::string& message, const std::string& detail = "") {
  self->state.svc.stats->errors_by_code[static_cast<std::size_t>(code)]++;
  finish_tool(self, call, false, protocol::tool_error_result(code));
  emit(self, event_type::agent_completed,
       protocol::completed_failure_data(protocol::run_status::error,
                                        elapsed_ms(self->state.started_ms), code, message),
       {}, {}, protocol::run_status::error);
  log::info("run", "run failed",
            {{"user", self->state.input.user_id},
             {"run", self->state.input.run_id},
             {"code", protocol::to_string(code)},
             {"error", message},
             {"detail", detail}});
  self->quit();
}

// A step that failed: WORKER_LOST when its worker node died (cluster mode),
// else `code` with what the step's actor said.
void step_failed(run_self* self, const tool_call& call, protocol::error_code code,
                 const std::string& what, const caf::error& err) {
  if (is_worker_lost(err))
    return fail(self, call, protocol::error_code::worker_lost,
                "the worker node running this step was lost; send the request again",
                error_text(err));
  fail(self, call, code, what, caf::to_string(err));
}

// Small JSON objects for tool args/results.
class json_object {
 public:
  json_object() { w_.StartObject(); }
  json_object& str(const char* key, std::string_view value) {
    w_.Key(key);
    w_.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
    return *this;
  }
  json_object& num(const char* key, double value) {
    w_.Key(key);
    w_.Double(value);
    return *this;
  }
  json_object& integer(const char* key, std::int64_t value) {
    w_.Key(key);
    w_.Int64(value);
    return *this;
  }
  json_object& boolean(const char* key, bool value) {
    w_.Key(key);
    w_.Bool(value);
    return *this;
  }
  std::string done() {
    w_.EndObject();
    return buf_.GetString();
  }

 private:
  rapidjson::StringBuffer buf_;
  rapidjson::Writer<rapidjson::StringBuffer> w_{buf_};
};

void complete(run_self* self, render::render_output& image) {
  auto& st = self->state;
  auto& payload = st.input.payload;
  auto bytes = std::make_shared<const std::string>(std::move(image.bytes));
  std::string chart_id =
      st.svc.charts->put(st.input.user_id, std::string(protocol::mime_type(payload.format)), bytes);

  think(self, thinking_stage::writing, "Summarising the chart: " + st.gen.narrative, 0.9);

  protocol::run_response response;
  response.image = bytes.get();
  response.chart_url = chart_url_for(chart_id, st.input.user_id);
  response.data = &st.gen.data;
  response.stats = st.gen.stats;
  response.series_stats = st.gen.series_stats;
  response.insights = st.gen.insights;
  response.narrative = st.gen.narrative;
  auto& md = response.metadata;
  md.type = st.plan.type;
  md.title = st.gen.title;
  md.data_source = st.gen.synthetic ? "synthetic" : "user";
  md.llm_provider = st.gen.provider;
  md.format = payload.format;
  md.width = payload.width;
  md.height = payload.height;
  md.generation_time_ms = elapsed_ms(st.started_ms);
  emit(self, event_type::agent_completed,
       protocol::completed_success_data(elapsed_ms(st.started_ms),
                                        protocol::write_response(response)));
  self->quit();
}

void render_step(run_self* self) {
  auto& st = self->state;
  auto& payload = st.input.payload;
  auto call = start_tool(self, "render_chart",
                         json_object()
                             .str("chart_type", protocol::to_string(st.plan.type))
                             .str("format", protocol::to_string(payload.format))
                             .integer("width", payload.width)
                             .integer("height", payload.height)
                             .str("theme", payload.theme.name)
                             .done(),
                         0.6);
  self->request(st.svc.renderer, render_timeout(*st.svc.cfg), render_atom::value, st.input.user_id,
                chart_spec_for(st.gen, st.plan.type, st.input.payload))
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
            finish_tool(self, call, true,
                        json_object()
                            .integer("bytes", static_cast<std::int64_t>(image.bytes.size()))
                            .num("render_ms", image.duration_ms)
                            .done());
            complete(self, image);
          },
          [self, call](caf::error& err) {
            step_failed(self, call, protocol::error_code::render_failed,
                        "the chart renderer did not answer in time", err);
          });
}

void generate_step(run_self* self) {
  auto& st = self->state;
  const auto& cfg = *st.svc.cfg;
  bool user_data = st.input.payload.data.has_value();
  bool model = cfg.llm_provider != "builtin";
  auto call = start_tool(self, user_data ? "prepare_data" : "generate_data",
                         json_object()
                             .str("chart_type", protocol::to_string(st.plan.type))
                             .str("data_source", user_data ? "user" : "synthetic")
                             .str("provider", cfg.llm_provider)
                             .str("model", model ? cfg.llm_model : "builtin")
                             .done(),
                         0.3);
  auto on_generation = [self, call](analytics::generation& gen) {
    auto& st = self->state;
    st.generating = false;
    st.gen = std::move(gen);
    st.svc.stats->llm_ms.observe(st.gen.llm_ms);
    json_object result;
    result.str("title", st.gen.title)
        .integer("labels", static_cast<std::int64_t>(st.gen.data.labels.size()))
        .integer("insights", static_cast<std::int64_t>(st.gen.insights.size()))
        .str("provider", st.gen.provider)
        .str("model", st.gen.model)
        .integer("tokens_in", st.gen.tokens_in)
        .integer("tokens_out", st.gen.tokens_out)
        .boolean("tokens_estimated", st.gen.tokens_estimated)
        .integer("attempts", st.gen.attempts)
        .num("llm_ms", st.gen.llm_ms);
    if (!st.gen.fallback_reason.empty())
      result.str("fallback_reason", st.gen.fallback_reason.substr(0, 200));
    finish_tool(self, call, true, result.done());
    double progress = std::max(0.4, st.partial_progress);
    for (const auto& thought : st.gen.thoughts) {
      think(self, thinking_stage::analyzing, thought, progress);
      progress = std::min(0.55, progress + 0.05);
    }
    render_step(self);
  };
  if (st.generated) {  // the model answered while planning (it chose the type): that answer
    st.generated = false;
    analytics::generation gen = std::move(st.gen);
    on_generation(gen);
    return;
  }
  st.generating = true;
  self->request(st.svc.llm, generate_timeout(cfg), generate_atom::value, st.input.payload,
                st.plan.type, caf::actor_cast<caf::actor>(self))
      .then(on_generation, [self, call](caf::error& err) {
        self->state.generating = false;
        step_failed(self, call, protocol::error_code::llm_unavailable,
                    "the language model did not answer", err);
      });
}

// With a model, the model decides the type (issue #16): the plan step asks it, with the
// built-in plan as a hint, and the answer also carries the data and texts.
void model_plan(run_self* self, const tool_call& call) {
  auto& st = self->state;
  st.generating = true;
  self->request(st.svc.llm, generate_timeout(*st.svc.cfg), generate_atom::value, st.input.payload,
                st.plan.type, caf::actor_cast<caf::actor>(self))
      .then(
          [self, call](analytics::generation& gen) {
            auto& st = self->state;
            st.generating = false;
            const auto hint = st.plan.type;
            st.plan.type = gen.chart_type;
            finish_tool(self, call, true,
                        json_object()
                            .str("chart_type", protocol::to_string(st.plan.type))
                            .boolean("from_preference", false)
                            .str("decided_by", gen.decided_by)
                            .str("builtin_plan", protocol::to_string(hint))
                            .done());
            think(self, thinking_stage::planning,
                  gen.decided_by == "model"
                      ? "The model chose " + std::string(protocol::to_string(st.plan.type)) +
                            " for this request."
                      : st.plan.reasoning,
                  0.2);
            st.gen = std::move(gen);
            st.generated = true;
            generate_step(self);
          },
          [self, call](caf::error& err) {
            self->state.generating = false;
            step_failed(self, call, protocol::error_code::llm_unavailable,
                        "the language model did not answer", err);
          });
}

void plan_step(run_self* self) {
  auto& st = self->state;
  auto& payload = st.input.payload;
  auto call = start_tool(
      self, "plan_chart",
      json_object()
          .str("content", payload.content.substr(0, 200))
          .str("chart_preference",
               payload.chart_preference ? protocol::to_string(*payload.chart_preference) : "")
          .done(),
      0.1);
  self->request(st.svc.planner, plan_timeout(*st.svc.cfg), plan_atom::value, payload)
      .then(
          [self, call](analytics::chart_plan& plan) {
            auto& st = self->state;
            st.plan = std::move(plan);
            if (st.svc.cfg->llm_provider != "builtin" && !st.plan.type_from_user)
              return model_plan(self, call);
            finish_tool(self, call, true,
                        json_object()
                            .str("chart_type", protocol::to_string(st.plan.type))
                            .boolean("from_preference", st.plan.type_from_user)
                            .str("decided_by", st.plan.type_from_user ? "user" : "builtin")
                            .done());
            think(self, thinking_stage::planning, st.plan.reasoning, 0.2);
            generate_step(self);
          },
          [self, call](caf::error& err) {
            step_failed(self, call, protocol::error_code::generation_failed,
                        "the planner did not answer in time", err);
          });
}

}  // namespace

caf::behavior run_actor(caf::stateful_actor<run_state>* self, caf::actor session, services svc,
                        run_input input) {
  auto& st = self->state;
  st.session = std::move(session);
  st.svc = std::move(svc);
  st.input = std::move(input);
  st.started_ms = now_ms();
  // The session has already emitted agent_started and a first thought.
  plan_step(self);
  // Replies are handled by the request continuations above; the LLM actor's
  // workers send batches of streamed model text while it writes.
  return {
      [self](llm_partial_atom, std::string& text) {
        auto& st = self->state;
        if (!st.generating || text.empty()) return;
        think(self, thinking_stage::writing, text, st.partial_progress, true);
        st.partial_progress = std::min(0.39, st.partial_progress + 0.005);
      },
  };
}

}  // namespace aw::actors
