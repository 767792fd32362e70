// A run's life in the user's session: its events numbered and sent, its one
// end whatever happens, and re-runs after a gateway died (issue #18).
#include <algorithm>

#include <caf/all.hpp>

#include "actors/history_record.hpp"
#include "actors/history_writer.hpp"  // the history_write message
#include "actors/ids.hpp"
#include "actors/run_record.hpp"
#include "actors/session_state.hpp"
#include "core/log.hpp"

namespace aw::actors::session {

using protocol::error_code;
using protocol::event_type;

namespace {

// The text of the first `"key":"value"` or `"key":number` in a JSON object
// this process wrote (keys inside strings are escaped, so cannot match).
std::string json_field(const std::string& json, const std::string& key) {
  auto at = json.find("\"" + key + "\":");
  if (at == std::string::npos) return "";
  at += key.size() + 3;
  if (at < json.size() && json[at] == '"') {
    auto end = json.find('"', at + 1);
    return end == std::string::npos ? ""
                                    : json.substr(at + 1, std::min<std::size_t>(end - at - 1, 80));
  }
  auto end = json.find_first_of(",}", at);
  return json.substr(at, std::min<std::size_t>(end == std::string::npos ? 0 : end - at, 20));
}

// One info line per finished run, however it ended.
void log_run_finished(const std::string& user, const active_run& run, protocol::run_status status,
                      const std::string& code, std::int64_t duration_ms) {
  log::info("session", "run finished",
            {{"user", user},
             {"run", run.id->run_id},
             {"correlation_id", run.id->correlation_id},
             {"chart_type", run.chart_type},
             {"status", protocol::to_string(status)},
             {"error_code", code},
             {"duration_ms", std::to_string(duration_ms)},
             {"tokens_in", run.tokens_in},
             {"tokens_out", run.tokens_out}});
}

}  // namespace

void schedule_idle_check(session_self* self) {
  auto& st = self->state;
  if (!st.conns.empty() || !st.runs.empty()) return;
  st.idle_since_ms = now_ms();
  self->delayed_send(self, std::chrono::seconds(st.svc.cfg->event_buffer_s),
                     idle_check_atom::value);
}

// Draining: the gateway hears once that this user has no run left and every
// event has gone out (with a durable log, delivery follows the commit).
void maybe_drained(session_self* self) {
  auto& st = self->state;
  if (!st.draining || st.drained || !st.runs.empty() || st.events->undelivered() != 0) return;
  st.drained = true;
  st.svc.out->drained(st.user_id);
}

namespace {

void forget_run(session_self* self, const std::string& run_id) {
  auto& st = self->state;
  auto it = st.runs.find(run_id);
  if (it == st.runs.end()) return;
  st.run_by_correlation.erase(it->second.id->correlation_id);
  self->demonitor(it->second.actor);
  st.runs.erase(it);
  st.svc.stats->active_runs.fetch_sub(1, std::memory_order_relaxed);
  maybe_drained(self);
  schedule_idle_check(self);
}

void count_completion(session_self* self, protocol::run_status status) {
  auto& s = *self->state.svc.stats;
  switch (status) {
    case protocol::run_status::success:
      s.runs_succeeded++;
      break;
    case protocol::run_status::error:
      s.runs_failed++;
      break;
    case protocol::run_status::cancelled:
      s.runs_cancelled++;
      break;
    case protocol::run_status::timeout:
      s.runs_timed_out++;
      break;
  }
}

}  // namespace

// History (issue #8): the writer is a detached actor; this only sends.
void record(session_self* self, store::history_write w) {
  if (self->state.svc.history) self->send(self->state.svc.history, std::move(w));
}

namespace {

// A run must not leave a tool open: each gets its tool_completed (error).
void close_open_tools(session_state& st, active_run& run, error_code code, std::int64_t now) {
  std::string result = protocol::tool_error_result(code);
  for (const auto& [call_id, tool] : run.open_tools)
    st.events->emit(run.id, protocol::tool_completed_event{tool, call_id, false, 0, result}, now);
  run.open_tools.clear();
}

}  // namespace

// Ends a run that did not end by itself: closes its open tools, emits its one
// agent_completed and stops its actor.
void end_run(session_self* self, const std::string& run_id, protocol::run_status status,
             error_code code, const std::string& message) {
  auto& st = self->state;
  auto it = st.runs.find(run_id);
  if (it == st.runs.end()) return;
  auto& run = it->second;
  auto now = now_ms();
  close_open_tools(st, run, code, now);
  if (run.thoughts == 0)
    st.events->emit(
        run.id, protocol::thinking_event{protocol::thinking_stage::planning, message, 1.0}, now);
  protocol::completed_event failed;
  failed.status = status == protocol::run_status::success ? protocol::run_status::error : status;
  failed.duration_ms = static_cast<double>(now - run.started_ms);
  failed.code = code;
  failed.message = message;
  auto done = st.events->emit(run.id, std::move(failed), now);
  st.conversations.remember(run.id->conversation_id, run.id->run_id, run.request_json, false, {});
  record(self, history_completed(st.user_id, *run.id, now,
                                 std::get<protocol::completed_event>(done->event.data)));
  st.svc.stats->errors_by_code[static_cast<std::size_t>(code)]++;
  st.svc.stats->run_duration_ms.observe(static_cast<double>(now - run.started_ms));
  log_run_finished(st.user_id, run, status, std::string(protocol::to_string(code)),
                   now - run.started_ms);
  count_completion(self, status);
  self->send_exit(run.actor, caf::exit_reason::user_shutdown);
  forget_run(self, run_id);
}

namespace {

// A re-run's event that the user already holds (the log has that step): true,
// and it is not sent again. Streamed model text is not shown until the re-run
// is past what was held. A step other than the one held ends the run
// GATEWAY_LOST (the event is not sent).
bool already_held(session_self* self, active_run& run, const pending_event& ev) {
  std::string held = run.expect.front().detail;
  auto seen = replay(run.expect, ev.data);
  if (seen == replayed::send) return false;
  if (seen == replayed::drop) return true;
  auto& st = self->state;
  st.svc.stats->durable_reruns_diverged++;
  auto mark = mark_of(ev.data);
  log::warn("session", "a re-run took another path than the durable log held: ended GATEWAY_LOST",
            {{"user", st.user_id},
             {"run", run.id->run_id},
             {"held", held},
             {"now", mark ? mark->detail : std::string()}});
  end_run(self, run.id->run_id, protocol::run_status::error, error_code::gateway_lost,
          "the server running this request stopped before it finished");
  return true;
}

}  // namespace

void on_run_event(session_self* self, pending_event& ev) {
  auto& st = self->state;
  auto it = st.runs.find(ev.run_id);
  if (it == st.runs.end()) return;  // the run was already ended (cancel, timeout)
  auto& run = it->second;
  if (!run.expect.empty() && already_held(self, run, ev)) return;
  const auto type = protocol::type_of(ev.data);
  if (auto* call = std::get_if<protocol::tool_executing_event>(&ev.data))
    run.open_tools.emplace(call->tool_call_id, call->tool);
  if (auto* call = std::get_if<protocol::tool_completed_event>(&ev.data)) {
    run.open_tools.erase(call->tool_call_id);
    if (auto t = json_field(call->result_json, "tokens_in"); !t.empty()) {
      run.tokens_in = t;
      run.tokens_out = json_field(call->result_json, "tokens_out");
    }
    if (auto c = json_field(call->result_json, "chart_type"); !c.empty()) run.chart_type = c;
  }
  if (type == event_type::agent_thinking) run.thoughts++;
  if (type == event_type::agent_completed)
    close_open_tools(st, run, error_code::generation_failed, now_ms());
  auto emitted = st.events->emit(run.id, std::move(ev.data), now_ms(),
                                 ev.image ? std::string_view(*ev.image) : std::string_view(),
                                 std::move(ev.resume));
  if (type == event_type::agent_completed) {
    const auto& done = std::get<protocol::completed_event>(emitted->event.data);
    auto row = history_completed(st.user_id, *run.id, now_ms(), done);
    st.conversations.remember(run.id->conversation_id, run.id->run_id, run.request_json,
                              done.status == protocol::run_status::success, row.response_json);
    record(self, std::move(row));
    count_completion(self, done.status);
    st.svc.stats->run_duration_ms.observe(static_cast<double>(now_ms() - run.started_ms));
    log_run_finished(st.user_id, run, done.status,
                     done.status == protocol::run_status::success
                         ? ""
                         : std::string(protocol::to_string(done.code)),
                     now_ms() - run.started_ms);
    forget_run(self, ev.run_id);
  }
}

// The run actor starts, watched, and the run's deadline timer with it.
void launch(session_self* self, active_run run, run_input input) {
  auto& st = self->state;
  auto left = input.deadline.left();
  run.actor = self->spawn(run_actor, caf::actor_cast<caf::actor>(self), st.svc, std::move(input));
  self->monitor(run.actor);
  st.svc.stats->active_runs.fetch_add(1, std::memory_order_relaxed);
  self->delayed_send(self, left, run_timeout_atom::value, run.id->run_id);
  st.run_by_correlation.emplace(run.id->correlation_id, run.id->run_id);
  std::string run_id = run.id->run_id;
  st.runs.emplace(std::move(run_id), std::move(run));
}

// A run in flight when its gateway stopped (a restart, a takeover) is run
// again under its run_id, with a new deadline; the steps the user already
// holds are not sent again (issue #18, actors/run_replay.hpp).
void repeat_run(session_self* self, resumable_run& r) {
  auto& st = self->state;
  active_run run;
  run.id = std::make_shared<const run_identity>(r.id);
  run.started_ms = r.started_ms;
  run.open_tools.insert(r.open_tools.begin(), r.open_tools.end());
  run.thoughts = r.thoughts;
  run.expect.assign(r.expect.begin(), r.expect.end());
  run.request_json = history_request_json(r.record.payload, {}, r.record.refined_from);
  run_input input;
  input.run_id = r.id.run_id;
  input.user_id = st.user_id;
  input.payload = std::move(r.record.payload);
  input.deadline = deadline_for(*st.svc.cfg);
  input.refined_from = std::move(r.record.refined_from);
  input.refined_synthetic = r.record.refined_synthetic;
  input.recorded = r.checkpoint;
  st.svc.stats->durable_reruns++;
  log::info("session", "a run in flight when its gateway stopped is run again",
            {{"user", st.user_id},
             {"run", r.id.run_id},
             {"correlation_id", r.id.correlation_id},
             {"steps_held", std::to_string(r.expect.size())},
             {"model_answer_held", r.checkpoint ? "1" : "0"}});
  launch(self, std::move(run), std::move(input));
}

}  // namespace aw::actors::session
