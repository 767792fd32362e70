// Chart files on disk (issue #17 item 11), under one directory (DATA_DIR/charts):
//
//   img/<sha256><ext>   one image file per distinct image (content-addressed:
//                       identical charts share it; ext .png, .svg or .bin)
//   <id>.meta           one small sidecar per chart id: owner, content type
//                       and the image's SHA-256, one per line
//
// Charts written by earlier versions ("<id>.png|svg" next to a two-line
// "<id>.meta") are still read, counted and evicted like the others.
//
// chart_disk keeps an index of what is there (built by scan(), bounded) and
// holds the directory under two byte quotas: a total and a per-user one,
// evicting oldest first (the user's oldest for the per-user quota, everyone's
// oldest for the total). An image file goes when no chart id refers to it.
// Every file counts its size rounded up to 4 KiB (what it takes on disk).
// Blocking file I/O and not thread-safe: one thread (the chart store's disk
// thread) owns a chart_disk. read_chart() needs no index and may be called
// from any thread; a chart evicted while being read reads as absent.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>

namespace aw::store {

// True for the ids the chart store makes ("ch-..."): letters, digits, '-', '_', at most 100.
bool is_chart_id(const std::string& id);

struct chart_file {
  std::string owner;
  std::string content_type;
  std::string bytes;
};

// nullopt when the chart is not there, its files are damaged, or the image is
// bigger than max_bytes.
std::optional<chart_file> read_chart(const std::string& dir, const std::string& id,
                                     std::size_t max_bytes);

struct chart_disk_limits {
  std::uint64_t total_bytes = 1024ull << 20;  // CHART_DISK_MB
  std::uint64_t user_bytes = 64ull << 20;     // CHART_DISK_USER_MB
  std::size_t max_entries = 200000;  // directory entries scan() looks at (about 300 B each)
};

struct chart_disk_stats {
  std::uint64_t bytes = 0;        // images plus sidecars, as indexed
  std::int64_t charts = 0;        // chart ids on disk
  std::int64_t images = 0;        // image files (fewer than charts when shared)
  std::int64_t evicted = 0;       // charts removed by the quotas
  std::int64_t expired = 0;       // charts removed by retention
  std::int64_t deduplicated = 0;  // writes that found their image already there
};

class chart_disk {
 public:
  chart_disk(std::string dir, chart_disk_limits limits);

  // Creates the directories and indexes what is there (at most
  // limits.max_entries entries), removing temporaries, sidecars whose image
  // is gone and images no sidecar names. False (and *error) when the
  // directory cannot be made.
  bool scan(std::string* error);

  // Writes the image (unless a file with its hash is there already), then the
  // sidecar, each through a temporary file and a rename, so a reader sees a
  // whole chart or none; then applies the quotas, never evicting this chart.
  // False (and *error) on failure, or when the image alone is over a quota.
  bool write(const std::string& id, const std::string& owner, const std::string& content_type,
             const std::string& bytes, std::int64_t now_ms, std::string* error);

  // Removes the charts written before cutoff_ms (oldest first); returns how many.
  std::int64_t remove_before(std::int64_t cutoff_ms);

  const chart_disk_stats& stats() const { return stats_; }
  std::uint64_t user_bytes(const std::string& owner) const;
  bool has(const std::string& id) const { return charts_.count(id) != 0; }

 private:
  using age = std::pair<std::int64_t, std::uint64_t>;  // (written at, ms; sequence)
  struct entry {
    std::string owner;
    std::string image;         // file name under img/, or "" for the old layout
    std::string legacy_image;  // old layout: "<id><ext>" next to the sidecar
    std::uint64_t image_bytes = 0;
    std::uint64_t meta_bytes = 0;
    age written;
  };
  struct image_use {
    std::uint64_t bytes = 0;
    std::int64_t refs = 0;
  };
  struct user_use {
    std::uint64_t bytes = 0;  // each chart counts its image in full, shared or not
    std::set<age> ages;
  };

  void add(const std::string& id, entry e);
  void remove(std::string id);  // files and index
  void enforce(const std::string& keep_id, const std::string& owner);

  std::string dir_;
  chart_disk_limits limits_;
  std::uint64_t next_seq_ = 0;
  std::unordered_map<std::string, entry> charts_;
  std::unordered_map<std::string, image_use> images_;
  std::unordered_map<std::string, user_use> users_;
  std::map<age, std::string> by_age_;
  chart_disk_stats stats_;
};

}  // namespace aw::store
