// An OpenAI chat-completions client for every model call of the process:
// one libcurl multi handle driven by one thread (curl_multi_socket_action on
// an epoll set, see multi_driver.hpp), however many calls are in flight. Calls stream (SSE)
// and are retried with backoff on 429, 5xx and transport errors; HTTP/2
// multiplexing is used where the endpoint offers it, connections are reused,
// TLS is verified.
//
// Calls beyond LLM_MAX_CONCURRENCY wait in a bounded FIFO queue
// (LLM_QUEUE_MAX): submit() refuses a call at once when it is full. A
// Retry-After pauses every new call (see admission.hpp), as do the optional
// LLM_RPM / LLM_TPM quotas. cancel() ends a transfer at once or drops a call
// that is still waiting, so it is never sent. A call still waiting at its
// deadline is ended without being sent.
//
// Thread-safety: submit() and cancel() from any thread; the callbacks run on
// the client's thread and must not block.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "llm/call.hpp"
#include "llm/retry_policy.hpp"
#include "llm/stream_limits.hpp"

namespace aw::llm {

struct client_options {
  std::string base_url = "https://api.openai.com/v1";
  std::string api_key;  // never logged
  std::string model = "gpt-4o-mini";
  std::string ca_file;  // PEM CA bundle for https; empty: the system's
  int timeout_s = 30;   // per attempt
  int max_retries = 3;
  int max_in_flight = 1024;
  int queue_max = 10000;
  std::int64_t rpm = 0;  // 0: no limit
  std::int64_t tpm = 0;  // 0: no limit
  stream_limits limits;
};

// Figures for /metrics, updated by the client's thread.
struct client_stats {
  std::atomic<std::int64_t> in_flight{0};
  std::atomic<std::int64_t> queued{0};  // waiting for a slot, a pause, a quota or a retry
  std::atomic<std::int64_t> calls{0};   // calls ended
  std::atomic<std::int64_t> calls_failed{0};
  std::atomic<std::int64_t> rejected_queue_full{0};
  std::atomic<std::int64_t> rate_limited{0};  // 429 answers
  std::atomic<std::int64_t> tokens_in{0};
  std::atomic<std::int64_t> tokens_out{0};
};

class client {
 public:
  // `stats` may be null.
  client(client_options options, std::shared_ptr<client_stats> stats = nullptr);
  ~client();  // ends transfers in progress; calls not ended get on_done with an error
  client(const client&) = delete;
  client& operator=(const client&) = delete;

  // The call's id, or 0 when the queue is full (its on_done is then not called).
  call_id submit(call c);
  void cancel(call_id id);

  const client_options& options() const { return options_; }
  const client_stats& stats() const { return *stats_; }

 private:
  struct loop;
  client_options options_;
  std::shared_ptr<client_stats> stats_;
  std::unique_ptr<loop> loop_;
  call_id next_id_ = 0;  // guarded by the loop's inbox mutex
  std::thread thread_;
};

}  // namespace aw::llm
