// When to retry a chat-completions call and how long to wait first:
// exponential backoff with jitter, or the server's Retry-After when it gives one.
#pragma once

#include <chrono>
#include <functional>
#include <optional>

namespace aw::llm {

struct attempt_outcome {
  int http_status = 0;               // 0: no HTTP answer (connection error, timeout)
  bool transport_error = false;      // connect/read failure, timeout, stream cut short
  std::optional<int> retry_after_s;  // the Retry-After header, in seconds
};

// 429, 5xx and transport errors are worth retrying; other 4xx are not.
bool retryable(const attempt_outcome& o);

struct retry_policy {
  int max_retries = 3;  // retries after the first attempt
  std::chrono::milliseconds base{500};
  std::chrono::milliseconds cap{8000};
  std::chrono::milliseconds retry_after_cap{30000};
  std::function<double()> jitter;  // uniform in [0, 1); the default uses a random engine

  // Wait before retry number `retry` (1 = the first retry): "equal jitter",
  // half of min(cap, base * 2^(retry-1)) plus a random part of the other half.
  // A Retry-After wins (capped at retry_after_cap).
  std::chrono::milliseconds delay(int retry, const attempt_outcome& last) const;
};

}  // namespace aw::llm
