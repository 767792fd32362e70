// Rendered images kept in memory for GET /charts/{id}, bounded in bytes
// (least recently used go first). Thread-safe: actors put, the gateway gets;
// the lock only guards a map lookup and a shared_ptr copy.
#pragma once

#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace aw::actors {

struct stored_chart {
  std::string content_type;
  std::shared_ptr<const std::string> bytes;
};

class chart_store {
 public:
  explicit chart_store(std::size_t max_bytes) : max_bytes_(max_bytes) {}

  // Returns the new chart id ("ch-...").
  std::string put(std::string content_type, std::shared_ptr<const std::string> bytes);
  std::optional<stored_chart> get(const std::string& id);

  std::size_t bytes() const;
  std::size_t size() const;

 private:
  struct entry {
    stored_chart chart;
    std::list<std::string>::iterator lru_pos;
  };
  mutable std::mutex mutex_;
  std::size_t max_bytes_;
  std::size_t bytes_ = 0;
  std::list<std::string> lru_;  // front: most recently used
  std::unordered_map<std::string, entry> charts_;
};

}  // namespace aw::actors
