#include "actors/ids.hpp"

#include <sys/random.h>

#include <atomic>
#include <cstdint>
#include <cstdio>

namespace aw::actors {
namespace {

void os_random(unsigned char* out, std::size_t n) {
  while (n > 0) {
    ssize_t got = getrandom(out, n, 0);
    if (got <= 0) continue;  // EINTR; getrandom blocks only before the pool is seeded
    out += got;
    n -= static_cast<std::size_t>(got);
  }
}

std::uint64_t random_u64() {
  std::uint64_t v = 0;
  os_random(reinterpret_cast<unsigned char*>(&v), sizeof v);
  return v;
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

std::string random_hex(std::size_t bytes) {
  std::string raw(bytes, '\0');
  os_random(reinterpret_cast<unsigned char*>(raw.data()), bytes);
  static const char hex[] = "0123456789abcdef";
  std::string out(2 * bytes, '0');
  for (std::size_t i = 0; i < bytes; ++i) {
    auto b = static_cast<unsigned char>(raw[i]);
    out[2 * i] = hex[b >> 4];
    out[2 * i + 1] = hex[b & 0xf];
  }
  return out;
}

}  // namespace aw::actors
