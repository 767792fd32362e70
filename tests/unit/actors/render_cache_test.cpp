#include <doctest/doctest.h>

#include <memory>
#include <string>

#include "actors/chart_store.hpp"
#include "actors/ids.hpp"
#include "actors/lru_cache.hpp"
#include "actors/render_key.hpp"

using aw::actors::lru_cache;

namespace {

struct string_size {
  std::size_t operator()(const std::string& s) const { return s.size(); }
};

aw::render::chart_spec spec_with(std::size_t points, const std::string& title) {
  aw::render::chart_spec spec;
  spec.title = title;
  for (std::size_t i = 0; i < points; ++i) {
    spec.data.labels.push_back("label-" + std::to_string(i));
    spec.data.values.push_back(static_cast<double>(i));
  }
  return spec;
}

}  // namespace

TEST_CASE("render key: a fixed 64-digit digest however large the data, distinct per spec") {
  auto big = spec_with(20000, "t");
  auto key = aw::actors::render_key(big);
  CHECK(key.size() == 64);
  CHECK(aw::actors::render_key_text(big).size() > 300000);
  CHECK(aw::actors::render_key(spec_with(20000, "t")) == key);
  CHECK(aw::actors::render_key(spec_with(20000, "u")) != key);
  CHECK(aw::actors::render_key(spec_with(19999, "t")) != key);
}

TEST_CASE("lru_cache: keys count against the bound, not only values") {
  lru_cache<std::string, string_size> cache(10000);
  std::string long_key(3000, 'k');
  cache.put(long_key, "v");
  CHECK(cache.bytes() >= 2 * long_key.size() + 1);
  // Three such entries are over the bound: the oldest goes.
  cache.put(std::string(3000, 'a'), "v");
  cache.put(std::string(3000, 'b'), "v");
  CHECK(cache.bytes() <= 10000);
  CHECK(cache.get(long_key) == nullptr);
  cache.erase(std::string(3000, 'b'));
  cache.erase(std::string(3000, 'a'));
  CHECK(cache.bytes() == 0);
  CHECK(cache.size() == 0);
}

TEST_CASE("chart ids carry 128 random bits") {
  auto a = aw::actors::random_hex(16);
  auto b = aw::actors::random_hex(16);
  CHECK(a.size() == 32);
  CHECK(a != b);
  CHECK(a.find_first_not_of("0123456789abcdef") == std::string::npos);
}

TEST_CASE("the chart store names each chart ch- and 32 random hex digits") {
  aw::actors::chart_store store(1 << 20);
  auto bytes = std::make_shared<const std::string>("png");
  auto a = store.put("u", "image/png", bytes);
  auto b = store.put("u", "image/png", bytes);
  CHECK(a.size() == 35);
  CHECK(a.rfind("ch-", 0) == 0);
  CHECK(a.find_first_not_of("0123456789abcdef", 3) == std::string::npos);
  CHECK(a != b);
}
