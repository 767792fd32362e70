#pragma once

#include <cstdint>
#include <memory>
#include <unordered_map>

#include <caf/behavior.hpp>
#include <caf/response_promise.hpp>
#include <caf/stateful_actor.hpp>

#include "core/config.hpp"
#include "llm/client.hpp"
#include "protocol/client_messages.hpp"

namespace aw::actors {

struct llm_state {
  struct pending_call {
    caf::response_promise promise;
    protocol::analytics_payload payload;
    protocol::chart_type type;
  };
  std::shared_ptr<const core::config> cfg;
  std::unique_ptr<llm::client> client;  // openai only; its workers do the HTTP calls
  std::uint64_t next_id = 0;
  std::unordered_map<std::uint64_t, pending_call> pending;
};

// (generate_atom, analytics_payload, chart_type, caf::actor stream_to) -> generation
// builtin: computed inline (local and fast). openai: the call goes to the
// client's worker threads; streamed text goes to `stream_to` (the run) as
// (llm_partial_atom, std::string); the reply is delivered when the call ends,
// from the model, from the builtin fallback, or as an error (LLM_FALLBACK=none).
caf::behavior llm_actor(caf::stateful_actor<llm_state>* self,
                        std::shared_ptr<const core::config> cfg);

}  // namespace aw::actors
