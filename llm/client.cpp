#include "llm/client.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <mutex>
#include <optional>

#include "core/log.hpp"
#include "llm/partial_batcher.hpp"
#include "llm/prompt.hpp"
#include "llm/sse_parser.hpp"

namespace aw::llm {
namespace {

constexpr std::size_t max_answer_bytes = 256 << 10;
constexpr std::size_t max_error_body = 2048;

using clock = std::chrono::steady_clock;

double ms_since(clock::time_point t) {
  return std::chrono::duration<double, std::milli>(clock::now() - t).count();
}

// One HTTP attempt in progress.
struct transfer {
  CURL* curl = nullptr;
  const call* job = nullptr;
  const std::atomic<bool>* aborting = nullptr;
  sse_parser parser{nullptr};
  partial_batcher batcher;
  std::string content;
  std::string error_body;
  bool finished = false;
  bool too_long = false;
  std::optional<int> prompt_tokens;
  std::optional<int> completion_tokens;
  std::optional<int> retry_after_s;

  long status() const {
    long code = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
    return code;
  }

  void on_event(const std::string& data) {
    auto chunk = parse_chunk(data);
    if (!chunk) return;  // not a chunk object: skipped
    if (chunk->finished) finished = true;
    if (chunk->prompt_tokens) prompt_tokens = chunk->prompt_tokens;
    if (chunk->completion_tokens) completion_tokens = chunk->completion_tokens;
    if (chunk->content.empty()) return;
    content += chunk->content;
    if (content.size() > max_answer_bytes) too_long = true;
    if (auto piece = batcher.add(chunk->content); piece && job->on_partial)
      job->on_partial(std::move(*piece));
  }
};

size_t on_body(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<transfer*>(user);
  std::size_t bytes = size * n;
  if (t->status() != 200) {
    auto room = max_error_body - std::min(max_error_body, t->error_body.size());
    t->error_body.append(data, std::min(room, bytes));
    return bytes;
  }
  t->parser.feed(std::string_view(data, bytes));
  return t->too_long ? 0 : bytes;  // 0 aborts the transfer
}

size_t on_header(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<transfer*>(user);
  std::string line(data, size * n);
  std::string lower = line;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower.rfind("http/", 0) == 0) t->retry_after_s.reset();  // a new response
  if (lower.rfind("retry-after:", 0) == 0) {
    try {
      int s = std::stoi(line.substr(12));
      if (s >= 0) t->retry_after_s = s;
    } catch (...) {
      // an HTTP date: ignored, the backoff applies
    }
  }
  return size * n;
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* t = static_cast<transfer*>(user);
  return t->aborting->load() ? 1 : 0;
}

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

}  // namespace

client::client(client_options options) : options_(std::move(options)) {
  global_init();
  while (!options_.base_url.empty() && options_.base_url.back() == '/')
    options_.base_url.pop_back();
  policy_.max_retries = options_.max_retries;
  int n = std::max(1, options_.concurrency);
  for (int i = 0; i < n; ++i) workers_.emplace_back([this] { work(); });
}

client::~client() {
  {
    std::lock_guard<std::mutex> guard(mutex_);
    stop_ = true;
    aborting_ = true;
  }
  wake_.notify_all();
  for (auto& w : workers_) w.join();
  for (auto& c : queue_) {  // never started: still answered
    call_result r;
    r.error = "the client was stopped";
    if (c.on_done) c.on_done(std::move(r));
  }
}

void client::submit(call c) {
  {
    std::lock_guard<std::mutex> guard(mutex_);
    queue_.push_back(std::move(c));
  }
  wake_.notify_one();
}

void client::work() {
  CURL* curl = curl_easy_init();  // this thread's handle: its connections are reused
  for (;;) {
    call job;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [this] { return stop_ || !queue_.empty(); });
      if (stop_) break;
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    call_result r = curl ? run(curl, job) : call_result{};
    if (!curl) r.error = "curl_easy_init failed";
    if (job.on_done) job.on_done(std::move(r));
  }
  if (curl) curl_easy_cleanup(curl);
}

call_result client::run(void* handle, const call& job) {
  CURL* curl = static_cast<CURL*>(handle);
  const auto started = clock::now();
  const std::string url = options_.base_url + "/chat/completions";
  call_result result;
  for (int attempt = 0;; ++attempt) {
    transfer t;
    t.curl = curl;
    t.job = &job;
    t.aborting = &aborting_;
    t.parser = sse_parser([&t](const std::string& data) { t.on_event(data); });

    curl_slist* headers = nullptr;
    headers = curl_slist_append(headers, "Content-Type: application/json");
    headers = curl_slist_append(headers, "Accept: text/event-stream");
    std::string auth = "Authorization: Bearer " + options_.api_key;
    if (!options_.api_key.empty()) headers = curl_slist_append(headers, auth.c_str());

    curl_easy_reset(curl);  // keeps the connection cache
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, job.body.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(job.body.size()));
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT,
                     static_cast<long>(std::min(options_.timeout_s, 10)));
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, static_cast<long>(options_.timeout_s));
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &t);
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &t);
    CURLcode rc = curl_easy_perform(curl);
    curl_slist_free_all(headers);
    t.parser.finish();

    result.attempts = attempt + 1;
    attempt_outcome outcome;
    outcome.http_status = static_cast<int>(t.status());
    outcome.retry_after_s = t.retry_after_s;
    result.http_status = outcome.http_status;
    bool complete = t.parser.done() || t.finished;
    if (outcome.http_status == 200 && complete && !t.too_long) {
      if (auto rest = t.batcher.flush(); rest && job.on_partial) job.on_partial(std::move(*rest));
      result.ok = true;
      result.content = std::move(t.content);
      result.usage_reported = t.prompt_tokens && t.completion_tokens;
      result.tokens_in = t.prompt_tokens.value_or(estimate_tokens(job.body.size()));
      result.tokens_out = t.completion_tokens.value_or(estimate_tokens(result.content.size()));
      result.error.clear();
      break;
    }
    if (t.too_long) {
      result.error = "the answer is longer than " + std::to_string(max_answer_bytes) + " bytes";
      break;
    }
    if (outcome.http_status == 200 || rc != CURLE_OK) {
      outcome.transport_error = true;
      result.error = rc != CURLE_OK ? std::string(curl_easy_strerror(rc))
                                    : std::string("the stream ended before [DONE]");
    } else {
      result.error = "HTTP " + std::to_string(outcome.http_status);
      if (!t.error_body.empty()) result.error += ": " + t.error_body.substr(0, 300);
    }
    if (aborting_ || !retryable(outcome) || attempt >= policy_.max_retries) break;
    auto wait = policy_.delay(attempt + 1, outcome);
    log::warn("llm", "retrying the model call",
              {{"attempt", std::to_string(attempt + 1)},
               {"error", result.error},
               {"wait_ms", std::to_string(wait.count())}});
    std::unique_lock<std::mutex> lock(mutex_);
    if (wake_.wait_for(lock, wait, [this] { return stop_; })) break;
  }
  result.duration_ms = ms_since(started);
  return result;
}

}  // namespace aw::llm
