// Whether the next model call may start. One instance serves every call of
// the process (one endpoint per process), so a limit the provider states for
// one call holds for all of them:
//  - at most `max_in_flight` calls in flight (LLM_MAX_CONCURRENCY);
//  - a 429 or 503 with Retry-After pauses every new call until it has passed;
//    then the calls that waited start spread over a ramp of random length
//    (each gap jittered), not all at once;
//  - LLM_RPM calls and LLM_TPM tokens per minute, over a sliding window.
// Not thread-safe: the client's loop thread owns it.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include "llm/rate_window.hpp"

namespace aw::llm {

class admission {
 public:
  using clock = std::chrono::steady_clock;

  struct limits {
    int max_in_flight = 1024;
    std::int64_t rpm = 0;  // 0: no limit
    std::int64_t tpm = 0;  // 0: no limit
  };

  struct verdict {
    bool start = false;    // it may start now
    bool never = false;    // it can never start (over a quota on its own)
    clock::time_point at;  // when !start && !never: ask again then
    std::string why;       // when !start: what holds it back
  };

  // `jitter` is uniform in [0, 1); the default draws from a random engine.
  explicit admission(limits l, std::function<double()> jitter = {});

  // `waiting`: calls waiting now (spreads them over the ramp after a pause).
  verdict check(clock::time_point now, int in_flight, std::int64_t tokens, std::size_t waiting = 1);
  // A call started: spends one request and its prompt's tokens.
  void started(clock::time_point now, std::int64_t tokens);
  // Tokens learnt later (the completion's), spent when they are known.
  void spend_tokens(clock::time_point now, std::int64_t tokens);
  // The provider asked for a pause (Retry-After).
  void pause(clock::time_point now, std::chrono::milliseconds retry_after);
  bool paused(clock::time_point now) const { return now < pause_until_; }
  clock::time_point pause_until() const { return pause_until_; }

 private:
  double draw();

  limits limits_;
  std::function<double()> jitter_;
  rate_window rpm_;
  rate_window tpm_;
  clock::time_point pause_until_{};
  clock::duration ramp_{};
  clock::duration ramp_gap_{};  // set when the ramp begins
  bool ramp_started_ = false;
  clock::time_point next_ramp_start_{};  // the ramp's next start
};

}  // namespace aw::llm
