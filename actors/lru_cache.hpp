// A map bounded by the bytes it holds: its values, its keys (each stored
// twice) and a fixed cost per entry. Putting past the bound drops the least
// recently used entries. Not thread-safe; wrap it when sharing.
#pragma once

#include <cstddef>
#include <list>
#include <string>
#include <unordered_map>
#include <utility>

namespace aw::actors {

// SizeOf is a function object giving the bytes a value holds.
template <class Value, class SizeOf>
class lru_cache {
 public:
  explicit lru_cache(std::size_t max_bytes, SizeOf size_of = SizeOf{})
      : max_bytes_(max_bytes), size_of_(size_of) {}

  void put(const std::string& key, Value value) {
    erase(key);
    if (max_bytes_ == 0) return;
    bytes_ += size_of_(value) + entry_cost(key);
    lru_.push_front(key);
    entries_.emplace(key, entry{std::move(value), lru_.begin()});
    while (bytes_ > max_bytes_ && lru_.size() > 1) erase(lru_.back());
  }

  // Null when absent; a hit becomes the most recently used.
  const Value* get(const std::string& key) {
    auto it = entries_.find(key);
    if (it == entries_.end()) return nullptr;
    lru_.splice(lru_.begin(), lru_, it->second.pos);
    return &it->second.value;
  }

  void erase(const std::string& key) {
    auto it = entries_.find(key);
    if (it == entries_.end()) return;
    bytes_ -= size_of_(it->second.value) + entry_cost(key);
    lru_.erase(it->second.pos);
    entries_.erase(it);
  }

  std::size_t bytes() const { return bytes_; }
  std::size_t size() const { return entries_.size(); }

 private:
  // The key in the list and in the map, and their nodes.
  static std::size_t entry_cost(const std::string& key) { return 2 * key.size() + 128; }

  struct entry {
    Value value;
    std::list<std::string>::iterator pos;
  };
  std::size_t max_bytes_;
  SizeOf size_of_;
  std::size_t bytes_ = 0;
  std::list<std::string> lru_;  // front: most recently used
  std::unordered_map<std::string, entry> entries_;
};

}  // namespace aw::actors
