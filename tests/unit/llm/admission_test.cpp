#include <doctest/doctest.h>

#include "llm/admission.hpp"

using aw::llm::admission;
using std::chrono::milliseconds;
using std::chrono::seconds;

namespace {
admission::clock::time_point at(long ms) {
  return admission::clock::time_point{} + seconds(1000) + milliseconds(ms);
}
}  // namespace

TEST_CASE("admission: the cap on calls in flight") {
  admission a({2, 0, 0}, [] { return 0.5; });
  CHECK(a.check(at(0), 1, 10).start);
  auto v = a.check(at(0), 2, 10);
  CHECK_FALSE(v.start);
  CHECK_FALSE(v.never);
  CHECK(v.at == admission::clock::time_point::max());  // woken by a call ending
}

TEST_CASE("admission: a Retry-After pauses every call, then they start spread over a ramp") {
  admission a({100, 0, 0}, [] { return 0.5; });
  a.pause(at(0), seconds(2));
  auto v = a.check(at(1000), 0, 10, 10);
  CHECK_FALSE(v.start);
  CHECK(v.at == at(2000));
  // Ramp: clamp(2 s / 2) * (0.75 + 0.5 * 0.5) = 1 s for the 10 waiting calls: 100 ms apart.
  CHECK(a.check(at(2000), 0, 10, 10).start);
  a.started(at(2000), 10);
  auto next = a.check(at(2001), 1, 10, 9);
  CHECK_FALSE(next.start);
  CHECK(next.at == at(2100));  // gap 100 ms * (0.5 + 0.5)
  CHECK(a.check(at(2100), 1, 10, 9).start);
  // After the ramp, no spacing.
  a.started(at(2100), 10);
  CHECK(a.check(at(3100), 2, 10, 8).start);
  a.started(at(3100), 10);
  CHECK(a.check(at(3100), 3, 10, 7).start);
}

TEST_CASE("admission: a shorter pause never shortens a longer one") {
  admission a({100, 0, 0}, [] { return 0.0; });
  a.pause(at(0), seconds(5));
  a.pause(at(100), seconds(1));
  CHECK(a.pause_until() == at(5000));
}

TEST_CASE("admission: LLM_RPM and LLM_TPM over a sliding minute") {
  admission rpm({100, 2, 0});
  CHECK(rpm.check(at(0), 0, 10).start);
  rpm.started(at(0), 10);
  rpm.started(at(10), 10);
  auto v = rpm.check(at(20), 0, 10);
  CHECK_FALSE(v.start);
  CHECK(v.at == at(60000));
  CHECK(v.why.find("LLM_RPM") != std::string::npos);

  admission tpm({100, 0, 1000});
  CHECK(tpm.check(at(0), 0, 600).start);
  tpm.started(at(0), 600);
  tpm.spend_tokens(at(100), 300);  // the completion
  auto w = tpm.check(at(200), 0, 200);
  CHECK_FALSE(w.start);
  CHECK(w.why.find("LLM_TPM") != std::string::npos);
  auto never = tpm.check(at(200), 0, 1001);
  CHECK(never.never);
}
