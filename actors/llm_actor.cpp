#include "actors/llm_actor.hpp"

#include <algorithm>
#include <chrono>

#include <caf/all.hpp>

#include "actors/messages.hpp"
#include "actors/step_errors.hpp"
#include "analytics/prose_stream.hpp"
#include "core/log.hpp"
#include "llm/answer.hpp"
#include "llm/prompt.hpp"
#include "llm/prose_filter.hpp"

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(aw::llm::call_result)

namespace aw::actors {
namespace {

using llm_self = llm_actor_type::stateful_base<llm_state>;

analytics::generation builtin(const protocol::analytics_payload& payload, protocol::chart_type type,
                              const std::string& provider) {
  auto gen = analytics::builtin_generate(payload, type);
  gen.provider = provider;
  return gen;
}

void forget_requester(llm_self* self, const caf::actor_addr& requester, std::uint64_t key) {
  auto& st = self->state;
  auto it = st.by_requester.find(requester);
  if (it == st.by_requester.end()) return;
  auto& keys = it->second;
  keys.erase(std::remove(keys.begin(), keys.end(), key), keys.end());
  if (keys.empty()) {
    st.by_requester.erase(it);
    self->demonitor(requester);
  }
}

void observe(counters& stats, const llm::call_result& r) {
  if (r.queue_wait_ms >= 0) stats.llm_queue_wait_ms.observe(r.queue_wait_ms);
  if (r.ttft_ms >= 0) stats.llm_ttft_ms.observe(r.ttft_ms);
}

void finish(llm_self* self, std::uint64_t key, llm::call_result& r) {
  auto& st = self->state;
  auto it = st.pending.find(key);
  if (it == st.pending.end()) return;
  auto call = std::move(it->second);
  st.pending.erase(it);
  if (call.requester) forget_requester(self, call.requester, key);
  observe(*st.stats, r);
  std::string reason = r.error;
  if (r.ok) {
    auto answer = llm::parse_answer(r.content);
    if (answer) {
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
    reason = "unusable answer: " + answer.message();
  }
  log::warn("llm", "the model call failed",
            {{"error", reason},
             {"attempts", std::to_string(r.attempts)},
             {"fallback", st.cfg->llm_fallback}});
  if (st.cfg->llm_fallback != "builtin") {
    call.promise.deliver(make_error(protocol::error_code::llm_unavailable, reason));
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

// The run that asked is gone: its calls are cancelled, nobody waits for them.
void requester_down(llm_self* self, const caf::actor_addr& requester) {
  auto& st = self->state;
  auto it = st.by_requester.find(requester);
  if (it == st.by_requester.end()) return;
  auto keys = std::move(it->second);
  st.by_requester.erase(it);
  for (auto key : keys) {
    auto p = st.pending.find(key);
    if (p == st.pending.end()) continue;
    st.client->cancel(p->second.call);
    p->second.promise.deliver(caf::make_error(caf::sec::request_receiver_down));
    st.pending.erase(p);
  }
}

llm::client_options client_options_for(const core::config& cfg) {
  llm::client_options options;
  options.base_url = cfg.llm_base_url;
  options.api_key = cfg.openai_api_key;
  options.model = cfg.llm_model;
  options.ca_file = cfg.llm_ca_file;
  options.timeout_s = cfg.llm_timeout_s;
  options.max_retries = cfg.max_retries;
  options.max_in_flight = cfg.llm_max_concurrency;
  options.queue_max = cfg.llm_queue_max;
  options.rpm = cfg.llm_rpm;
  options.tpm = cfg.llm_tpm;
  return options;
}

}  // namespace

llm_actor_type::behavior_type llm_actor(llm_self* self, std::shared_ptr<const core::config> cfg,
                                        std::shared_ptr<counters> stats) {
  auto& st = self->state;
  st.cfg = std::move(cfg);
  st.stats = stats ? std::move(stats) : std::make_shared<counters>();
  if (st.cfg->llm_provider == "openai") {
    st.client = std::make_unique<llm::client>(client_options_for(*st.cfg), st.stats->llm);
    log::info("llm", "provider openai",
              {{"base_url", st.cfg->llm_base_url},
               {"model", st.cfg->llm_model},
               {"max_in_flight", std::to_string(st.cfg->llm_max_concurrency)},
               {"queue_max", std::to_string(st.cfg->llm_queue_max)},
               {"rpm", std::to_string(st.cfg->llm_rpm)},
               {"tpm", std::to_string(st.cfg->llm_tpm)},
               {"fallback", st.cfg->llm_fallback}});
  }
  self->set_down_handler([self](caf::down_msg& dm) { requester_down(self, dm.source); });
  return {
      [self](generate_atom, protocol::analytics_payload& payload, protocol::chart_type type,
             caf::actor& stream_to) -> caf::result<analytics::generation> {
        auto& st = self->state;
        if (!st.client) {
          // The built-in narrative streams as prose pieces, like a model's words (issue #16).
          auto gen = builtin(payload, type, "builtin");
          if (stream_to)
            for (auto& piece : analytics::prose_pieces(gen.narrative))
              caf::anon_send(stream_to, llm_partial_atom::value, std::move(piece));
          return gen;
        }
        // Streamed text goes to the run itself, which may be on another node.
        auto requester = std::move(stream_to);
        auto key = ++st.next_key;
        auto me = caf::actor_cast<caf::actor>(self);
        llm::call c;
        c.body = llm::request_body(st.cfg->llm_model, payload, type);
        // The run started before this message: its deadline is no later than this.
        c.deadline = std::chrono::steady_clock::now() +
                     std::chrono::seconds(st.cfg->chart_generation_timeout_s);
        // Only the model's prose (reasoning, then narrative) is shown, never its JSON.
        c.on_partial = [requester,
                        prose = std::make_shared<llm::prose_filter>()](std::string text) {
          std::string words = prose->feed(text);
          if (requester && !words.empty())
            caf::anon_send(requester, llm_partial_atom::value, std::move(words));
        };
        c.on_done = [me, key](llm::call_result r) {
          caf::anon_send(me, llm_done_atom::value, key, std::move(r));
        };
        auto promise = self->make_response_promise();
        llm_state::pending_call pc{promise, std::move(payload), type, {}, 0};
        if (requester) pc.requester = requester.address();
        st.pending.emplace(key, std::move(pc));
        auto id = st.client->submit(std::move(c));
        if (id == 0) {
          llm::call_result r;
          r.error = "the model call queue is full (LLM_QUEUE_MAX=" +
                    std::to_string(st.cfg->llm_queue_max) + ")";
          finish(self, key, r);
          return caf::delegated<analytics::generation>();
        }
        st.pending[key].call = id;
        if (requester) {
          auto& keys = st.by_requester[requester.address()];
          if (keys.empty()) self->monitor(requester);
          keys.push_back(key);
        }
        return caf::delegated<analytics::generation>();
      },
      [self](llm_done_atom, std::uint64_t key, llm::call_result& r) { finish(self, key, r); },
  };
}

}  // namespace aw::actors
