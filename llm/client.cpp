#include "llm/client.hpp"

#include <curl/curl.h>
#include <pthread.h>

#include <algorithm>
#include <chrono>
#include <deque>
#include <unordered_map>

#include "core/log.hpp"
#include "llm/admission.hpp"
#include "llm/multi_driver.hpp"
#include "llm/partial_batcher.hpp"
#include "llm/prompt.hpp"
#include "llm/transfer.hpp"

namespace aw::llm {
namespace {

using clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr std::size_t max_idle_handles = 256;
constexpr auto sweep_every = milliseconds(100);  // deadlines of waiting calls
constexpr long max_poll_ms = 1000;

double ms_between(clock::time_point from, clock::time_point to) {
  return std::chrono::duration<double, std::milli>(to - from).count();
}

long ms_until(clock::time_point now, clock::time_point t) {
  if (t <= now) return 0;
  auto ms = std::chrono::duration_cast<milliseconds>(t - now).count() + 1;
  return static_cast<long>(std::min<long long>(ms, max_poll_ms));
}

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// A call the client holds: waiting, in flight, or waiting to be retried.
struct pending {
  call_id id = 0;
  call c;
  clock::time_point submitted;
  clock::time_point first_start{};
  clock::time_point not_before{};  // a retry's earliest start
  CURL* easy = nullptr;            // while in flight
  bool cancelled = false;          // dropped while waiting; removed lazily
  bool started = false;
  int attempts = 0;
  int rate_limited = 0;
  std::int64_t prompt_tokens = 0;  // estimate, for LLM_TPM
  double ttft_ms = -1;
  partial_batcher batcher;
  std::size_t shown = 0;     // answer bytes the user has seen, over all attempts
  std::size_t released = 0;  // answer bytes released by this attempt's batcher
};

struct in_flight_call {
  std::unique_ptr<pending> p;
  std::unique_ptr<transfer> t;
};

}  // namespace

struct client::loop {
  loop(const client_options& o, client_stats& s)
      : options(o),
        stats(s),
        url(o.base_url + "/chat/completions"),
        gate(admission::limits{o.max_in_flight, o.rpm, o.tpm}) {
    policy.max_retries = o.max_retries;
    multi = curl_multi_init();
    curl_multi_setopt(multi, CURLMOPT_PIPELINING, static_cast<long>(CURLPIPE_MULTIPLEX));
    driver = std::make_unique<multi_driver>(multi);
  }

  ~loop() {
    for (CURL* e : idle) curl_easy_cleanup(e);
    driver.reset();
    if (multi) curl_multi_cleanup(multi);
  }

  void wake() { driver->wake(); }
  void run();

  // loop thread only
  void take_inbox();
  void cancel(call_id id);
  void sweep(clock::time_point now);
  void promote_retries(clock::time_point now);
  void start_calls(clock::time_point now);
  void start(std::unique_ptr<pending> p, clock::time_point now);
  void drain_done(clock::time_point now);
  void finish_attempt(in_flight_call f, CURLcode rc, clock::time_point now);
  void end(std::unique_ptr<pending> p, call_result r, clock::time_point now);
  void fail(std::unique_ptr<pending> p, std::string why, clock::time_point now);
  void fail_waiting(std::unique_ptr<pending> p, std::string why, clock::time_point now);
  void deliver(pending& p, const std::string& piece);
  void stop_all(clock::time_point now);
  CURL* take_handle();
  void give_back(CURL* e);
  long poll_timeout(clock::time_point now);

  const client_options& options;
  client_stats& stats;
  const std::string url;
  retry_policy policy;
  admission gate;
  CURLM* multi = nullptr;
  std::unique_ptr<multi_driver> driver;

  std::mutex mutex;  // guards the inbox
  std::vector<std::unique_ptr<pending>> incoming;
  std::vector<call_id> cancels;
  bool stopping = false;

  std::deque<std::unique_ptr<pending>> waiting;    // FIFO, in arrival order
  std::vector<std::unique_ptr<pending>> retrying;  // waiting for not_before
  std::unordered_map<CURL*, in_flight_call> flying;
  std::unordered_map<call_id, pending*> by_id;  // every call held
  std::vector<CURL*> idle;
  clock::time_point next_sweep{};
  clock::time_point next_admit = clock::time_point::max();
};

void client::loop::run() {
  for (;;) {
    {
      std::lock_guard<std::mutex> guard(mutex);
      if (stopping) break;
    }
    auto now = clock::now();
    take_inbox();
    if (now >= next_sweep) sweep(now);
    promote_retries(now);
    start_calls(now);
    driver->run_once(poll_timeout(now));
    drain_done(clock::now());
  }
  stop_all(clock::now());
}

void client::loop::take_inbox() {
  std::vector<std::unique_ptr<pending>> in;
  std::vector<call_id> out;
  {
    std::lock_guard<std::mutex> guard(mutex);
    in.swap(incoming);
    out.swap(cancels);
  }
  for (auto& p : in) {
    by_id.emplace(p->id, p.get());
    waiting.push_back(std::move(p));
  }
  for (auto id : out) cancel(id);
}

void client::loop::cancel(call_id id) {
  auto it = by_id.find(id);
  if (it == by_id.end()) return;  // already ended
  pending* p = it->second;
  by_id.erase(it);
  if (p->easy) {
    CURL* easy = p->easy;
    curl_multi_remove_handle(multi, easy);
    flying.erase(easy);  // frees the call and its transfer
    give_back(easy);
    stats.in_flight--;
    return;
  }
  p->cancelled = true;  // never sent; removed from its queue lazily
  stats.queued--;
}

// Ends waiting calls whose deadline passed, and drops cancelled ones.
void client::loop::sweep(clock::time_point now) {
  next_sweep = now + sweep_every;
  std::deque<std::unique_ptr<pending>> keep;
  for (auto& p : waiting) {
    if (p->cancelled) continue;
    if (now >= p->c.deadline) {
      fail_waiting(std::move(p), "the call waited in the queue until its run's deadline", now);
      continue;
    }
    keep.push_back(std::move(p));
  }
  waiting.swap(keep);
}

void client::loop::promote_retries(clock::time_point now) {
  std::vector<std::unique_ptr<pending>> due;
  for (auto& p : retrying) {
    if (p && (p->cancelled || p->not_before <= now)) due.push_back(std::move(p));
  }
  retrying.erase(std::remove(retrying.begin(), retrying.end(), nullptr), retrying.end());
  std::sort(due.begin(), due.end(), [](const auto& a, const auto& b) {
    return a->not_before > b->not_before;  // pushed to the front: the earliest ends first
  });
  for (auto& p : due) {
    if (p->cancelled) continue;
    waiting.push_front(std::move(p));  // retries keep their place ahead of new calls
  }
}

void client::loop::start_calls(clock::time_point now) {
  next_admit = clock::time_point::max();
  while (!waiting.empty()) {
    auto& head = waiting.front();
    if (head->cancelled) {
      waiting.pop_front();
      continue;
    }
    if (now >= head->c.deadline) {
      auto p = std::move(head);
      waiting.pop_front();
      fail_waiting(std::move(p), "the call waited in the queue until its run's deadline", now);
      continue;
    }
    auto v = gate.check(now, static_cast<int>(flying.size()), head->prompt_tokens, waiting.size());
    if (v.start) {
      auto p = std::move(head);
      waiting.pop_front();
      start(std::move(p), now);
      continue;
    }
    // Waiting past the deadline would be a silent stall: say why now instead.
    if (v.never || (v.at != clock::time_point::max() && v.at > head->c.deadline)) {
      auto p = std::move(head);
      waiting.pop_front();
      fail_waiting(std::move(p),
                   v.never ? v.why : v.why + ": the call could not start before its run's deadline",
                   now);
      continue;
    }
    next_admit = v.at;
    break;
  }
}

CURL* client::loop::take_handle() {
  if (idle.empty()) return curl_easy_init();
  CURL* e = idle.back();
  idle.pop_back();
  return e;
}

void client::loop::give_back(CURL* e) {
  if (idle.size() >= max_idle_handles) {
    curl_easy_cleanup(e);
    return;
  }
  curl_easy_reset(e);
  idle.push_back(e);
}

void client::loop::start(std::unique_ptr<pending> p, clock::time_point now) {
  CURL* easy = take_handle();
  if (!easy) return fail_waiting(std::move(p), "curl_easy_init failed", now);
  if (!p->started) {
    p->started = true;
    p->first_start = now;
  }
  p->attempts++;
  p->released = 0;
  p->batcher = partial_batcher();
  pending* raw = p.get();
  auto t = std::make_unique<transfer>(easy, options.limits, [this, raw](std::string_view text) {
    if (raw->ttft_ms < 0) raw->ttft_ms = ms_between(raw->first_start, clock::now());
    if (auto piece = raw->batcher.add(std::string(text))) deliver(*raw, *piece);
  });
  transfer_request r;
  r.url = &url;
  r.body = &p->c.body;
  r.api_key = &options.api_key;
  r.ca_file = &options.ca_file;
  r.timeout_ms = static_cast<long>(options.timeout_s) * 1000;
  if (p->c.deadline != clock::time_point::max()) {
    auto left = std::chrono::duration_cast<milliseconds>(p->c.deadline - now).count();
    r.timeout_ms = std::min<long>(r.timeout_ms, std::max<long>(1, static_cast<long>(left)));
  }
  t->prepare(r);
  gate.started(now, p->prompt_tokens);
  p->easy = easy;
  stats.queued--;
  stats.in_flight++;
  curl_multi_add_handle(multi, easy);
  flying.emplace(easy, in_flight_call{std::move(p), std::move(t)});
}

void client::loop::deliver(pending& p, const std::string& piece) {
  // A retried call streams its answer again: only what goes beyond what the
  // user has already seen is passed on.
  std::size_t from = p.released;
  p.released += piece.size();
  if (p.released <= p.shown) return;
  std::size_t skip = p.shown > from ? p.shown - from : 0;
  p.shown = p.released;
  if (p.c.on_partial) p.c.on_partial(piece.substr(skip));
}

void client::loop::drain_done(clock::time_point now) {
  int left = 0;
  while (CURLMsg* m = curl_multi_info_read(multi, &left)) {
    if (m->msg != CURLMSG_DONE) continue;
    CURL* easy = m->easy_handle;
    CURLcode rc = m->data.result;
    auto it = flying.find(easy);
    curl_multi_remove_handle(multi, easy);
    if (it == flying.end()) {
      give_back(easy);
      continue;
    }
    in_flight_call f = std::move(it->second);
    flying.erase(it);
    stats.in_flight--;
    f.p->easy = nullptr;
    finish_attempt(std::move(f), rc, now);
    give_back(easy);
  }
}

void client::loop::finish_attempt(in_flight_call f, CURLcode rc, clock::time_point now) {
  auto& p = f.p;
  auto& t = *f.t;
  t.finish_parse();
  int status = static_cast<int>(t.status());
  if (status == 429) {
    p->rate_limited++;
    stats.rate_limited++;
  }
  if (status == 200 && rc == CURLE_OK && t.complete() && !t.too_long() && !t.overflow()) {
    if (auto rest = p->batcher.flush()) deliver(*p, *rest);
    call_result r;
    r.ok = true;
    r.http_status = status;
    r.content = std::move(t.content());
    r.usage_reported = t.prompt_tokens() && t.completion_tokens();
    r.tokens_in = t.prompt_tokens().value_or(estimate_tokens(p->c.body.size()));
    r.tokens_out = t.completion_tokens().value_or(estimate_tokens(r.content.size()));
    gate.spend_tokens(now, r.tokens_out);
    return end(std::move(p), std::move(r), now);
  }
  if (t.too_long())
    return fail(
        std::move(p),
        "the answer is longer than " + std::to_string(options.limits.max_answer_bytes) + " bytes",
        now);
  if (t.overflow())
    return fail(std::move(p),
                "the stream sent a line over " + std::to_string(options.limits.max_line_bytes) +
                    " bytes or an event over " + std::to_string(options.limits.max_event_bytes) +
                    " bytes",
                now);
  attempt_outcome o;
  o.http_status = status;
  o.retry_after_s = t.retry_after_s();
  std::string error;
  if (status == 200 || status == 0) {  // no answer, or an answer cut short
    o.transport_error = true;
    error = rc != CURLE_OK ? std::string(curl_easy_strerror(rc))
                           : std::string("the stream ended before [DONE]");
  } else {
    error = "HTTP " + std::to_string(status);
    if (!t.error_body().empty()) error += ": " + t.error_body().substr(0, 300);
  }
  if ((status == 429 || status == 503) && o.retry_after_s) {
    auto pause =
        std::min<milliseconds>(std::chrono::seconds(*o.retry_after_s), policy.retry_after_cap);
    gate.pause(now, pause);
    log::warn(
        "llm", "the provider asked for a pause: new model calls wait",
        {{"status", std::to_string(status)}, {"retry_after_s", std::to_string(*o.retry_after_s)}});
  }
  if (!retryable(o) || p->attempts > policy.max_retries) return fail(std::move(p), error, now);
  auto wait = policy.delay(p->attempts, o);
  p->not_before = std::max(now + wait, gate.pause_until());
  if (p->not_before > p->c.deadline)
    return fail(std::move(p), error + "; a retry could not start before its run's deadline", now);
  log::warn("llm", "retrying the model call",
            {{"attempt", std::to_string(p->attempts)},
             {"error", error},
             {"wait_ms", std::to_string(wait.count())}});
  stats.queued++;
  retrying.push_back(std::move(p));
}

void client::loop::end(std::unique_ptr<pending> p, call_result r, clock::time_point now) {
  by_id.erase(p->id);
  r.attempts = p->attempts;
  r.rate_limited = p->rate_limited;
  r.duration_ms = ms_between(p->submitted, now);
  r.queue_wait_ms = p->started ? ms_between(p->submitted, p->first_start) : -1;
  r.ttft_ms = p->ttft_ms;
  stats.calls++;
  if (!r.ok) stats.calls_failed++;
  if (r.ok) {
    stats.tokens_in += r.tokens_in;
    stats.tokens_out += r.tokens_out;
  }
  if (p->c.on_done) p->c.on_done(std::move(r));
}

// Ends a call that is no longer counted as queued or in flight.
void client::loop::fail(std::unique_ptr<pending> p, std::string why, clock::time_point now) {
  call_result r;
  r.error = std::move(why);
  end(std::move(p), std::move(r), now);
}

void client::loop::fail_waiting(std::unique_ptr<pending> p, std::string why,
                                clock::time_point now) {
  stats.queued--;
  fail(std::move(p), std::move(why), now);
}

void client::loop::stop_all(clock::time_point now) {
  for (auto& [easy, f] : flying) {
    curl_multi_remove_handle(multi, easy);
    stats.in_flight--;
    f.p->easy = nullptr;
    auto p = std::move(f.p);
    f.t.reset();
    curl_easy_cleanup(easy);
    fail(std::move(p), "the client was stopped", now);
  }
  flying.clear();
  for (auto& p : waiting)
    if (!p->cancelled) fail_waiting(std::move(p), "the client was stopped", now);
  waiting.clear();
  for (auto& p : retrying)
    if (p && !p->cancelled) fail_waiting(std::move(p), "the client was stopped", now);
  retrying.clear();
}

long client::loop::poll_timeout(clock::time_point now) {
  long timeout = max_poll_ms;  // libcurl's own timer is the driver's
  for (const auto& p : retrying)
    if (p) timeout = std::min(timeout, ms_until(now, p->not_before));
  if (next_admit != clock::time_point::max())
    timeout = std::min(timeout, ms_until(now, next_admit));
  if (!waiting.empty() || !retrying.empty()) timeout = std::min(timeout, ms_until(now, next_sweep));
  return std::max(0L, timeout);
}

client::client(client_options options, std::shared_ptr<client_stats> stats)
    : options_(std::move(options)),
      stats_(stats ? std::move(stats) : std::make_shared<client_stats>()) {
  global_init();
  while (!options_.base_url.empty() && options_.base_url.back() == '/')
    options_.base_url.pop_back();
  options_.max_in_flight = std::max(1, options_.max_in_flight);
  loop_ = std::make_unique<loop>(options_, *stats_);
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "llm-client");
    loop_->run();
  });
}

client::~client() {
  {
    std::lock_guard<std::mutex> guard(loop_->mutex);
    loop_->stopping = true;
  }
  loop_->wake();
  thread_.join();
  // Calls submitted after the loop's last look at its inbox: still answered.
  for (auto& p : loop_->incoming) {
    stats_->queued--;
    call_result r;
    r.error = "the client was stopped";
    if (p->c.on_done) p->c.on_done(std::move(r));
  }
}

call_id client::submit(call c) {
  if (stats_->queued.load() >= options_.queue_max) {
    stats_->rejected_queue_full++;
    return 0;
  }
  auto p = std::make_unique<pending>();
  p->c = std::move(c);
  p->submitted = clock::now();
  p->prompt_tokens = estimate_tokens(p->c.body.size());
  stats_->queued++;
  call_id id;
  {
    std::lock_guard<std::mutex> guard(loop_->mutex);
    id = ++next_id_;
    p->id = id;
    loop_->incoming.push_back(std::move(p));
  }
  loop_->wake();
  return id;
}

void client::cancel(call_id id) {
  {
    std::lock_guard<std::mutex> guard(loop_->mutex);
    loop_->cancels.push_back(id);
  }
  loop_->wake();
}

}  // namespace aw::llm
