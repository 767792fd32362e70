// An OpenAI chat-completions client on libcurl. A few worker threads do the
// blocking HTTP calls (never an actor's or the Asio thread); each owns one
// CURL easy handle, reused so that connections are kept alive. Calls are
// streamed (SSE) and retried with backoff on 429, 5xx and transport errors.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "llm/retry_policy.hpp"

namespace aw::llm {

struct client_options {
  std::string base_url = "https://api.openai.com/v1";
  std::string api_key;  // never logged
  std::string model = "gpt-4o-mini";
  int timeout_s = 30;  // per attempt
  int max_retries = 3;
  int concurrency = 4;
};

struct call_result {
  bool ok = false;
  std::string content;  // the model's whole answer text
  std::string error;    // why it failed (no secrets)
  int http_status = 0;  // of the last attempt
  int tokens_in = 0;
  int tokens_out = 0;
  bool usage_reported = false;  // false: tokens are estimates
  int attempts = 0;
  double duration_ms = 0;
};

struct call {
  std::string body;                             // the request JSON
  std::function<void(std::string)> on_partial;  // batched streamed text (worker thread)
  std::function<void(call_result)> on_done;     // exactly once (worker thread)
};

class client {
 public:
  explicit client(client_options options);
  ~client();  // aborts transfers in progress and joins the workers
  client(const client&) = delete;
  client& operator=(const client&) = delete;

  void submit(call c);
  const client_options& options() const { return options_; }

 private:
  void work();
  call_result run(void* curl, const call& c);

  client_options options_;
  retry_policy policy_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<call> queue_;
  bool stop_ = false;                  // guarded by mutex_
  std::atomic<bool> aborting_{false};  // read by transfers in progress
  std::vector<std::thread> workers_;
};

}  // namespace aw::llm
