#include "actors/chart_store.hpp"

#include "actors/ids.hpp"

namespace aw::actors {

std::string chart_store::put(std::string owner, std::string content_type,
                             std::shared_ptr<const std::string> bytes) {
  // The random suffix makes chart URLs unguessable.
  std::string id = make_id("ch") + random_tag("");
  std::lock_guard<std::mutex> guard(mutex_);
  charts_.put(id, stored_chart{std::move(owner), std::move(content_type), std::move(bytes)});
  return id;
}

std::optional<stored_chart> chart_store::get(const std::string& id) {
  std::lock_guard<std::mutex> guard(mutex_);
  if (const auto* chart = charts_.get(id)) return *chart;
  return std::nullopt;
}

std::size_t chart_store::bytes() const {
  std::lock_guard<std::mutex> guard(mutex_);
  return charts_.bytes();
}

std::size_t chart_store::size() const {
  std::lock_guard<std::mutex> guard(mutex_);
  return charts_.size();
}

}  // namespace aw::actors
