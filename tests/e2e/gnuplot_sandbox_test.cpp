// End-to-end: the gnuplot children of the real binary get a clean
// environment (no secret of the server's) and resource limits.
#include <doctest/doctest.h>

#include <dirent.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "e2e/run_helpers.hpp"
#include "support/server_process.hpp"

using namespace aw::test;

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Child processes of `parent` whose command is gnuplot.
std::vector<int> gnuplot_children(int parent) {
  std::vector<int> out;
  DIR* d = opendir("/proc");
  if (!d) return out;
  while (dirent* e = readdir(d)) {
    int pid = std::atoi(e->d_name);
    if (pid <= 0) continue;
    std::string stat = read_file("/proc/" + std::to_string(pid) + "/stat");
    auto close = stat.rfind(')');
    if (close == std::string::npos || stat.find("(gnuplot)") == std::string::npos) continue;
    int ppid = 0;
    std::istringstream rest(stat.substr(close + 2));
    char state;
    rest >> state >> ppid;
    if (ppid == parent) out.push_back(pid);
  }
  closedir(d);
  return out;
}

std::string limit_line(const std::string& limits, const std::string& name) {
  auto at = limits.find(name);
  if (at == std::string::npos) return "";
  return limits.substr(at, limits.find('\n', at) - at);
}

}  // namespace

TEST_CASE("gnuplot runs with a clean environment, 1 GiB of address space and a CPU limit") {
  auto server = start_server({"AUTH_SECRET=sandbox-test-secret-0123456789abcdef",
                              "OPENAI_API_KEY=sk-sandbox-test-key", "RENDER_POOL_SIZE=2"});
  auto children = gnuplot_children(server->pid());
  REQUIRE(children.size() == 2);
  for (int pid : children) {
    std::string env = read_file("/proc/" + std::to_string(pid) + "/environ");
    CHECK(env.find("sandbox-test-secret") == std::string::npos);
    CHECK(env.find("sk-sandbox-test-key") == std::string::npos);
    CHECK(env.find("AUTH_SECRET") == std::string::npos);
    CHECK(env.find("PATH=") != std::string::npos);
    std::string limits = read_file("/proc/" + std::to_string(pid) + "/limits");
    CHECK(limit_line(limits, "Max address space").find("1073741824") != std::string::npos);
    CHECK(limit_line(limits, "Max cpu time").find("unlimited            unlimited") ==
          std::string::npos);
  }
}
