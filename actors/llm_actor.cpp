#include "actors/llm_actor.hpp"

#include <caf/all.hpp>

#include "actors/messages.hpp"
#include "core/log.hpp"
#include "llm/answer.hpp"
#include "llm/prompt.hpp"

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(aw::llm::call_result)

namespace aw::actors {
namespace {

using llm_self = caf::stateful_actor<llm_state>;

analytics::generation builtin(const protocol::analytics_payload& payload, protocol::chart_type type,
                              const std::string& provider) {
  auto gen = analytics::builtin_generate(payload, type);
  gen.provider = provider;
  return gen;
}

void finish(llm_self* self, std::uint64_t id, llm::call_result& r) {
  auto& st = self->state;
  auto it = st.pending.find(id);
  if (it == st.pending.end()) return;
  auto call = std::move(it->second);
  st.pending.erase(it);
  std::string reason = r.error;
  if (r.ok) {
    std::string error;
    if (auto answer = llm::parse_answer(r.content, &error)) {
      auto gen = llm::build_generation(call.payload, call.type, *answer);
      gen.provider = "openai";
      gen.model = st.cfg->llm_model;
      gen.tokens_in = r.tokens_in;
      gen.tokens_out = r.tokens_out;
      gen.tokens_estimated = !r.usage_reported;
      gen.attempts = r.attempts;
      gen.llm_ms = r.duration_ms;
      if (!answer->repairs.empty())
        log::info("llm", "repaired the model's answer",
                  {{"repairs", std::to_string(answer->repairs.size())},
                   {"first", answer->repairs.front()}});
      call.promise.deliver(std::move(gen));
      return;
    }
    reason = "unusable answer: " + error;
  }
  log::warn("llm", "the model call failed",
            {{"error", reason},
             {"attempts", std::to_string(r.attempts)},
             {"fallback", st.cfg->llm_fallback}});
  if (st.cfg->llm_fallback != "builtin") {
    call.promise.deliver(caf::make_error(caf::sec::runtime_error, "LLM_UNAVAILABLE: " + reason));
    return;
  }
  auto gen = builtin(call.payload, call.type, "builtin (fallback)");
  gen.model = st.cfg->llm_model;
  gen.attempts = r.attempts;
  gen.llm_ms = r.duration_ms;
  gen.fallback_reason = reason;
  gen.thoughts.insert(gen.thoughts.begin(), "The language model is unavailable (" +
                                                reason.substr(0, 120) +
                                                "); answering with the built-in provider");
  call.promise.deliver(std::move(gen));
}

}  // namespace

caf::behavior llm_actor(llm_self* self, std::shared_ptr<const core::config> cfg) {
  auto& st = self->state;
  st.cfg = std::move(cfg);
  if (st.cfg->llm_provider == "openai") {
    llm::client_options options;
    options.base_url = st.cfg->llm_base_url;
    options.api_key = st.cfg->openai_api_key;
    options.model = st.cfg->llm_model;
    options.timeout_s = st.cfg->llm_timeout_s;
    options.max_retries = st.cfg->max_retries;
    options.concurrency = st.cfg->llm_max_concurrency;
    st.client = std::make_unique<llm::client>(std::move(options));
    log::info("llm", "provider openai",
              {{"base_url", st.cfg->llm_base_url},
               {"model", st.cfg->llm_model},
               {"concurrency", std::to_string(st.cfg->llm_max_concurrency)},
               {"fallback", st.cfg->llm_fallback}});
  }
  return {
      [self](generate_atom, protocol::analytics_payload& payload, protocol::chart_type type,
             caf::actor& stream_to) -> caf::result<analytics::generation> {
        auto& st = self->state;
        if (!st.client) return builtin(payload, type, "builtin");
        // Streamed text goes to the run itself, which may be on another node.
        auto requester = std::move(stream_to);
        auto promise = self->make_response_promise();
        auto id = ++st.next_id;
        auto me = caf::actor_cast<caf::actor>(self);
        llm::call c;
        c.body = llm::request_body(st.cfg->llm_model, payload, type);
        c.on_partial = [requester](std::string text) {
          if (requester) caf::anon_send(requester, llm_partial_atom::value, std::move(text));
        };
        c.on_done = [me, id](llm::call_result r) {
          caf::anon_send(me, llm_done_atom::value, id, std::move(r));
        };
        st.pending.emplace(id, llm_state::pending_call{promise, std::move(payload), type});
        st.client->submit(std::move(c));
        return caf::delegated<analytics::generation>();
      },
      [self](llm_done_atom, std::uint64_t id, llm::call_result& r) { finish(self, id, r); },
  };
}

}  // namespace aw::actors
