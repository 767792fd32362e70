#include "actors/session_actor.hpp"

#include <algorithm>
#include <deque>
#include <list>
#include <memory>
#include <unordered_map>

#include <caf/all.hpp>

#include "actors/conversation_memory.hpp"
#include "actors/durable_log.hpp"
#include "actors/emitter.hpp"
#include "actors/history_record.hpp"
#include "actors/history_writer.hpp"  // the history_write message
#include "actors/ids.hpp"
#include "actors/messages.hpp"
#include "actors/run_actor.hpp"
#include "actors/run_record.hpp"
#include "actors/run_replay.hpp"
#include "core/log.hpp"

namespace aw::actors {
namespace {

using protocol::error_code;
using protocol::event_type;

struct connection_info {
  conn_id id = 0;
  std::string session_id;
};

struct active_run {
  std::shared_ptr<const run_identity> id;  // shared by every event of the run
  caf::actor actor;
  std::int64_t started_ms = 0;
  std::unordered_map<std::string, std::string> open_tools;  // tool_call_id -> tool
  int thoughts = 0;  // agent_thinking events so far: a run has at least one
  // For the one "run finished" log line, picked from the run's own events.
  std::string chart_type;
  std::string tokens_in;
  std::string tokens_out;
  std::string request_json;  // as recorded in the history, for the conversation memory
  // A re-run (issue #18): its steps the user already holds, in order; the
  // run actor's matching events are dropped (actors/run_replay.hpp).
  std::deque<step_mark> expect;
};

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

constexpr const char* agent_name = "analytics_agent";

struct session_state {
  std::string user_id;
  services svc;
  std::unique_ptr<emitter> events;
  std::vector<connection_info> conns;                // oldest first
  std::vector<conn_id> watchers;                     // AG-UI run taps: events, no ack
  std::unordered_map<std::string, active_run> runs;  // by run_id
  std::unordered_map<std::string, std::string> run_by_correlation;
  std::list<std::int64_t> recent_requests;  // accepted request times, for the rate limit
  conversation_memory conversations;        // last chart and recent turns per conversation
  // Requests waiting for their conversation to be read back from the history
  // (a follow-up after a reconnect or a restart), by correlation_id: true once
  // the client cancelled it (the run then starts and ends as cancelled).
  std::unordered_map<std::string, bool> recalling;
  std::int64_t idle_since_ms = 0;
  bool draining = false;  // the node is shutting down
  bool drained = false;   // told the gateway once its last run ended and was delivered
  // Shared durable log: this node's claim of the user, and whether another
  // gateway asked for the user and the session is retiring to hand it over.
  std::int64_t owner_epoch = 0;
  bool handing_off = false;
};

using session_self = caf::stateful_actor<session_state>;

std::int64_t now_ms() {
  return protocol::now_unix_ms();
}

void send_error(session_self* self, conn_id conn, error_code code, std::string message,
                const std::string& correlation_id) {
  self->state.svc.stats->errors_by_code[static_cast<std::size_t>(code)]++;
  protocol::protocol_error e{code, std::move(message), correlation_id};
  self->state.svc.out->send_error(conn, e, now_ms());
}

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

// History (issue #8): the writer is a detached actor; this only sends.
void record(session_self* self, store::history_write w) {
  if (self->state.svc.history) self->send(self->state.svc.history, std::move(w));
}

// A run must not leave a tool open: each gets its tool_completed (error).
void close_open_tools(session_state& st, active_run& run, error_code code, std::int64_t now) {
  std::string result = protocol::tool_error_result(code);
  for (const auto& [call_id, tool] : run.open_tools)
    st.events->emit(run.id, protocol::tool_completed_event{tool, call_id, false, 0, result}, now);
  run.open_tools.clear();
}

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

bool over_rate_limit(session_state& st, std::int64_t now) {
  auto window = static_cast<std::int64_t>(st.svc.cfg->rate_limit_window_s) * 1000;
  while (!st.recent_requests.empty() && now - st.recent_requests.front() >= window)
    st.recent_requests.pop_front();
  return static_cast<int>(st.recent_requests.size()) >= st.svc.cfg->rate_limit_requests;
}

const connection_info* find_conn(const session_state& st, conn_id conn) {
  for (const auto& c : st.conns)
    if (c.id == conn) return &c;
  return nullptr;
}

void start_run(session_self* self, conn_id conn, protocol::analytics_request& req,
               const std::string& conversation,
               const std::optional<std::vector<analytics::chart_edit>>& edits);

void on_request(session_self* self, conn_id conn, protocol::analytics_request& req) {
  auto& st = self->state;
  const auto& cid = req.correlation_id;
  auto now = now_ms();
  const connection_info* info = find_conn(st, conn);
  bool watcher = std::find(st.watchers.begin(), st.watchers.end(), conn) != st.watchers.end();
  if (info == nullptr && !watcher) return;  // the connection closed meanwhile
  if (st.run_by_correlation.count(cid) != 0 || st.recalling.count(cid) != 0)
    return send_error(self, conn, error_code::duplicate_correlation_id,
                      "a run with correlation_id " + cid + " is still going", cid);
  if (static_cast<int>(st.runs.size() + st.recalling.size()) >= st.svc.cfg->max_runs_per_user)
    return send_error(self, conn, error_code::too_many_runs,
                      "at most " + std::to_string(st.svc.cfg->max_runs_per_user) +
                          " runs may go at once per user",
                      cid);
  if (st.svc.durable && st.svc.durable->over_bound()) {
    st.svc.stats->durable_refused_runs++;
    return send_error(self, conn, error_code::rate_limited,
                      "the server is behind writing events; send the request again shortly", cid);
  }
  if (over_rate_limit(st, now))
    return send_error(self, conn, error_code::rate_limited,
                      "over " + std::to_string(st.svc.cfg->rate_limit_requests) + " requests per " +
                          std::to_string(st.svc.cfg->rate_limit_window_s) + " s",
                      cid);
  auto& payload = req.payload;
  if (payload.data && payload.chart_preference) {
    if (auto misfit = analytics::check_data_fits(*payload.chart_preference, *payload.data);
        !misfit.ok())
      return send_error(self, conn, misfit.code(), misfit.message(), cid);
  }
  st.recent_requests.push_back(now);

  std::string conversation = !req.conversation_id.empty() ? req.conversation_id
                             : info != nullptr            ? info->session_id
                                                          : st.user_id;
  std::optional<std::vector<analytics::chart_edit>> edits;
  if (!payload.data) edits = analytics::parse_follow_up(payload.content);
  bool model = st.svc.cfg->llm_provider != "builtin";
  if ((edits || model) && st.svc.history && !st.conversations.known(conversation)) {
    // The conversation's last chart and turns come from the history store (a
    // reconnect to a new session, or a restart), read on the writer's thread.
    st.recalling.emplace(cid, false);
    self->request(st.svc.history, std::chrono::seconds(2), history_recall_atom::value, st.user_id,
                  conversation)
        .then(
            [self, conn, req, conversation, edits](history_rows& rows) mutable {
              self->state.conversations.recall(conversation, rows.rows);
              start_run(self, conn, req, conversation, edits);
            },
            [self, conn, req, conversation, edits](caf::error& err) mutable {
              log::warn("session", "conversation not read back from the history: starting fresh",
                        {{"user", self->state.user_id}, {"error", caf::to_string(err)}});
              start_run(self, conn, req, conversation, edits);
            });
    return;
  }
  start_run(self, conn, req, conversation, edits);
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

void start_run(session_self* self, conn_id conn, protocol::analytics_request& req,
               const std::string& conversation,
               const std::optional<std::vector<analytics::chart_edit>>& edits) {
  auto& st = self->state;
  const auto& cid = req.correlation_id;
  bool cancelled = false;
  if (auto waiting = st.recalling.find(cid); waiting != st.recalling.end()) {
    cancelled = waiting->second;
    st.recalling.erase(waiting);
    if (st.draining)
      return send_error(self, conn, error_code::shutting_down,
                        "the server is shutting down; reconnect and send the request again", cid);
  }
  auto now = now_ms();
  active_run run;
  auto ids = std::make_shared<run_identity>();
  ids->run_id = make_id("run");
  ids->correlation_id = cid;
  ids->conversation_id = conversation;
  ids->message_id = req.message_id;
  run.id = std::move(ids);
  run.started_ms = now;
  // A follow-up edits the conversation's last chart; anything else starts fresh.
  const analytics::prior_chart* prior = edits ? st.conversations.last_chart(conversation) : nullptr;
  std::optional<analytics::refinement> refined;
  if (prior) refined = analytics::apply_follow_up(*prior, *edits, req.payload);
  std::string refined_from = prior ? prior->run_id : std::string();
  auto started = history_started(st.user_id, *run.id, now, req.payload,
                                 refined ? refined->payload.content : std::string(), refined_from);
  run.request_json = started.request_json;
  std::string asked = req.payload.content;
  std::string context;
  if (st.svc.cfg->llm_provider != "builtin") context = st.conversations.context(conversation);
  // One deadline for the run: the timer below ends it there, and the run
  // derives its step timeouts from the same instant.
  auto deadline = deadline_for(*st.svc.cfg);
  run_input input;
  input.run_id = run.id->run_id;
  input.user_id = st.user_id;
  input.payload = refined ? std::move(refined->payload) : std::move(req.payload);
  input.deadline = deadline;
  input.payload.conversation_context = std::move(context);
  if (refined) {
    input.refined_from = refined_from;
    input.refined_synthetic = refined->synthetic;
  }
  // The session, not the run actor, opens the run: agent_started is then
  // first whatever happens next, even a cancel that arrives at once. With a
  // durable log it carries what a re-run needs (actors/run_record.hpp).
  std::shared_ptr<const std::string> rerun_input;
  if (st.svc.durable)
    rerun_input = std::make_shared<const std::string>(
        encode_run_record(input.payload, input.refined_from, input.refined_synthetic));
  st.events->emit(run.id, protocol::started_event{agent_name, std::move(asked)}, now, {},
                  std::move(rerun_input));
  record(self, std::move(started));
  st.events->emit(run.id,
                  protocol::thinking_event{protocol::thinking_stage::planning,
                                           "Reading the request and choosing how to show it", 0.05},
                  now);
  run.thoughts = 1;
  if (refined) {
    st.events->emit(
        run.id,
        protocol::thinking_event{protocol::thinking_stage::planning, refined->thought, 0.08}, now);
    run.thoughts++;
    log::debug("session", "follow-up", {{"user", st.user_id}, {"refined_from", refined_from}});
  }
  st.svc.stats->runs_started.fetch_add(1, std::memory_order_relaxed);
  log::debug("session", "run accepted", {{"user", st.user_id}, {"run", run.id->run_id}});
  std::string run_id = run.id->run_id;
  launch(self, std::move(run), std::move(input));
  if (cancelled)  // while its conversation was read back
    end_run(self, run_id, protocol::run_status::cancelled, error_code::cancelled,
            "the run was cancelled by the client");
}

void on_connect(session_self* self, conn_id conn, std::string& session_id, std::int64_t last_seq,
                const std::string& epoch) {
  auto& st = self->state;
  auto now = now_ms();
  st.handing_off = false;  // the user is back here: it stays
  protocol::connection_ack ack;
  ack.user_id = st.user_id;
  ack.session_id = session_id;
  ack.node = st.svc.cfg->node_id;
  ack.heartbeat_s = st.svc.cfg->heartbeat_s;
  ack.last_seq = st.events->visible_seq();
  ack.epoch = st.events->epoch();
  st.svc.out->send(conn, std::make_shared<const std::string>(protocol::write_connection_ack(ack)));
  // Replay strictly before live events: both happen inside this one handler.
  if (last_seq >= 0) st.events->replay(conn, static_cast<std::uint64_t>(last_seq), epoch, now);
  st.events->attach(conn);
  // The gateway owns the user's connection registry and its cap: it sends
  // disconnect_atom for a connection it supersedes.
  st.conns.push_back(connection_info{conn, std::move(session_id)});
}

void on_disconnect(session_self* self, conn_id conn) {
  auto& st = self->state;
  st.events->detach(conn);
  for (auto it = st.conns.begin(); it != st.conns.end(); ++it) {
    if (it->id == conn) {
      st.conns.erase(it);
      break;
    }
  }
  schedule_idle_check(self);
}

// Handlers shared by every state of the session.
caf::message_handler common_handlers(session_self* self) {
  return {
      [self](connect_atom, conn_id conn, std::string& session_id, std::int64_t last_seq,
             const std::string& epoch) { on_connect(self, conn, session_id, last_seq, epoch); },
      [self](disconnect_atom, conn_id conn) { on_disconnect(self, conn); },
      [self](watch_atom, conn_id conn) {
        auto& st = self->state;
        st.watchers.push_back(conn);
        st.events->attach(conn);
      },
      [self](unwatch_atom, conn_id conn) {
        auto& st = self->state;
        st.watchers.erase(std::remove(st.watchers.begin(), st.watchers.end(), conn),
                          st.watchers.end());
        st.events->detach(conn);
      },
      [self](cancel_atom, conn_id conn, const std::string& correlation_id) {
        auto& st = self->state;
        auto it = st.run_by_correlation.find(correlation_id);
        if (auto waiting = st.recalling.find(correlation_id);
            it == st.run_by_correlation.end() && waiting != st.recalling.end()) {
          waiting->second = true;  // it starts and ends at once when the read is back
          return;
        }
        if (it == st.run_by_correlation.end())
          return send_error(self, conn, error_code::not_found,
                            "no running run has correlation_id " + correlation_id, correlation_id);
        std::string run_id = it->second;
        end_run(self, run_id, protocol::run_status::cancelled, error_code::cancelled,
                "the run was cancelled by the client");
      },
      [self](admin_cancel_atom, const std::string& correlation_id) {
        auto& st = self->state;
        auto it = st.run_by_correlation.find(correlation_id);
        if (it == st.run_by_correlation.end()) return false;
        std::string run_id = it->second;
        end_run(self, run_id, protocol::run_status::cancelled, error_code::cancelled,
                "the run was cancelled by an operator");
        return true;
      },
      [self](admin_info_atom) {
        auto& st = self->state;
        std::string runs;
        for (const auto& [cid, run_id] : st.run_by_correlation)
          runs += std::string(runs.empty() ? "" : ",") + "{\"correlation_id\":\"" + cid +
                  "\",\"run_id\":\"" + run_id + "\"}";
        // Ids are checked at the protocol's charset ([A-Za-z0-9_.:@-]): no escaping needed.
        return "{\"user_id\":\"" + st.user_id + "\",\"epoch\":\"" + st.events->epoch() +
               "\",\"last_seq\":" + std::to_string(st.events->visible_seq()) +
               ",\"oldest_seq\":" + std::to_string(st.events->oldest_seq()) +
               ",\"connections\":" + std::to_string(st.conns.size()) + ",\"runs\":[" + runs + "]}";
      },
      [self](resume_atom, conn_id conn, std::uint64_t last_seq) {
        self->state.events->replay(conn, last_seq, std::string(), now_ms());
      },
      [self](emit_atom, pending_event& ev) { on_run_event(self, ev); },
      [self](durable_atom, std::uint64_t upto, const std::vector<frame_ptr>& frames) {
        self->state.events->delivered(upto, frames);
        maybe_drained(self);
      },
      [self](run_timeout_atom, const std::string& run_id) {
        auto secs = std::to_string(self->state.svc.cfg->chart_generation_timeout_s);
        end_run(self, run_id, protocol::run_status::timeout, error_code::timeout,
                "the run took longer than CHART_GENERATION_TIMEOUT_S (" + secs + " s)");
      },
      [self](idle_check_atom) {
        auto& st = self->state;
        auto idle_ms = now_ms() - st.idle_since_ms;
        if (st.conns.empty() && st.runs.empty() &&
            idle_ms >= static_cast<std::int64_t>(st.svc.cfg->event_buffer_s) * 1000)
          st.svc.out->retire(st.user_id, caf::actor_cast<caf::actor>(self));
      },
      [self](retire_atom) {
        auto& st = self->state;
        if (!st.conns.empty() || !st.runs.empty()) return;
        if (st.svc.durable && st.svc.durable->shared())
          st.svc.durable->leaving(st.user_id, caf::actor_cast<caf::actor>(self), st.handing_off,
                                  st.owner_epoch);
        if (st.handing_off) {
          log::info("session", "user handed over to the gateway that asked for it",
                    {{"user", st.user_id}});
        } else {
          log::debug("session", "user forgotten after idle time", {{"user", st.user_id}});
          if (st.svc.durable) st.svc.durable->forget(st.user_id);
        }
        self->quit();
      },
      [self](handoff_atom) {
        auto& st = self->state;
        if (!st.conns.empty() || !st.runs.empty() || !st.watchers.empty() || st.draining) return;
        st.handing_off = true;
        st.svc.out->retire(st.user_id, caf::actor_cast<caf::actor>(self));
      },
  };
}

caf::behavior draining(session_self* self);

// Normal operation: requests start runs.
caf::behavior live(session_self* self) {
  return caf::message_handler{
      [self](request_atom, conn_id conn, protocol::analytics_request& req) {
        on_request(self, conn, req);
      },
      [self](drain_atom) {
        auto& st = self->state;
        st.draining = true;
        maybe_drained(self);
        self->become(draining(self));
      },
  }
      .or_else(common_handlers(self));
}

// The node is shutting down: runs in flight may finish, new ones are refused,
// and shutdown_atom ends whatever is still running.
caf::behavior draining(session_self* self) {
  return caf::message_handler{
      [self](request_atom, conn_id conn, protocol::analytics_request& req) {
        send_error(self, conn, error_code::shutting_down,
                   "the server is shutting down; reconnect and send the request again",
                   req.correlation_id);
      },
      [](drain_atom) {},
      [self](shutdown_atom) {
        std::vector<std::string> ids;
        for (const auto& [run_id, run] : self->state.runs) ids.push_back(run_id);
        for (const auto& id : ids)
          end_run(self, id, protocol::run_status::error, error_code::shutting_down,
                  "the server shut down before the run finished");
      },
  }
      .or_else(common_handlers(self));
}

// The user's history: recovered (a restart, a takeover) or new with `epoch`.
void open_history(session_self* self, std::optional<recovered_user>& recovered,
                  const std::string& epoch) {
  auto& st = self->state;
  const auto& cfg = *st.svc.cfg;
  event_log_limits limits{static_cast<std::size_t>(cfg.event_buffer_events),
                          static_cast<std::int64_t>(cfg.event_buffer_s) * 1000,
                          static_cast<std::size_t>(cfg.event_buffer_bytes),
                          st.svc.stats ? &st.svc.stats->event_buffer_bytes : nullptr,
                          static_cast<std::int64_t>(cfg.event_buffer_total_mb) << 20};
  st.events = std::make_unique<emitter>(st.user_id, recovered ? recovered->epoch : epoch, limits,
                                        st.svc.out, st.svc.stats.get());
  if (recovered) st.events->restore(*recovered);
  if (st.svc.durable)
    st.events->make_durable(st.svc.durable.get(), caf::actor_cast<caf::actor>(self));
  if (st.svc.durable && st.svc.durable->shared()) {
    if (recovered) st.owner_epoch = recovered->owner_epoch;
    st.svc.durable->serving(st.user_id, caf::actor_cast<caf::actor>(self));
  }
  if (recovered)
    for (auto& run : recovered->rerun) repeat_run(self, run);
}

// The user's session is live on another gateway (or the store did not
// answer the claim): every connection that reaches this session is closed
// (1013, try again later) and the session goes once none is left.
caf::behavior refusing(session_self* self) {
  auto leave = [self] {
    auto& st = self->state;
    st.svc.out->retire(st.user_id, caf::actor_cast<caf::actor>(self));
  };
  leave();
  return {
      [self](connect_atom, conn_id conn, std::string&, std::int64_t, const std::string&) {
        self->state.svc.out->close(conn, close_reason::owned_elsewhere);
      },
      [self](watch_atom, conn_id conn) {
        self->state.svc.out->close(conn, close_reason::owned_elsewhere);
      },
      [leave](disconnect_atom, conn_id) { leave(); },
      [](unwatch_atom, conn_id) {},
      [](request_atom, conn_id, protocol::analytics_request&) {},
      [](drain_atom) {},
      [self](retire_atom) { self->quit(); },
  };
}

// Several gateways share the durable log: the session waits for its user's
// claim (durable_log::claim) before anything else; messages wait in the mailbox.
caf::behavior claiming(session_self* self, std::string epoch) {
  self->set_default_handler(caf::skip);
  return {
      [self, epoch](claimed_atom, std::shared_ptr<claim_reply>& reply) {
        auto& st = self->state;
        self->set_default_handler(caf::print_and_drop);
        if (reply->result != claim_reply::outcome::ready) {
          log::warn("session",
                    "user not served here: its session is live on another gateway, or the "
                    "durable log did not answer; its connections are closed 1013",
                    {{"user", st.user_id}, {"owner", reply->from_node}});
          self->become(refusing(self));
          return;
        }
        st.owner_epoch = reply->owner_epoch;
        open_history(self, reply->user, epoch);
        auto now = now_ms();
        for (const auto& run : reply->ended)  // ended GATEWAY_LOST by the takeover, durable
          account_lost_run(st.svc, st.user_id, run, now);
        self->become(live(self));
      },
  };
}

caf::behavior session_actor(session_self* self, services svc, std::string user_id) {
  auto& st = self->state;
  st.svc = std::move(svc);
  st.user_id = std::move(user_id);
  std::optional<recovered_user> recovered;
  if (st.svc.durable) recovered = st.svc.durable->take(st.user_id);
  auto epoch = random_tag("e");
  bool claim = !recovered && st.svc.durable && st.svc.durable->shared();
  if (claim)
    st.svc.durable->claim(caf::actor_cast<caf::actor>(self), st.user_id, epoch);
  else
    open_history(self, recovered, epoch);
  self->set_down_handler([self](caf::down_msg& msg) {
    auto& st = self->state;
    for (auto& [run_id, run] : st.runs) {
      if (run.actor.address() != msg.source) continue;
      std::string id = run_id;  // end_run erases the entry
      log::warn("session", "run actor stopped before completing",
                {{"user", st.user_id}, {"run", id}, {"reason", caf::to_string(msg.reason)}});
      end_run(self, id, protocol::run_status::error, error_code::generation_failed,
              "the run stopped unexpectedly");
      return;
    }
  });
  return claim ? claiming(self, epoch) : live(self);
}

}  // namespace

caf::actor spawn_session(caf::actor_system& system, const services& svc, std::string user_id) {
  return system.spawn(session_actor, svc, std::move(user_id));
}

}  // namespace aw::actors
