// Rendered images for GET /charts/{id}: the hot ones in memory, bounded in
// bytes (least recently used go first), and, once persist_to() was called,
// every one also on disk under DATA_DIR/charts (store/chart_disk.hpp:
// one file per distinct image, a sidecar per chart id, byte quotas), so a
// chart_url keeps working after eviction and after a restart. Thread-safe:
// actors put, the gateway gets; put() only queues the disk write, which a
// thread of the store's own does (it also indexes the directory at start and
// removes charts past the retention, at once and then hourly).
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
#include "store/chart_disk.hpp"

namespace aw::store {
class history_store;
}

namespace aw::actors {

// The file layout and the quotas: store/chart_disk.hpp.
using store::is_chart_id;

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
  // Returns false (and *error) when the directory cannot be made. The disk
  // thread first indexes what is in `dir` (writes queued meanwhile wait).
  bool persist_to(const std::string& dir, int retention_days, std::string* error) {
    return persist_to(dir, retention_days, store::chart_disk_limits{}, error);
  }
  bool persist_to(const std::string& dir, int retention_days, store::chart_disk_limits limits,
                  std::string* error);
  // The same, into a store every gateway reads (history_store::keeps_charts:
  // PostgreSQL), instead of files: any gateway then serves any chart to its
  // owner. Retention is the store's (remove_older_than, with the history).
  void persist_to_store(std::shared_ptr<store::history_store> store);

  // Returns the new chart id ("ch-...").
  std::string put(std::string owner, std::string content_type,
                  std::shared_ptr<const std::string> bytes);
  // Memory only: never blocks on the disk.
  std::optional<stored_chart> get(const std::string& id);
  // From disk or the store (blocking: HTTP query threads only); nullopt when
  // not persisted or absent.
  std::optional<stored_chart> load(const std::string& id, std::size_t max_bytes) const;
  bool persistent() const;

  std::size_t bytes() const;
  std::size_t size() const;
  std::int64_t files_written() const;
  std::int64_t write_failures() const;  // includes writes dropped while the queue was full
  std::int64_t files_removed() const;   // by retention
  // The files' figures as of the disk thread's last step (zeros without files).
  store::chart_disk_stats disk_stats() const;

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
  store::chart_disk_limits limits_;
  std::unique_ptr<store::chart_disk> files_;  // the disk thread's alone, once made
  store::chart_disk_stats disk_stats_;        // its copy for the readers
  bool indexed_ = false;                      // the disk thread has scanned dir_
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
