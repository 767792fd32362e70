#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>

#include "gateway/query_threads.hpp"

using aw::gateway::query_threads;

TEST_CASE("jobs run off the caller's thread, and a full queue refuses") {
  std::mutex m;
  std::condition_variable cv;
  bool release = false;
  std::atomic<int> done{0};
  {
    query_threads pool(1, 2);
    auto blocker = [&] {
      std::unique_lock<std::mutex> lock(m);
      cv.wait_for(lock, std::chrono::seconds(10), [&] { return release; });
      done++;
    };
    REQUIRE(pool.submit(blocker));  // taken by the one thread (or still queued)
    // Wait (bounded) until the thread holds it, so the queue is empty again.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (pool.queued() != 0 && std::chrono::steady_clock::now() < deadline)
      std::this_thread::yield();
    REQUIRE(pool.queued() == 0);
    CHECK(pool.submit([&] { done++; }));
    CHECK(pool.submit([&] { done++; }));
    CHECK_FALSE(pool.submit([&] { done++; }));  // 2 queued: full
    CHECK(pool.queued() == 2);
    {
      std::lock_guard<std::mutex> guard(m);
      release = true;
    }
    cv.notify_all();
  }  // the destructor runs what is queued, then joins
  CHECK(done == 3);
}

TEST_CASE("a job that throws does not take its thread down") {
  std::atomic<int> done{0};
  {
    query_threads pool(1, 8);
    CHECK(pool.submit([] { throw std::runtime_error("boom"); }));
    CHECK(pool.submit([&] { done++; }));
  }
  CHECK(done == 1);
}
