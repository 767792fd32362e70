// bench/chart_disk/run: writes `n` charts of 30 KB images (`distinct` of them
// different) through store::chart_disk, then indexes the directory afresh.
// Usage: chart_disk_bench DIR N DISTINCT (DIR is removed first).
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include "store/chart_disk.hpp"
using namespace aw::store;
using clk = std::chrono::steady_clock;
static double secs(clk::time_point a) {
  return std::chrono::duration<double>(clk::now() - a).count();
}
static long rss_kb() {
  FILE* f = fopen("/proc/self/status", "r");
  char line[256];
  long v = 0;
  while (fgets(line, sizeof line, f))
    if (sscanf(line, "VmRSS: %ld", &v) == 1) break;
  fclose(f);
  return v;
}
int main(int argc, char** argv) {
  if (argc != 4) return 2;
  std::string dir = argv[1];
  int n = std::stoi(argv[2]);
  int distinct = std::stoi(argv[3]);
  std::filesystem::remove_all(dir);
  std::string err;
  {
    chart_disk d(dir, chart_disk_limits{});
    d.scan(&err);
    auto t = clk::now();
    for (int i = 0; i < n; ++i) {
      std::string img(30000, 'a');
      img += std::to_string(i % distinct);
      d.write("ch-" + std::to_string(i), "user" + std::to_string(i % 100), "image/png", img,
              1000 + i, &err);
    }
    double s = secs(t);
    printf(
        "write: %d charts (%d distinct 30 KB images): %.2f s, %.0f charts/s; bytes %llu images "
        "%lld\n",
        n, distinct, s, n / s, (unsigned long long)d.stats().bytes, (long long)d.stats().images);
  }
  long before = rss_kb();
  auto t = clk::now();
  chart_disk d(dir, chart_disk_limits{});
  d.scan(&err);
  printf("scan: %lld charts, %lld images in %.3f s, RSS +%ld KB\n", (long long)d.stats().charts,
         (long long)d.stats().images, secs(t), rss_kb() - before);
}
