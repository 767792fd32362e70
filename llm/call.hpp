// One model call as the client takes it, and what it answers.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

namespace aw::llm {

using call_id = std::uint64_t;  // 0 is never a call's id

struct call_result {
  bool ok = false;
  std::string content;  // the model's whole answer text
  std::string error;    // why it failed (no secrets)
  int http_status = 0;  // of the last attempt
  int tokens_in = 0;
  int tokens_out = 0;
  bool usage_reported = false;  // false: tokens are estimates
  int attempts = 0;
  int rate_limited = 0;       // 429 answers among the attempts
  double duration_ms = 0;     // from submit to the end, queue wait included
  double queue_wait_ms = -1;  // from submit to the first attempt; -1: never started
  double ttft_ms = -1;        // from the first attempt to the first answer text; -1: none
};

struct call {
  std::string body;  // the request JSON
  // The call is dropped (never sent, or ended) when it is still waiting then.
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
  // Batched streamed text, each byte of the answer at most once even across
  // retries (client thread).
  std::function<void(std::string)> on_partial;
  // At most once (client thread); never after the client has seen cancel(id).
  std::function<void(call_result)> on_done;
};

}  // namespace aw::llm
