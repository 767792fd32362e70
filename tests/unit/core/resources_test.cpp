// Pool and cache sizes from the cgroup v2 limits (core/resources.hpp), on a
// cgroup tree of files made here.
#include <doctest/doctest.h>

#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "core/resources.hpp"

using namespace aw::core;
namespace fs = std::filesystem;

namespace {

struct fake_cgroup {
  fs::path root;
  fake_cgroup() {
    char tmpl[] = "/tmp/aw-cgroup-XXXXXX";
    REQUIRE(mkdtemp(tmpl) != nullptr);
    root = tmpl;
  }
  ~fake_cgroup() {
    std::error_code ec;
    fs::remove_all(root, ec);
  }
  void put(const std::string& rel, const std::string& text) {
    fs::create_directories((root / rel).parent_path());
    std::ofstream(root / rel) << text;
  }
};

}  // namespace

TEST_CASE("cpu.max and memory.max are parsed, 'max' and garbage mean no limit") {
  CHECK(parse_cpu_max("200000 100000\n") == doctest::Approx(2.0));
  CHECK(parse_cpu_max("150000 100000") == doctest::Approx(1.5));
  CHECK_FALSE(parse_cpu_max("max 100000\n"));
  CHECK_FALSE(parse_cpu_max("-1 100000"));
  CHECK_FALSE(parse_cpu_max(""));
  CHECK(*parse_memory_max("1073741824\n") == 1073741824);
  CHECK_FALSE(parse_memory_max("max\n"));
  CHECK_FALSE(parse_memory_max("12k"));
}

TEST_CASE("the smallest limit from this process's cgroup up to the root applies") {
  fake_cgroup cg;
  cg.put("cpu.max", "max 100000\n");
  cg.put("kubepods/cpu.max", "800000 100000\n");
  cg.put("kubepods/pod1/cpu.max", "200000 100000\n");
  cg.put("kubepods/pod1/memory.max", "1073741824\n");
  cg.put("kubepods/pod1/ctr/memory.max", "max\n");
  cg.put("self", "0::/kubepods/pod1/ctr\n");
  auto limits = read_cgroup_limits(cg.root.string(), (cg.root / "self").string());
  REQUIRE(limits.cpus);
  CHECK(*limits.cpus == doctest::Approx(2.0));
  REQUIRE(limits.memory_bytes);
  CHECK(*limits.memory_bytes == 1073741824);

  cg.put("self-root", "0::/\n");
  auto none = read_cgroup_limits(cg.root.string(), (cg.root / "self-root").string());
  CHECK_FALSE(none.cpus);
  CHECK_FALSE(none.memory_bytes);
}

TEST_CASE("a 2-CPU, 1 GiB pod on a 64-core host gets 2 gnuplots and 2 threads, not 64") {
  config cfg;  // RENDER_POOL_SIZE=0, WORKER_THREADS=0
  cgroup_limits pod{2.0, 1LL << 30};
  auto s = choose_sizes(cfg, 64, pod, false, false);
  CHECK(s.cpus == 2);
  CHECK(s.basis == "cgroup cpu.max");
  CHECK(s.render_pool_size == 2);
  CHECK(s.worker_threads == 2);
  CHECK(s.chart_cache_mb == 256);
  CHECK(s.render_cache_mb == 64);

  // 8 CPUs but 128 MiB: the pool is capped by memory (one gnuplot per 64 MiB), caches too.
  auto small = choose_sizes(cfg, 64, cgroup_limits{8.0, 128LL << 20}, false, false);
  CHECK(small.render_pool_size == 2);
  CHECK(small.worker_threads == 8);
  CHECK(small.chart_cache_mb == 32);
  CHECK(small.render_cache_mb == 8);
  // Explicit settings win.
  cfg.render_pool_size = 5;
  cfg.worker_threads = 3;
  auto set = choose_sizes(cfg, 64, cgroup_limits{8.0, 128LL << 20}, true, true);
  CHECK(set.render_pool_size == 5);
  CHECK(set.worker_threads == 3);
  CHECK(set.chart_cache_mb == 256);
  CHECK(set.render_cache_mb == 64);
}

TEST_CASE("no cgroup limit: the host's CPUs") {
  config cfg;
  auto s = choose_sizes(cfg, 16, cgroup_limits{}, false, false);
  CHECK(s.cpus == 16);
  CHECK(s.basis == "host");
  CHECK(s.render_pool_size == 16);
  CHECK(s.worker_threads == 16);
  CHECK(choose_sizes(cfg, 1, cgroup_limits{0.5, std::nullopt}, false, false).worker_threads == 2);
}
