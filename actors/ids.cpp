#include "actors/ids.hpp"

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <random>

namespace aw::actors {
namespace {

std::uint64_t random_u64() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  return rng();
}

const std::string& process_tag() {
  static const std::string tag = [] {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%08llx", static_cast<unsigned long long>(random_u64() >> 32));
    return std::string(buf);
  }();
  return tag;
}

std::atomic<std::uint64_t> g_counter{0};

}  // namespace

std::string make_id(std::string_view prefix) {
  std::string id(prefix);
  id += '-';
  id += process_tag();
  id += '-';
  id += std::to_string(g_counter.fetch_add(1, std::memory_order_relaxed) + 1);
  return id;
}

std::string random_tag(std::string_view prefix) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%08llx", static_cast<unsigned long long>(random_u64() >> 32));
  std::string tag(prefix);
  tag += '-';
  tag += buf;
  return tag;
}

}  // namespace aw::actors
