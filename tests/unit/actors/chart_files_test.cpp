// Chart files on disk (store/chart_disk.hpp, driven by actors/chart_store.hpp):
// the content-addressed layout, sharing, quotas and their eviction order,
// retention, the index rebuilt at start, files of the old layout, and the
// chart store's own disk thread.
#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "actors/chart_store.hpp"
#include "store/chart_disk.hpp"

using namespace aw::actors;
using aw::store::chart_disk;
using aw::store::chart_disk_limits;
using aw::store::read_chart;
namespace fs = std::filesystem;

namespace {

struct temp_dir {
  fs::path path;
  temp_dir() {
    char tmpl[] = "/tmp/aw-charts-XXXXXX";
    REQUIRE(mkdtemp(tmpl) != nullptr);
    path = tmpl;
  }
  ~temp_dir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

std::size_t files_in(const fs::path& dir) {
  std::size_t n = 0;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.is_regular_file()) ++n;
  return n;
}

chart_disk_limits big() {
  return chart_disk_limits{};
}

// A distinct image of n bytes.
std::string image(char tag, std::size_t n = 1000) {
  return std::string(n, tag);
}

std::uint64_t blocks(std::uint64_t n) {
  return (n + 4095) / 4096 * 4096;
}

// Bytes a chart of this owner and image size counts: image and sidecar, each
// rounded up to 4 KiB.
std::uint64_t charge(const std::string& owner, std::size_t image_bytes) {
  return blocks(image_bytes) +
         blocks(owner.size() + 1 + std::string("image/png").size() + 1 + 64 + 1);
}

}  // namespace

TEST_CASE("a chart is a sidecar per id and an image file named by its SHA-256") {
  temp_dir dir;
  chart_disk disk(dir.path, big());
  std::string error;
  REQUIRE(disk.scan(&error));
  std::string bytes("\x89PNG\r\n\x1a\n\0binary", 15);
  REQUIRE(disk.write("ch-1-abc", "u@x", "image/png", bytes, 1000, &error));
  CHECK(fs::exists(dir.path / "ch-1-abc.meta"));
  CHECK(!fs::exists(dir.path / "ch-1-abc.png"));
  REQUIRE(files_in(dir.path / "img") == 1);
  auto name = fs::directory_iterator(dir.path / "img")->path().filename().string();
  CHECK(name.size() == 64 + 4);
  CHECK(name.substr(64) == ".png");
  auto back = read_chart(dir.path, "ch-1-abc", 1 << 20);
  REQUIRE(back);
  CHECK(back->owner == "u@x");
  CHECK(back->content_type == "image/png");
  CHECK(back->bytes == bytes);
  REQUIRE(disk.write("ch-2", "u", "image/svg+xml", "<svg/>", 1001, &error));
  CHECK(read_chart(dir.path, "ch-2", 1 << 20)->content_type == "image/svg+xml");
  CHECK(files_in(dir.path / "img") == 2);
  CHECK(!read_chart(dir.path, "ch-1-abc", 4));  // over the size bound
  CHECK(disk.stats().charts == 2);
  CHECK(disk.stats().images == 2);
}

TEST_CASE("bad ids, missing and damaged files read as absent") {
  temp_dir dir;
  chart_disk disk(dir.path, big());
  std::string error;
  REQUIRE(disk.scan(&error));
  CHECK(!disk.write("../x", "u", "image/png", "x", 1, &error));
  CHECK(!disk.write("ch-3", "a\nb", "image/png", "x", 1, &error));
  CHECK(!read_chart(dir.path, "../etc/passwd", 1 << 20));
  CHECK(!read_chart(dir.path, "ch-none", 1 << 20));
  REQUIRE(disk.write("ch-4", "u", "image/png", "x", 1, &error));
  for (const auto& e : fs::directory_iterator(dir.path / "img")) fs::remove(e.path());
  CHECK(!read_chart(dir.path, "ch-4", 1 << 20));
  std::ofstream(dir.path / "ch-5.meta") << "only-one-line";
  CHECK(!read_chart(dir.path, "ch-5", 1 << 20));
  std::ofstream(dir.path / "ch-6.meta") << "u\nimage/png\n../../etc/passwd\n";
  CHECK(!read_chart(dir.path, "ch-6", 1 << 20));
}

TEST_CASE("two charts with the same image share one file, removed with the last of them") {
  temp_dir dir;
  chart_disk disk(dir.path, big());
  std::string error;
  REQUIRE(disk.scan(&error));
  REQUIRE(disk.write("ch-a", "alice", "image/png", image('x'), 1000, &error));
  REQUIRE(disk.write("ch-b", "bob", "image/png", image('x'), 2000, &error));
  CHECK(files_in(dir.path / "img") == 1);
  CHECK(disk.stats().charts == 2);
  CHECK(disk.stats().images == 1);
  CHECK(disk.stats().deduplicated == 1);
  CHECK(disk.stats().bytes == charge("alice", 1000) + charge("bob", 0));
  CHECK(read_chart(dir.path, "ch-b", 1 << 20)->owner == "bob");
  CHECK(read_chart(dir.path, "ch-a", 1 << 20)->owner == "alice");
  // Retention takes ch-a (older): the image stays for ch-b.
  CHECK(disk.remove_before(1500) == 1);
  CHECK(!fs::exists(dir.path / "ch-a.meta"));
  CHECK(!read_chart(dir.path, "ch-a", 1 << 20));
  CHECK(files_in(dir.path / "img") == 1);
  CHECK(read_chart(dir.path, "ch-b", 1 << 20)->bytes == image('x'));
  // ... and then ch-b: nothing names the image any more.
  CHECK(disk.remove_before(2500) == 1);
  CHECK(files_in(dir.path / "img") == 0);
  CHECK(files_in(dir.path) == 0);
  CHECK(disk.stats().bytes == 0);
  CHECK(disk.stats().expired == 2);
}

TEST_CASE("over the per-user quota the user's oldest charts go, not other users'") {
  temp_dir dir;
  chart_disk_limits limits;
  limits.user_bytes = 3 * charge("alice", 1000);
  chart_disk disk(dir.path, limits);
  std::string error;
  REQUIRE(disk.scan(&error));
  REQUIRE(disk.write("ch-b1", "bobby", "image/png", image('b'), 1, &error));  // the oldest of all
  REQUIRE(disk.write("ch-a1", "alice", "image/png", image('1'), 2, &error));
  REQUIRE(disk.write("ch-a2", "alice", "image/png", image('2'), 3, &error));
  REQUIRE(disk.write("ch-a3", "alice", "image/png", image('3'), 4, &error));
  CHECK(disk.stats().evicted == 0);
  REQUIRE(disk.write("ch-a4", "alice", "image/png", image('4'), 5, &error));
  CHECK(disk.stats().evicted == 1);
  CHECK(!read_chart(dir.path, "ch-a1", 1 << 20));
  CHECK(read_chart(dir.path, "ch-a2", 1 << 20));
  CHECK(read_chart(dir.path, "ch-a4", 1 << 20));
  CHECK(read_chart(dir.path, "ch-b1", 1 << 20));  // bob is under his quota
  CHECK(disk.user_bytes("alice") == 3 * charge("alice", 1000));
  CHECK(files_in(dir.path / "img") == 4);
  // An image bigger than the quota by itself is refused, and evicts nothing.
  CHECK(!disk.write("ch-big", "alice", "image/png", image('B', 40000), 6, &error));
  CHECK(error.find("quota") != std::string::npos);
  CHECK(!fs::exists(dir.path / "ch-big.meta"));
  CHECK(disk.stats().charts == 4);
}

TEST_CASE("over the total quota everyone's oldest charts go first") {
  temp_dir dir;
  chart_disk_limits limits;
  limits.total_bytes = 3 * charge("alice", 1000);
  chart_disk disk(dir.path, limits);
  std::string error;
  REQUIRE(disk.scan(&error));
  REQUIRE(disk.write("ch-1", "alice", "image/png", image('1'), 1, &error));
  REQUIRE(disk.write("ch-2", "carol", "image/png", image('2'), 2, &error));
  REQUIRE(disk.write("ch-3", "alice", "image/png", image('3'), 3, &error));
  REQUIRE(disk.write("ch-4", "carol", "image/png", image('4'), 4, &error));
  CHECK(!read_chart(dir.path, "ch-1", 1 << 20));
  CHECK(read_chart(dir.path, "ch-2", 1 << 20));
  REQUIRE(disk.write("ch-5", "alice", "image/png", image('5'), 5, &error));
  CHECK(!read_chart(dir.path, "ch-2", 1 << 20));  // carol's, the oldest left
  CHECK(read_chart(dir.path, "ch-3", 1 << 20));
  CHECK(disk.stats().evicted == 2);
  CHECK(disk.stats().bytes <= limits.total_bytes);
  CHECK(files_in(dir.path / "img") == 3);
  CHECK(files_in(dir.path) == 3);  // sidecars
}

TEST_CASE("a new chart_disk rebuilds the index from the directory") {
  temp_dir dir;
  std::string error;
  {
    chart_disk disk(dir.path, big());
    REQUIRE(disk.scan(&error));
    REQUIRE(disk.write("ch-1", "alice", "image/png", image('1'), 1, &error));
    REQUIRE(disk.write("ch-2", "alice", "image/png", image('1'), 2, &error));
    REQUIRE(disk.write("ch-3", "bobby", "image/png", image('3'), 3, &error));
  }
  // Debris of a crash: a temporary, and an image no sidecar names.
  std::ofstream(dir.path / "img" / "half.png.tmp") << "x";
  std::ofstream(dir.path / "img" / (std::string(64, 'f') + ".png")) << "orphan";
  // A chart of the old layout ("<id>.png" next to a two-line sidecar).
  std::ofstream(dir.path / "ch-old.png", std::ios::binary) << image('o', 500);
  std::ofstream(dir.path / "ch-old.meta") << "alice\nimage/png\n";
  fs::last_write_time(dir.path / "ch-old.meta",
                      fs::file_time_type::clock::now() - std::chrono::hours(24 * 40));

  chart_disk_limits limits;
  limits.user_bytes = 2 * charge("alice", 1000) + 100;  // alice has 2 x 1000 + 500: over
  chart_disk disk(dir.path, limits);
  REQUIRE(disk.scan(&error));
  CHECK(error.empty());
  CHECK(!fs::exists(dir.path / "img" / "half.png.tmp"));
  CHECK(!fs::exists(dir.path / "img" / (std::string(64, 'f') + ".png")));
  // The old chart was alice's oldest: evicted at start, with its image.
  CHECK(disk.stats().evicted == 1);
  CHECK(!fs::exists(dir.path / "ch-old.png"));
  CHECK(!fs::exists(dir.path / "ch-old.meta"));
  CHECK(disk.stats().charts == 3);
  CHECK(disk.stats().images == 2);
  CHECK(disk.user_bytes("alice") == 2 * charge("alice", 1000));
  CHECK(disk.user_bytes("bobby") == charge("bobby", 1000));
  // Sharing goes on across the restart.
  REQUIRE(disk.write("ch-4", "bobby", "image/png", image('3'), 4, &error));
  CHECK(disk.stats().deduplicated == 1);
  CHECK(files_in(dir.path / "img") == 2);
}

TEST_CASE("a chart written with a clock behind the files' is still the newest for the quotas") {
  temp_dir dir;
  std::string error;
  {
    chart_disk disk(dir.path, big());
    REQUIRE(disk.scan(&error));
    REQUIRE(disk.write("ch-1", "alice", "image/png", image('1'), 1, &error));
  }
  chart_disk_limits limits;
  limits.total_bytes = charge("alice", 1000);  // room for one chart
  chart_disk disk(dir.path, limits);
  REQUIRE(disk.scan(&error));  // ch-1 is as old as its file: now
  REQUIRE(disk.write("ch-2", "alice", "image/png", image('2'), 5, &error));  // "1970"
  CHECK(!read_chart(dir.path, "ch-1", 1 << 20));
  CHECK(read_chart(dir.path, "ch-2", 1 << 20));
  CHECK(disk.stats().bytes == charge("alice", 1000));
}

TEST_CASE("charts of the old layout are read, counted and expired") {
  temp_dir dir;
  std::ofstream(dir.path / "ch-legacy.svg") << "<svg/>";
  std::ofstream(dir.path / "ch-legacy.meta") << "carol\nimage/svg+xml\n";
  auto back = read_chart(dir.path, "ch-legacy", 1 << 20);
  REQUIRE(back);
  CHECK(back->owner == "carol");
  CHECK(back->bytes == "<svg/>");
  chart_disk disk(dir.path, big());
  std::string error;
  REQUIRE(disk.scan(&error));
  CHECK(disk.stats().charts == 1);
  CHECK(disk.stats().bytes == 2 * 4096);  // the image and its sidecar, a block each
  auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
  CHECK(disk.remove_before(now_ms - 3600 * 1000) == 0);  // written just now
  CHECK(disk.remove_before(now_ms + 3600 * 1000) == 1);
  CHECK(!fs::exists(dir.path / "ch-legacy.svg"));
  CHECK(!fs::exists(dir.path / "ch-legacy.meta"));
}

TEST_CASE("the store writes charts on its own thread, and a new store reads them back") {
  temp_dir dir;
  std::string id;
  auto bytes = std::make_shared<const std::string>("image bytes");
  {
    chart_store store(1 << 20);
    std::string error;
    REQUIRE(store.persist_to(dir.path / "charts", 30, &error));
    CHECK(store.persistent());
    id = store.put("alice", "image/png", bytes);
    store.put("alice", "image/png", bytes);  // the same image again: no second file
    REQUIRE(store.wait_written(std::chrono::seconds(10)));
    CHECK(store.files_written() == 2);
    CHECK(store.disk_stats().charts == 2);
    CHECK(store.disk_stats().images == 1);
    CHECK(store.get(id)->owner == "alice");
  }
  CHECK(files_in(dir.path / "charts" / "img") == 1);
  chart_store fresh(1 << 20);
  CHECK(!fresh.get(id));
  CHECK(!fresh.load(id, 1 << 20));  // not persistent yet
  std::string error;
  REQUIRE(fresh.persist_to(dir.path / "charts", 30, &error));
  REQUIRE(fresh.wait_written(std::chrono::seconds(10)));  // the index is built
  CHECK(fresh.disk_stats().charts == 2);
  auto back = fresh.load(id, 1 << 20);
  REQUIRE(back);
  CHECK(back->owner == "alice");
  CHECK(*back->bytes == *bytes);
}

TEST_CASE("the store's retention removes old charts of the new layout at start, and their image") {
  temp_dir dir;
  fs::path charts = dir.path / "charts";
  std::string error;
  {
    chart_disk disk(charts, big());
    REQUIRE(disk.scan(&error));
    REQUIRE(disk.write("ch-old", "alice", "image/png", image('o'), 1, &error));
    REQUIRE(disk.write("ch-new", "alice", "image/png", image('n'), 2, &error));
  }
  fs::last_write_time(charts / "ch-old.meta",
                      fs::file_time_type::clock::now() - std::chrono::hours(24 * 40));
  chart_store store(1 << 20);
  REQUIRE(store.persist_to(charts, 30, &error));
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (store.files_removed() < 1 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));  // poll interval, bounded
  CHECK(store.files_removed() == 1);
  CHECK(store.disk_stats().expired == 1);
  CHECK(!fs::exists(charts / "ch-old.meta"));
  CHECK(files_in(charts / "img") == 1);
  CHECK(!store.load("ch-old", 1 << 20));
  CHECK(store.load("ch-new", 1 << 20)->bytes->size() == 1000);
}

TEST_CASE("a chart the disk refuses is counted, and still served from memory") {
  temp_dir dir;
  chart_store store(8 << 20);
  chart_disk_limits limits;
  limits.total_bytes = 1 << 20;
  limits.user_bytes = 1 << 20;
  std::string error;
  REQUIRE(store.persist_to(dir.path / "charts", 30, limits, &error));
  auto big_image = std::make_shared<const std::string>(image('z', 2 << 20));
  auto id = store.put("alice", "image/png", big_image);
  auto small = store.put("alice", "image/png", std::make_shared<const std::string>("ok"));
  REQUIRE(store.wait_written(std::chrono::seconds(10)));
  CHECK(store.write_failures() == 1);
  CHECK(store.files_written() == 1);
  CHECK(store.get(id)->bytes->size() == big_image->size());
  CHECK(!store.load(id, 4 << 20));
  CHECK(store.load(small, 1 << 20));
}

TEST_CASE("chart_url carries the user, encoded as URLSearchParams encodes it") {
  CHECK(chart_url_for("ch-1-abc", "alice") == "/charts/ch-1-abc?user_id=alice");
  // ':' and '@' (allowed in user ids) are encoded like the page's /ws?user_id=,
  // so a proxy hashing on the raw $arg_user_id sees one key for both.
  CHECK(chart_url_for("ch-2", "u@x.io:7") == "/charts/ch-2?user_id=u%40x.io%3A7");
  CHECK(chart_url_for("ch-3", "a_b-c.d") == "/charts/ch-3?user_id=a_b-c.d");
}
