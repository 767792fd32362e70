#include "actors/run_replay.hpp"

#include "protocol/server_messages.hpp"

namespace aw::actors {

std::string tool_step(const std::string& tool, const std::string& call_id) {
  return tool + "/" + call_id;
}

replayed replay(std::deque<step_mark>& held, const protocol::event_data& event) {
  if (held.empty()) return replayed::send;
  auto mark = mark_of(event);
  if (!mark) return replayed::drop;
  if (*mark == held.front()) {
    held.pop_front();
    return replayed::drop;
  }
  held.clear();
  return replayed::diverged;
}

std::optional<step_mark> mark_of(const protocol::event_data& event) {
  using protocol::event_type;
  if (auto* t = std::get_if<protocol::thinking_event>(&event)) {
    if (t->partial) return std::nullopt;
    return step_mark{event_type::agent_thinking, std::string(protocol::to_string(t->stage)), true};
  }
  if (auto* e = std::get_if<protocol::tool_executing_event>(&event))
    return step_mark{event_type::tool_executing, tool_step(e->tool, e->tool_call_id), true};
  if (auto* c = std::get_if<protocol::tool_completed_event>(&event))
    return step_mark{event_type::tool_completed, tool_step(c->tool, c->tool_call_id), c->success};
  return step_mark{protocol::type_of(event), {}, true};
}

}  // namespace aw::actors
