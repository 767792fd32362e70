#include "actors/durable_recovery.hpp"

#include <algorithm>
#include <map>

#include <rapidjson/document.h>

#include "actors/ids.hpp"
#include "protocol/server_messages.hpp"

namespace aw::actors {
namespace {

using protocol::event_type;

struct open_run {
  run_identity id;
  std::int64_t started_ms = 0;
  std::uint64_t first_seq = 0;
  int thoughts = 0;
  std::map<std::string, std::string> open_tools;  // tool_call_id -> tool, in id order
  bool completed = false;
  std::string record;            // on agent_started
  std::string checkpoint;        // the newest model answer
  std::vector<step_mark> steps;  // after agent_started, partial thoughts left out
};

// The session opens a run with its first thought, and a follow-up's second,
// before the run actor starts: those are not the run actor's steps.
std::optional<resumable_run> as_resumable(const open_run& run) {
  auto record = decode_run_record(run.record);
  if (!record) return std::nullopt;
  std::size_t opening = record->refined_from.empty() ? 1 : 2;
  if (run.steps.size() < opening) return std::nullopt;
  for (std::size_t i = 0; i < opening; ++i)
    if (run.steps[i].type != event_type::agent_thinking) return std::nullopt;
  resumable_run r;
  if (!run.checkpoint.empty()) {
    auto answer = decode_checkpoint(run.checkpoint);
    if (!answer) return std::nullopt;
    r.checkpoint = std::make_shared<const run_checkpoint>(std::move(*answer));
  }
  r.id = run.id;
  r.started_ms = run.started_ms;
  r.thoughts = run.thoughts;
  r.open_tools = run.open_tools;
  r.record = std::move(*record);
  r.expect.assign(run.steps.begin() + static_cast<std::ptrdiff_t>(opening), run.steps.end());
  return r;
}

std::string text(const rapidjson::Value& obj, const char* key) {
  auto it = obj.FindMember(key);
  return it != obj.MemberEnd() && it->value.IsString()
             ? std::string(it->value.GetString(), it->value.GetStringLength())
             : std::string();
}

bool partial(const rapidjson::Value* data) {
  if (data == nullptr) return false;
  auto it = data->FindMember("partial");
  return it != data->MemberEnd() && it->value.IsBool() && it->value.GetBool();
}

// A frame's step, as run_replay.hpp marks a typed event.
std::optional<step_mark> mark_of(event_type type, const rapidjson::Value* data) {
  if (data == nullptr) return step_mark{type, {}, true};
  switch (type) {
    case event_type::agent_thinking:
      if (partial(data)) return std::nullopt;
      return step_mark{type, text(*data, "stage"), true};
    case event_type::tool_executing:
      return step_mark{type, tool_step(text(*data, "tool"), text(*data, "tool_call_id")), true};
    case event_type::tool_completed:
      return step_mark{type, tool_step(text(*data, "tool"), text(*data, "tool_call_id")),
                       text(*data, "status") != "error"};
    default:
      return step_mark{type, {}, true};
  }
}

bool type_of(const std::string& name, event_type* out) {
  for (auto t : {event_type::agent_started, event_type::agent_thinking, event_type::tool_executing,
                 event_type::tool_completed, event_type::agent_completed})
    if (protocol::to_string(t) == name) return *out = t, true;
  return false;
}

void append_event(store::stored_user& user, const open_run& run, event_type type,
                  const std::string& data, std::int64_t now_ms) {
  std::string event_id = make_id("evt");
  protocol::event_envelope env;
  env.type = type;
  env.seq = ++user.last_seq;
  env.event_id = event_id;
  env.run_id = run.id.run_id;
  env.correlation_id = run.id.correlation_id;
  env.conversation_id = run.id.conversation_id;
  env.user_id = user.user_id;
  env.message_id = run.id.message_id;
  env.unix_ms = now_ms;
  user.events.push_back({env.seq, now_ms, protocol::write_event(env, data), {}});
}

}  // namespace

std::vector<ended_run> end_open_runs(store::stored_user& user, std::int64_t now_ms,
                                     std::vector<resumable_run>* rerun) {
  std::map<std::string, open_run> runs;  // by run_id
  for (const auto& e : user.events) {
    rapidjson::Document d;
    d.Parse(e.frame.data(), e.frame.size());
    if (d.HasParseError() || !d.IsObject()) continue;
    event_type type;
    if (!type_of(text(d, "type"), &type)) continue;
    std::string run_id = text(d, "run_id");
    if (run_id.empty() || text(d, "user_id") != user.user_id) continue;
    auto data_it = d.FindMember("data");
    const rapidjson::Value* data =
        data_it != d.MemberEnd() && data_it->value.IsObject() ? &data_it->value : nullptr;
    if (type == event_type::agent_started) {
      auto& run = runs[run_id];
      run.id = {run_id, text(d, "correlation_id"), text(d, "conversation_id"),
                text(d, "message_id")};
      run.started_ms = e.at_ms;
      run.first_seq = e.seq;
      run.record = e.resume;
      continue;
    }
    auto it = runs.find(run_id);
    if (it == runs.end()) continue;  // its start is no longer held: nothing to end
    auto& run = it->second;
    if (auto mark = mark_of(type, data)) run.steps.push_back(std::move(*mark));
    if (!e.resume.empty()) run.checkpoint = e.resume;
    if (type == event_type::agent_thinking) run.thoughts++;
    if (type == event_type::tool_executing && data != nullptr)
      run.open_tools[text(*data, "tool_call_id")] = text(*data, "tool");
    if (type == event_type::tool_completed && data != nullptr)
      run.open_tools.erase(text(*data, "tool_call_id"));
    if (type == event_type::agent_completed) run.completed = true;
  }
  std::vector<const open_run*> open;
  for (const auto& [id, run] : runs)
    if (!run.completed) open.push_back(&run);
  std::sort(open.begin(), open.end(),
            [](const open_run* a, const open_run* b) { return a->first_seq < b->first_seq; });
  const auto code = protocol::error_code::gateway_lost;
  const std::string message = "the server running this request stopped before it finished";
  std::vector<ended_run> ended;
  for (const auto* run : open) {
    if (rerun != nullptr) {
      if (auto again = as_resumable(*run)) {
        rerun->push_back(std::move(*again));
        continue;
      }
    }
    for (const auto& [call_id, tool] : run->open_tools)
      append_event(
          user, *run, event_type::tool_completed,
          protocol::tool_completed_data(tool, call_id, false, 0, protocol::tool_error_result(code)),
          now_ms);
    if (run->thoughts == 0)
      append_event(user, *run, event_type::agent_thinking,
                   protocol::thinking_data(protocol::thinking_stage::planning, message, 1.0),
                   now_ms);
    auto data = protocol::completed_failure_data(
        protocol::run_status::error, static_cast<double>(now_ms - run->started_ms), code, message);
    append_event(user, *run, event_type::agent_completed, data, now_ms);
    ended.push_back({run->id, run->started_ms, data});
  }
  return ended;
}

}  // namespace aw::actors
