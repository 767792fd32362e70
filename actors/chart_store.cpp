#include "actors/chart_store.hpp"

#include "actors/ids.hpp"

namespace aw::actors {

std::string chart_store::put(std::string content_type, std::shared_ptr<const std::string> bytes) {
  // The random suffix makes chart URLs unguessable.
  std::string id = make_id("ch") + random_tag("");
  std::lock_guard<std::mutex> guard(mutex_);
  std::size_t size = bytes->size();
  lru_.push_front(id);
  charts_.emplace(id, entry{stored_chart{std::move(content_type), std::move(bytes)}, lru_.begin()});
  bytes_ += size;
  while (bytes_ > max_bytes_ && lru_.size() > 1) {
    auto it = charts_.find(lru_.back());
    bytes_ -= it->second.chart.bytes->size();
    charts_.erase(it);
    lru_.pop_back();
  }
  return id;
}

std::optional<stored_chart> chart_store::get(const std::string& id) {
  std::lock_guard<std::mutex> guard(mutex_);
  auto it = charts_.find(id);
  if (it == charts_.end()) return std::nullopt;
  lru_.splice(lru_.begin(), lru_, it->second.lru_pos);
  return it->second.chart;
}

std::size_t chart_store::bytes() const {
  std::lock_guard<std::mutex> guard(mutex_);
  return bytes_;
}

std::size_t chart_store::size() const {
  std::lock_guard<std::mutex> guard(mutex_);
  return charts_.size();
}

}  // namespace aw::actors
