// agentwire-load: the load-test harness. See load/cli.hpp for the modes.
#include <sys/resource.h>

#include <iostream>
#include <string>
#include <vector>

#include "load/cli.hpp"
#include "load/idle_mode.hpp"
#include "load/plots.hpp"
#include "load/ramp_mode.hpp"
#include "load/report.hpp"
#include "load/run_mode.hpp"

namespace {

void raise_nofile() {
  rlimit rl{};
  if (getrlimit(RLIMIT_NOFILE, &rl) != 0) return;
  if (rl.rlim_cur < rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
      std::cerr << "agentwire-load: could not raise RLIMIT_NOFILE\n";
  }
}

int finish_run(const aw::load::options& o, const aw::load::run_result& r) {
  aw::load::print_table(std::cout, r);
  bool ok = !r.failed();
  if (!o.json_file.empty()) ok = aw::load::write_file(o.json_file, aw::load::to_json(r)) && ok;
  if (!o.plots_dir.empty()) {
    auto files = aw::load::write_plots(r, o.plots_dir);
    for (const auto& f : files) std::cout << "  plot        " << f << "\n";
  }
  return ok ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  auto parsed = aw::load::parse_args(args);
  if (!parsed) {
    std::cerr << "agentwire-load: " << parsed.message() << "\n" << aw::load::usage();
    return 2;
  }
  const auto& o = *parsed;
  if (o.what == aw::load::mode::help) {
    std::cout << aw::load::usage();
    return 0;
  }
  raise_nofile();
  try {
    if (o.what == aw::load::mode::run) return finish_run(o, aw::load::run_load(o));
    if (o.what == aw::load::mode::idle) return finish_run(o, aw::load::idle_load(o));
    std::cout << "agentwire-load ramp  url=" << o.url << "  metric=p95 send -> " << o.metric
              << "  limit=" << o.p95_limit_ms << " ms" << std::endl;
    auto rr = aw::load::ramp_load(
        o, [](const aw::load::options& so) { return aw::load::run_load(so); },
        [](const aw::load::ramp_step& s, const aw::load::run_result&) {
          aw::load::print_ramp_step(std::cout, s);
        });
    std::cout << "\n";
    aw::load::print_ramp(std::cout, rr);
    bool ok = !rr.failed;
    if (!o.json_file.empty()) ok = aw::load::write_file(o.json_file, aw::load::to_json(rr)) && ok;
    if (!o.plots_dir.empty())
      for (const auto& f : aw::load::write_ramp_plots(rr, o.plots_dir))
        std::cout << "  plot        " << f << "\n";
    return ok ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << "agentwire-load: " << e.what() << "\n";
    return 1;
  }
}
