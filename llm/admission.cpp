#include "llm/admission.hpp"

#include <algorithm>
#include <random>

namespace aw::llm {
namespace {

constexpr auto ramp_min = std::chrono::milliseconds(200);
constexpr auto ramp_max = std::chrono::milliseconds(5000);

}  // namespace

admission::admission(limits l, std::function<double()> jitter)
    : limits_(l), jitter_(std::move(jitter)), rpm_(l.rpm), tpm_(l.tpm) {
  limits_.max_in_flight = std::max(1, limits_.max_in_flight);
}

double admission::draw() {
  if (jitter_) return std::clamp(jitter_(), 0.0, 1.0);
  static thread_local std::mt19937 engine{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
}

admission::verdict admission::check(clock::time_point now, int in_flight, std::int64_t tokens,
                                    std::size_t waiting) {
  verdict v;
  if (in_flight >= limits_.max_in_flight) {
    v.at = clock::time_point::max();  // a call ending frees a slot and wakes the loop
    v.why = "LLM_MAX_CONCURRENCY calls in flight";
    return v;
  }
  if (now < pause_until_) {
    v.at = pause_until_;
    v.why = "the provider asked for a pause (Retry-After)";
    return v;
  }
  if (ramp_.count() > 0 && now < pause_until_ + ramp_) {
    if (!ramp_started_) {  // the calls waiting now share the ramp
      ramp_started_ = true;
      ramp_gap_ = ramp_ / static_cast<long>(std::max<std::size_t>(1, waiting));
      next_ramp_start_ = pause_until_;
    }
    if (now < next_ramp_start_) {
      v.at = next_ramp_start_;
      v.why = "coming back from a pause";
      return v;
    }
  }
  auto room = std::max(rpm_.room_at(now, 1), tpm_.room_at(now, tokens));
  if (room == clock::time_point::max()) {
    v.never = true;
    v.why = "the call's " + std::to_string(tokens) + " prompt tokens are over LLM_TPM (" +
            std::to_string(limits_.tpm) + ")";
    return v;
  }
  if (room > now) {
    v.at = room;
    v.why = rpm_.room_at(now, 1) > now ? "LLM_RPM reached" : "LLM_TPM reached";
    return v;
  }
  v.start = true;
  return v;
}

void admission::started(clock::time_point now, std::int64_t tokens) {
  if (ramp_started_ && now < pause_until_ + ramp_)
    next_ramp_start_ =
        now + std::chrono::duration_cast<clock::duration>(ramp_gap_ * (0.5 + draw()));
  rpm_.spend(now, 1);
  tpm_.spend(now, tokens);
}

void admission::spend_tokens(clock::time_point now, std::int64_t tokens) {
  tpm_.spend(now, tokens);
}

void admission::pause(clock::time_point now, std::chrono::milliseconds retry_after) {
  auto until = now + retry_after;
  if (until <= pause_until_) return;
  pause_until_ = until;
  ramp_started_ = false;
  auto base = std::clamp<clock::duration>(retry_after / 2, ramp_min, ramp_max);
  ramp_ = std::chrono::duration_cast<clock::duration>(base * (0.75 + 0.5 * draw()));
}

}  // namespace aw::llm
