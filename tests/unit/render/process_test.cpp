// The persistent gnuplot child: restart after it dies, no leaked descriptors,
// no zombies, throughput of one process.
#include <doctest/doctest.h>

#include <dirent.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "render/gnuplot_process.hpp"
#include "render/renderer.hpp"
#include "render_test_support.hpp"

using namespace aw::render;
using aw::render::chart_kind;

namespace {

std::vector<int> open_fds(long pid) {
  std::vector<int> fds;
  std::string dir = "/proc/" + std::to_string(pid) + "/fd";
  if (DIR* d = opendir(dir.c_str())) {
    while (dirent* e = readdir(d)) {
      if (e->d_name[0] != '.') fds.push_back(std::stoi(e->d_name));
    }
    closedir(d);
  }
  return fds;
}

bool is_zombie_or_gone(long pid) {
  std::FILE* f = std::fopen(("/proc/" + std::to_string(pid) + "/stat").c_str(), "r");
  if (!f) return true;
  char state = '?';
  int ignored = std::fscanf(f, "%*d %*s %c", &state);
  (void)ignored;
  std::fclose(f);
  return state == 'Z';
}

}  // namespace

TEST_CASE("gnuplot does not inherit our descriptors") {
  // An inheritable socket, like an Asio listening socket.
  int sock = socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(sock >= 0);
  chart_renderer renderer;
  std::string error;
  REQUIRE_MESSAGE(renderer.start(&error), error);
  auto fds = open_fds(renderer.gnuplot_pid());
  for (int fd : fds) CHECK_MESSAGE(fd <= 2, "gnuplot holds fd " << fd);
  close(sock);
}

TEST_CASE("killing gnuplot between renders: the next render restarts it") {
  chart_renderer renderer;
  auto spec = test::sample_spec(chart_kind::bar_chart_vertical);
  REQUIRE(renderer.render(spec).ok);
  long first = renderer.gnuplot_pid();
  REQUIRE(first > 0);
  kill(static_cast<pid_t>(first), SIGKILL);
  auto out = renderer.render(spec);  // no pause: the death may not be visible yet
  REQUIRE_MESSAGE(out.ok, out.error);
  CHECK(renderer.gnuplot_pid() != first);
  CHECK(is_zombie_or_gone(first));
  CHECK(waitpid(static_cast<pid_t>(first), nullptr, WNOHANG) == -1);  // already reaped

  kill(static_cast<pid_t>(renderer.gnuplot_pid()), SIGKILL);
  out = renderer.render(spec);  // whether or not the child is gone yet, this restarts it
  REQUIRE_MESSAGE(out.ok, out.error);
}

TEST_CASE("a hung gnuplot times out, is killed, and the next call restarts it") {
  gnuplot_process process;
  // Start it first, so that only the hung command meets the short timeout
  // (a start under a loaded sanitizer build can take longer than that).
  REQUIRE(process.run("print 0", std::chrono::seconds(30)).ok);
  auto run = process.run("pause 5", std::chrono::milliseconds(300));
  CHECK_FALSE(run.ok);
  CHECK(run.timed_out);
  CHECK_FALSE(process.running());
  run = process.run("print 1+1", std::chrono::seconds(5));
  REQUIRE(run.ok);
  REQUIRE(run.messages.size() == 1);
  CHECK(run.messages[0] == "2");
}

TEST_CASE("gnuplot errors are reported") {
  gnuplot_process process;
  auto run = process.run("plot undefined_function(x)", std::chrono::seconds(5));
  CHECK(run.ok);  // the marker arrived: gnuplot is still fine
  bool error = false;
  for (const auto& m : run.messages) error = error || gnuplot_process::is_error_message(m);
  CHECK(error);
  CHECK(gnuplot_process::is_error_message("         line 3: undefined function: foo"));
  CHECK_FALSE(gnuplot_process::is_error_message("         line 3: warning: empty x range"));
}

TEST_CASE("a missing gnuplot executable is an error, not a crash") {
  renderer_options options;
  options.gnuplot_path = "/nonexistent/gnuplot";
  options.timeout = std::chrono::seconds(3);
  chart_renderer renderer(options);
  std::string error;
  CHECK_FALSE(renderer.start(&error));
  CHECK_FALSE(error.empty());
  auto out = renderer.render(test::sample_spec(chart_kind::bar_chart_vertical));
  CHECK_FALSE(out.ok);
}

TEST_CASE("the destructor ends gnuplot without a zombie") {
  long pid = 0;
  {
    chart_renderer renderer;
    REQUIRE(renderer.start());
    pid = renderer.gnuplot_pid();
  }
  CHECK(is_zombie_or_gone(pid));
  CHECK(waitpid(static_cast<pid_t>(pid), nullptr, WNOHANG) == -1);
}

TEST_CASE("one persistent process renders 50 bar charts") {
  chart_renderer renderer;
  REQUIRE(renderer.start());
  auto spec = test::sample_spec(chart_kind::bar_chart_vertical);
  long pid = renderer.gnuplot_pid();
  for (auto format : {aw::render::image_format::png, aw::render::image_format::svg}) {
    spec.format = format;
    auto begin = std::chrono::steady_clock::now();
    for (int i = 0; i < 50; ++i) {
      spec.data.values[i % spec.data.values.size()] += 1;
      auto out = renderer.render(spec);
      REQUIRE_MESSAGE(out.ok, out.error);
    }
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
    MESSAGE("800x500 bar chart " << (format == aw::render::image_format::png ? "PNG" : "SVG")
                                 << ": " << 50 / seconds << " charts/s (" << 1000 * seconds / 50
                                 << " ms each)");
  }
  CHECK(renderer.gnuplot_pid() == pid);  // the same process all along
}
