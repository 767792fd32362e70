#pragma once

#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

#include <caf/actor_addr.hpp>
#include <caf/behavior.hpp>
#include <caf/response_promise.hpp>
#include <caf/stateful_actor.hpp>

#include "actors/counters.hpp"
#include "actors/interfaces.hpp"
#include "core/config.hpp"
#include "llm/client.hpp"
#include "protocol/client_messages.hpp"

namespace aw::actors {

struct llm_state {
  struct pending_call {
    caf::response_promise promise;
    protocol::analytics_payload payload;
    protocol::chart_type type;
    caf::actor_addr requester;  // the run; monitored
    llm::call_id call = 0;      // the client's id, to cancel it
  };
  std::shared_ptr<const core::config> cfg;
  std::shared_ptr<counters> stats;
  std::unique_ptr<llm::client> client;  // openai only; one thread drives every call
  std::uint64_t next_key = 0;
  std::unordered_map<std::uint64_t, pending_call> pending;
  std::unordered_map<caf::actor_addr, std::vector<std::uint64_t>> by_requester;
};

// llm_api: (generate_atom, analytics_payload, chart_type, caf::actor stream_to) -> generation
// builtin: computed inline (local and fast). openai: the call goes to the
// client (no thread per call); streamed text goes to `stream_to` (the run) as
// (llm_partial_atom, std::string); the reply is delivered when the call ends,
// from the model, from the builtin fallback, or as an error (LLM_FALLBACK=none).
// A full queue (LLM_QUEUE_MAX) answers at once the same way. `stream_to` is
// monitored: when the run ends first (cancel, timeout, a dead gateway), its
// call is cancelled, so a transfer ends at once and a queued call is never sent.
// Its own type adds the message its client thread sends when a call ends.
using llm_actor_type =
    llm_api::extend<caf::reacts_to<llm_done_atom, std::uint64_t, llm::call_result>>;

llm_actor_type::behavior_type llm_actor(llm_actor_type::stateful_pointer<llm_state> self,
                                        std::shared_ptr<const core::config> cfg,
                                        std::shared_ptr<counters> stats);

}  // namespace aw::actors
