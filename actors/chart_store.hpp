// Rendered images for GET /charts/{id}: the hot ones in memory, bounded in
// bytes (least recently used go first), and, once persist_to() was called,
// every one also on disk under DATA_DIR/charts (the files below), so a
// chart_url keeps working after eviction and after a restart. Thread-safe:
// actors put, the gateway gets; put() only queues the disk write, which a
// thread of the store's own does (it also removes files past the retention,
// at once and then hourly).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "actors/lru_cache.hpp"

namespace aw::store {
class history_store;
}

namespace aw::actors {

// ---- Chart files on disk, under DATA_DIR/charts: one image file per chart
// ("<id>.png" or "<id>.svg") and a small sidecar ("<id>.meta": owner and
// content type), so that auth and Content-Type survive a restart. Blocking
// file I/O: only the store's own thread and the gateway's HTTP threads call these.
struct chart_file {
  std::string owner;
  std::string content_type;
  std::string bytes;
};

// Writes the image, then the sidecar, each through a temporary file and a
// rename, so a reader sees a whole chart or none. False (and *error) on failure.
bool write_chart_file(const std::string& dir, const std::string& id, const std::string& owner,
                      const std::string& content_type, const std::string& bytes,
                      std::string* error);

// nullopt when the chart is not there (or its files are damaged, or bigger than max_bytes).
std::optional<chart_file> read_chart_file(const std::string& dir, const std::string& id,
                                          std::size_t max_bytes);

// Removes chart files (and stray temporaries) last written before `cutoff`.
// Returns how many charts went; bounded by `max_entries` looked at per call.
std::int64_t remove_chart_files_before(const std::string& dir,
                                       std::chrono::system_clock::time_point cutoff,
                                       std::size_t max_entries = 1000000);

// True for the ids chart_store makes ("ch-..."): letters, digits, '-', '_', at most 100.
bool is_chart_id(const std::string& id);

// The chart_url handed to clients: "/charts/{id}?user_id={user}", the user
// percent-encoded as URLSearchParams does (so a proxy hashing on
// $arg_user_id sees the same key as for the user's /ws?user_id=), and any
// gateway route (nginx, an Ingress) can send it to the user's gateway.
std::string chart_url_for(const std::string& chart_id, const std::string& user_id);

// ---- The store

struct stored_chart {
  std::string owner;  // user_id: with auth on, only this user may fetch it
  std::string content_type;
  std::shared_ptr<const std::string> bytes;
};

class chart_store {
 public:
  explicit chart_store(std::size_t max_bytes) : charts_(max_bytes) {}
  ~chart_store();  // writes what is queued, then stops the disk thread
  chart_store(const chart_store&) = delete;
  chart_store& operator=(const chart_store&) = delete;

  // Starts the disk thread (once; later calls do nothing). Creates `dir`.
  // Returns false (and *error) when the directory cannot be made.
  bool persist_to(const std::string& dir, int retention_days, std::string* error);
  // The same, into a store every gateway reads (history_store::keeps_charts:
  // PostgreSQL), instead of files: any gateway then serves any chart to its
  // owner. Retention is the store's (remove_older_than, with the history).
  void persist_to_store(std::shared_ptr<store::history_store> store);

  // Returns the new chart id ("ch-...").
  std::string put(std::string owner, std::string content_type,
                  std::shared_ptr<const std::string> bytes);
  // Memory only: never blocks on the disk.
  std::optional<stored_chart> get(const std::string& id);
  // From disk or the store (blocking: the gateway's HTTP threads only); nullopt when
  // not persisted or absent.
  std::optional<stored_chart> load(const std::string& id, std::size_t max_bytes) const;
  bool persistent() const;

  std::size_t bytes() const;
  std::size_t size() const;
  std::int64_t files_written() const;
  std::int64_t write_failures() const;  // includes writes dropped while the queue was full
  std::int64_t files_removed() const;   // by retention

  // Tests: true once every queued write is done (or the time is up).
  bool wait_written(std::chrono::milliseconds timeout) const;

 private:
  struct pending_write {
    std::string id;
    stored_chart chart;
  };
  void disk_loop();

  struct size_of {
    std::size_t operator()(const stored_chart& c) const { return c.bytes->size(); }
  };
  mutable std::mutex mutex_;
  lru_cache<stored_chart, size_of> charts_;

  // ---- disk: guarded by mutex_
  std::string dir_;
  std::shared_ptr<store::history_store> store_;  // set: charts go there, not to dir_
  int retention_days_ = 0;
  std::deque<pending_write> writes_;
  std::size_t queued_bytes_ = 0;
  bool writing_ = false;  // the disk thread holds a write outside the lock
  bool stopping_ = false;
  std::int64_t files_written_ = 0;
  std::int64_t write_failures_ = 0;
  std::int64_t files_removed_ = 0;
  mutable std::condition_variable changed_;
  std::thread disk_;
};

}  // namespace aw::actors
