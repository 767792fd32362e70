// End-to-end, issue #17 item 11: chart files against the real binary.
// Identical runs share one image file; CHART_DISK_MB holds DATA_DIR/charts
// under its bound while a recent chart_url still serves; a chart directory
// that cannot be written never stops a run.
#include <doctest/doctest.h>

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <thread>

#include "e2e/run_helpers.hpp"
#include "support/http_client.hpp"
#include "support/server_process.hpp"
#include "support/ws_client.hpp"

using namespace aw::test;
namespace fs = std::filesystem;

namespace {

// Runs `content` and returns the chart's bytes (inline) and its chart_url.
std::string run(ws_client& c, const std::string& cid, const std::string& content,
                std::string* chart_url) {
  c.send(R"({"type":"analytics_request","correlation_id":")" + cid +
         R"(","conversation_id":"conv-d","payload":{"content":")" + content + R"("}})");
  REQUIRE(c.wait_for([&](const auto& f) { return completed(f, cid); }, std::chrono::seconds(60)));
  auto frames = c.frames();  // run_events points into it: keep it alive
  for (const auto* f : run_events(frames, cid)) {
    if (f->type() != "agent_completed") continue;
    const auto& response = (*f)["data"]["response"];
    std::string uri = response["chart"].GetString();
    *chart_url = response["chart_url"].GetString();
    return base64_decode(uri.substr(uri.find(',') + 1));
  }
  FAIL("no agent_completed for " << cid);
  return "";
}

// The value of one metric line ("name value"), or -1.
double metric(const server_process& s, const std::string& name) {
  auto r = http_request(s.port(), "GET", "/metrics");
  auto at = r.body.find("\n" + name + " ");
  if (r.status != 200 || at == std::string::npos) return -1;
  return std::stod(r.body.substr(at + name.size() + 2));
}

// Polls /metrics until `name` reaches `value` (the disk thread writes after the run).
bool wait_metric(const server_process& s, const std::string& name, double value) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  for (int i = 0; i < 1500 && std::chrono::steady_clock::now() < deadline; ++i) {
    if (metric(s, name) >= value) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));  // poll interval, not a wait-for
  }
  return false;
}

std::size_t count_files(const fs::path& dir, const std::string& ext) {
  std::size_t n = 0;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.is_regular_file() && e.path().extension() == ext) ++n;
  return n;
}

// What the quotas count: every file's size rounded up to 4 KiB.
std::uintmax_t bytes_under(const fs::path& dir) {
  std::uintmax_t total = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) total += (e.file_size() + 4095) / 4096 * 4096;
  return total;
}

// A token for `user`, minted by the binary itself.
std::string mint(const std::string& secret, const std::string& user) {
  std::string cmd =
      "AUTH_SECRET=" + secret + " " + agentwire_binary() + " token --user " + user + " --ttl 600";
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  char buf[1024] = {0};
  std::string out = std::fgets(buf, sizeof buf, p) ? buf : "";
  pclose(p);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

}  // namespace

TEST_CASE("chart files: identical runs write one image file, each chart id its sidecar") {
  temp_dir dir("aw-chart-disk-e2e");
  auto server = start_in(dir.path);
  auto c = open_user(*server, "erin");
  std::string first_url, url;
  std::string first = run(*c, "d-1", "Show quarterly revenue", &first_url);
  for (int i = 2; i <= 3; ++i)
    CHECK(run(*c, "d-" + std::to_string(i), "Show quarterly revenue", &url) == first);
  REQUIRE(wait_metric(*server, "agentwire_chart_files_written_total", 3));
  fs::path charts = dir.path / "charts";
  CHECK(count_files(charts, ".meta") == 3);
  CHECK(count_files(charts / "img", ".png") == 1);
  CHECK(count_files(charts, ".png") == 0);  // not the old layout
  CHECK(metric(*server, "agentwire_chart_disk_images") == 1);
  CHECK(metric(*server, "agentwire_chart_disk_charts") == 3);
  CHECK(metric(*server, "agentwire_chart_disk_bytes") == static_cast<double>(bytes_under(charts)));
  c->close();
  CHECK(server->stop() == 0);
  // After a restart both ids still serve their (shared) image from disk.
  auto again = start_in(dir.path);
  auto one = http_request(again->port(), "GET", first_url);
  CHECK(one.status == 200);
  CHECK(one.body == first);
  CHECK(http_request(again->port(), "GET", url).body == first);
}

TEST_CASE("chart files: CHART_DISK_MB holds the directory, oldest first, recent charts serve") {
  temp_dir dir("aw-chart-disk-e2e");
  fs::path charts = dir.path / "charts";
  fs::create_directories(charts);
  // 972 KiB of old charts (the old layout) from another user, a day old.
  auto yesterday = fs::file_time_type::clock::now() - std::chrono::hours(24);
  for (int i = 0; i < 3; ++i) {
    std::string id = "ch-filler-" + std::to_string(i);
    std::ofstream(charts / (id + ".png"), std::ios::binary) << std::string(320 * 1024, 'f');
    std::ofstream(charts / (id + ".meta")) << "frank\nimage/png\n";
    fs::last_write_time(charts / (id + ".meta"), yesterday + std::chrono::seconds(i));
  }
  auto server = start_in(dir.path, {"CHART_DISK_MB=1"});
  auto c = open_user(*server, "gina");
  std::string url;
  std::string chart;
  for (int i = 1; i <= 4; ++i)
    chart =
        run(*c, "q-" + std::to_string(i), "Show quarterly revenue q-" + std::to_string(i), &url);
  REQUIRE(wait_metric(*server, "agentwire_chart_files_written_total", 4));
  CHECK(bytes_under(charts) <= (1u << 20));
  CHECK(metric(*server, "agentwire_chart_disk_evictions_total") >= 1);
  CHECK(!fs::exists(charts / "ch-filler-0.png"));  // the oldest went first
  CHECK(!fs::exists(charts / "ch-filler-0.meta"));
  c->close();
  CHECK(server->stop() == 0);
  // The latest chart serves from disk after a restart, with its owner check.
  auto again = start_in(dir.path, {"CHART_DISK_MB=1"});
  auto image = http_request(again->port(), "GET", url);
  CHECK(image.status == 200);
  CHECK(image.body == chart);
  CHECK(bytes_under(charts) <= (1u << 20));
}

TEST_CASE("chart files: a chart directory that cannot be written never stops a run") {
  temp_dir dir("aw-chart-disk-e2e");
  fs::create_directories(dir.path / "charts");
  std::ofstream(dir.path / "charts" / "img") << "a file where the image directory goes";
  auto server = start_in(dir.path);
  auto c = open_user(*server, "hank");
  std::string url;
  std::string chart = run(*c, "f-1", "Show quarterly revenue", &url);
  CHECK(!chart.empty());
  REQUIRE(wait_metric(*server, "agentwire_chart_file_failures_total", 1));
  CHECK(server->wait_log("chart not persisted"));
  auto image = http_request(server->port(), "GET", url);  // from memory
  CHECK(image.status == 200);
  CHECK(image.body == chart);
  std::string second = run(*c, "f-2", "Show quarterly revenue again", &url);
  CHECK(!second.empty());
}

TEST_CASE("chart files: two users' identical charts share a file, each served only to its owner") {
  temp_dir dir("aw-chart-disk-e2e");
  const std::string secret = "chart-disk-test-secret-0123456789abcdef";
  std::string alice = mint(secret, "alice");
  std::string bob = mint(secret, "bob");
  REQUIRE(alice.size() > 20);
  std::string alice_url, bob_url, chart;
  {
    auto server = start_in(dir.path, {"AUTH_SECRET=" + secret});
    auto a = open_user(*server, "alice", "s1", "&token=" + alice);
    auto b = open_user(*server, "bob", "s1", "&token=" + bob);
    chart = run(*a, "s-1", "Show quarterly revenue", &alice_url);
    CHECK(run(*b, "s-2", "Show quarterly revenue", &bob_url) == chart);
    // The disk thread writes after the runs; stop() then writes what is still queued.
    a->close();
    b->close();
    CHECK(server->stop() == 0);
  }
  CHECK(count_files(dir.path / "charts" / "img", ".png") == 1);
  CHECK(count_files(dir.path / "charts", ".meta") == 2);
  auto server = start_in(dir.path, {"AUTH_SECRET=" + secret});  // from disk now
  auto as = [](const std::string& token) {
    return http_headers{{"Authorization", "Bearer " + token}};
  };
  auto mine = http_request(server->port(), "GET", alice_url, as(alice));
  CHECK(mine.status == 200);
  CHECK(mine.body == chart);
  CHECK(http_request(server->port(), "GET", bob_url, as(bob)).body == chart);
  CHECK(http_request(server->port(), "GET", alice_url, as(bob)).status == 404);
  CHECK(http_request(server->port(), "GET", bob_url, as(alice)).status == 404);
  CHECK(http_request(server->port(), "GET", alice_url).status == 401);
}
