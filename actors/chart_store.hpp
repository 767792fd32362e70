// Rendered images kept in memory for GET /charts/{id}, bounded in bytes
// (least recently used go first). Thread-safe: actors put, the gateway gets;
// the lock only guards a map lookup and a shared_ptr copy.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "actors/lru_cache.hpp"

namespace aw::actors {

struct stored_chart {
  std::string owner;  // user_id: with auth on, only this user may fetch it
  std::string content_type;
  std::shared_ptr<const std::string> bytes;
};

class chart_store {
 public:
  explicit chart_store(std::size_t max_bytes) : charts_(max_bytes) {}

  // Returns the new chart id ("ch-...").
  std::string put(std::string owner, std::string content_type,
                  std::shared_ptr<const std::string> bytes);
  std::optional<stored_chart> get(const std::string& id);

  std::size_t bytes() const;
  std::size_t size() const;

 private:
  struct size_of {
    std::size_t operator()(const stored_chart& c) const { return c.bytes->size(); }
  };
  mutable std::mutex mutex_;
  lru_cache<stored_chart, size_of> charts_;
};

}  // namespace aw::actors
