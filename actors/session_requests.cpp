// A client's request in the user's session: the per-user limits, a follow-up
// read against the conversation, then the run it starts.
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

void send_error(session_self* self, conn_id conn, error_code code, std::string message,
                const std::string& correlation_id) {
  self->state.svc.stats->errors_by_code[static_cast<std::size_t>(code)]++;
  protocol::protocol_error e{code, std::move(message), correlation_id};
  self->state.svc.out->send_error(conn, e, now_ms());
}

namespace {

constexpr const char* agent_name = "analytics_agent";

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

}  // namespace

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

}  // namespace aw::actors::session
