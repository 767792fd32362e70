// A re-run (issue #18) repeats a run whose gateway died; the user already
// holds the events the durable log has of it. Each of those is a step mark;
// the session drops the re-run's events while they match the marks, in order,
// and sends the rest. A re-run that takes another path (a mark does not
// match: another config on this gateway, a model that answers otherwise)
// ends GATEWAY_LOST instead, so no client sees two versions of a step.
// Streamed model text (partial thoughts) is not a step: never marked.
#pragma once

#include <deque>
#include <optional>
#include <string>

#include "protocol/run_event.hpp"

namespace aw::actors {

struct step_mark {
  protocol::event_type type = protocol::event_type::agent_thinking;
  std::string detail;   // the tool and its call id; the thinking stage
  bool success = true;  // tool_completed
  bool operator==(const step_mark& o) const {
    return type == o.type && detail == o.detail && success == o.success;
  }
};

// nullopt: not a step (a partial thought). The log's frames are marked alike
// (durable_recovery.cpp).
std::optional<step_mark> mark_of(const protocol::event_data& event);
std::string tool_step(const std::string& tool, const std::string& call_id);

// What the session does with a re-run's event while `held` (the steps the
// user holds, oldest first) is not empty: `drop` it (it matches the next
// held step, which is consumed; or it is streamed text), or the re-run has
// `diverged` (`held` is cleared). Once `held` is empty every event is sent.
enum class replayed { drop, send, diverged };
replayed replay(std::deque<step_mark>& held, const protocol::event_data& event);

}  // namespace aw::actors
