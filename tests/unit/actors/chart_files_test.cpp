// Chart images on disk (actors/chart_store.hpp): round trip, damage, retention,
// and the store's own disk thread.
#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "actors/chart_store.hpp"

using namespace aw::actors;
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

}  // namespace

TEST_CASE("a chart file round-trips with its owner and content type") {
  temp_dir dir;
  std::string bytes("\x89PNG\r\n\x1a\n\0binary", 15);
  std::string error;
  REQUIRE(write_chart_file(dir.path, "ch-1-abc", "u@x", "image/png", bytes, &error));
  CHECK(fs::exists(dir.path / "ch-1-abc.png"));
  CHECK(fs::exists(dir.path / "ch-1-abc.meta"));
  auto back = read_chart_file(dir.path, "ch-1-abc", 1 << 20);
  REQUIRE(back);
  CHECK(back->owner == "u@x");
  CHECK(back->content_type == "image/png");
  CHECK(back->bytes == bytes);
  REQUIRE(write_chart_file(dir.path, "ch-2", "u", "image/svg+xml", "<svg/>", &error));
  CHECK(fs::exists(dir.path / "ch-2.svg"));
  CHECK(read_chart_file(dir.path, "ch-2", 1 << 20)->content_type == "image/svg+xml");
  CHECK(!read_chart_file(dir.path, "ch-1-abc", 4));  // over the size bound
}

TEST_CASE("bad ids, missing and damaged files read as absent") {
  temp_dir dir;
  std::string error;
  CHECK(!write_chart_file(dir.path, "../x", "u", "image/png", "x", &error));
  CHECK(!write_chart_file(dir.path, "ch-3", "a\nb", "image/png", "x", &error));
  CHECK(!read_chart_file(dir.path, "../etc/passwd", 1 << 20));
  CHECK(!read_chart_file(dir.path, "ch-none", 1 << 20));
  REQUIRE(write_chart_file(dir.path, "ch-4", "u", "image/png", "x", &error));
  fs::remove(dir.path / "ch-4.png");
  CHECK(!read_chart_file(dir.path, "ch-4", 1 << 20));
  std::ofstream(dir.path / "ch-5.meta") << "only-one-line";
  CHECK(!read_chart_file(dir.path, "ch-5", 1 << 20));
}

TEST_CASE("retention removes files written before the cutoff and keeps newer ones") {
  temp_dir dir;
  std::string error;
  REQUIRE(write_chart_file(dir.path, "ch-old", "u", "image/png", "old", &error));
  REQUIRE(write_chart_file(dir.path, "ch-new", "u", "image/png", "new", &error));
  auto old_time = fs::file_time_type::clock::now() - std::chrono::hours(24 * 40);
  fs::last_write_time(dir.path / "ch-old.png", old_time);
  fs::last_write_time(dir.path / "ch-old.meta", old_time);
  auto cutoff = std::chrono::system_clock::now() - std::chrono::hours(24 * 30);
  CHECK(remove_chart_files_before(dir.path, cutoff) == 1);
  CHECK(!fs::exists(dir.path / "ch-old.png"));
  CHECK(!fs::exists(dir.path / "ch-old.meta"));
  CHECK(read_chart_file(dir.path, "ch-new", 1 << 20));
  CHECK(remove_chart_files_before(dir.path / "missing", cutoff) == 0);
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
    REQUIRE(store.wait_written(std::chrono::seconds(10)));
    CHECK(store.files_written() == 1);
    CHECK(store.get(id)->owner == "alice");
  }
  chart_store fresh(1 << 20);
  CHECK(!fresh.get(id));
  CHECK(!fresh.load(id, 1 << 20));  // not persistent yet
  std::string error;
  REQUIRE(fresh.persist_to(dir.path / "charts", 30, &error));
  auto back = fresh.load(id, 1 << 20);
  REQUIRE(back);
  CHECK(back->owner == "alice");
  CHECK(*back->bytes == *bytes);
}

TEST_CASE("chart_url carries the user, encoded as URLSearchParams encodes it") {
  CHECK(chart_url_for("ch-1-abc", "alice") == "/charts/ch-1-abc?user_id=alice");
  // ':' and '@' (allowed in user ids) are encoded like the page's /ws?user_id=,
  // so a proxy hashing on the raw $arg_user_id sees one key for both.
  CHECK(chart_url_for("ch-2", "u@x.io:7") == "/charts/ch-2?user_id=u%40x.io%3A7");
  CHECK(chart_url_for("ch-3", "a_b-c.d") == "/charts/ch-3?user_id=a_b-c.d");
}
