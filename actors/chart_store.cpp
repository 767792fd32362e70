#include "actors/chart_store.hpp"

#include <filesystem>
#include <system_error>

#include "actors/ids.hpp"
#include "core/log.hpp"
#include "store/history_store.hpp"

namespace aw::actors {
namespace fs = std::filesystem;
std::string chart_url_for(const std::string& chart_id, const std::string& user_id) {
  static const char hex[] = "0123456789ABCDEF";
  std::string url = "/charts/" + chart_id + "?user_id=";
  for (unsigned char c : user_id) {
    bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '-' || c == '_' || c == '.' || c == '*';
    if (plain) {
      url += static_cast<char>(c);
    } else {
      url += '%';
      url += hex[c >> 4];
      url += hex[c & 15];
    }
  }
  return url;
}

namespace {

// Past this many bytes waiting for the disk, new charts stay in memory only
// (and are logged): a stuck disk must not grow the process without bound.
constexpr std::size_t max_queued_bytes = 64u << 20;
constexpr auto retention_interval = std::chrono::hours(1);

}  // namespace

chart_store::~chart_store() {
  {
    std::lock_guard<std::mutex> guard(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  if (disk_.joinable()) disk_.join();
}

bool chart_store::persist_to(const std::string& dir, int retention_days,
                             store::chart_disk_limits limits, std::string* error) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    *error = "cannot create " + dir + ": " + ec.message();
    return false;
  }
  std::lock_guard<std::mutex> guard(mutex_);
  if (disk_.joinable()) return true;
  dir_ = dir;
  retention_days_ = retention_days;
  limits_ = limits;
  disk_ = std::thread([this] { disk_loop(); });
  return true;
}

void chart_store::persist_to_store(std::shared_ptr<store::history_store> store) {
  std::lock_guard<std::mutex> guard(mutex_);
  if (disk_.joinable()) return;
  store_ = std::move(store);
  disk_ = std::thread([this] { disk_loop(); });
}

std::string chart_store::put(std::string owner, std::string content_type,
                             std::shared_ptr<const std::string> bytes) {
  // 128 bits from the OS's generator: chart URLs cannot be guessed.
  std::string id = "ch-" + random_hex(16);
  std::lock_guard<std::mutex> guard(mutex_);
  stored_chart chart{std::move(owner), std::move(content_type), std::move(bytes)};
  if (disk_.joinable() && !stopping_) {
    if (queued_bytes_ + chart.bytes->size() <= max_queued_bytes) {
      queued_bytes_ += chart.bytes->size();
      writes_.push_back(pending_write{id, chart});
      changed_.notify_all();
    } else {
      ++write_failures_;
      log::warn("charts", "disk write queue full; chart kept in memory only", {{"id", id}});
    }
  }
  charts_.put(id, std::move(chart));
  return id;
}

std::optional<stored_chart> chart_store::get(const std::string& id) {
  std::lock_guard<std::mutex> guard(mutex_);
  if (const auto* chart = charts_.get(id)) return *chart;
  for (const auto& w : writes_)  // evicted before its file was written
    if (w.id == id) return w.chart;
  return std::nullopt;
}

std::optional<stored_chart> chart_store::load(const std::string& id, std::size_t max_bytes) const {
  std::string dir;
  std::shared_ptr<store::history_store> store;
  {
    std::lock_guard<std::mutex> guard(mutex_);
    if (!disk_.joinable()) return std::nullopt;
    dir = dir_;
    store = store_;
  }
  if (store) {
    if (!is_chart_id(id)) return std::nullopt;
    try {
      auto row = store->get_chart(id, max_bytes);
      if (!row) return std::nullopt;
      return stored_chart{std::move(row->owner), std::move(row->content_type),
                          std::make_shared<const std::string>(std::move(row->bytes))};
    } catch (const store::store_error& e) {
      log::warn("charts", "chart not read from the store", {{"id", id}, {"error", e.what()}});
      return std::nullopt;
    }
  }
  auto file = store::read_chart(dir, id, max_bytes);
  if (!file) return std::nullopt;
  return stored_chart{std::move(file->owner), std::move(file->content_type),
                      std::make_shared<const std::string>(std::move(file->bytes))};
}

bool chart_store::persistent() const {
  std::lock_guard<std::mutex> guard(mutex_);
  return disk_.joinable();
}

namespace {

std::int64_t system_ms(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

}  // namespace

void chart_store::disk_loop() {
  if (!store_) {
    // The index, once: bounded by limits_.max_entries; writes queued meanwhile wait.
    auto files = std::make_unique<store::chart_disk>(dir_, limits_);
    std::string error;
    if (!files->scan(&error))
      log::error("charts", "chart directory not usable", {{"dir", dir_}, {"error", error}});
    else if (!error.empty())
      log::warn("charts", "chart directory only partly indexed", {{"error", error}});
    const auto& st = files->stats();
    log::info("charts", "chart files indexed",
              {{"charts", std::to_string(st.charts)},
               {"images", std::to_string(st.images)},
               {"bytes", std::to_string(st.bytes)},
               {"evicted", std::to_string(st.evicted)}});
    std::lock_guard<std::mutex> guard(mutex_);
    files_ = std::move(files);
    disk_stats_ = files_->stats();
    indexed_ = true;
    changed_.notify_all();
  }
  auto next_retention = std::chrono::steady_clock::now();  // once at start
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    changed_.wait_until(lock, next_retention, [this] { return stopping_ || !writes_.empty(); });
    if (!writes_.empty()) {
      pending_write w = writes_.front();  // a copy: get() may still look at it
      writing_ = true;
      lock.unlock();
      std::string error;
      bool ok = false;
      if (store_) {
        try {
          store_->put_chart(w.id, w.chart.owner, w.chart.content_type, *w.chart.bytes,
                            std::chrono::duration_cast<std::chrono::milliseconds>(
                                std::chrono::system_clock::now().time_since_epoch())
                                .count());
          ok = true;
        } catch (const store::store_error& e) {
          error = e.what();
        }
      } else {
        ok = files_->write(w.id, w.chart.owner, w.chart.content_type, *w.chart.bytes,
                           system_ms(std::chrono::system_clock::now()), &error);
      }
      if (!ok) log::warn("charts", "chart not persisted", {{"id", w.id}, {"error", error}});
      lock.lock();
      if (files_) disk_stats_ = files_->stats();
      // Popped only now, so that get() finds an evicted chart until its file exists.
      writes_.pop_front();
      queued_bytes_ -= w.chart.bytes->size();
      writing_ = false;
      ++(ok ? files_written_ : write_failures_);
      changed_.notify_all();
      continue;
    }
    if (stopping_) return;
    if (std::chrono::steady_clock::now() >= next_retention) {
      next_retention = std::chrono::steady_clock::now() + retention_interval;
      if (retention_days_ <= 0 || store_) continue;  // a store removes its own
      lock.unlock();
      auto cutoff = std::chrono::system_clock::now() - std::chrono::hours(24) * retention_days_;
      auto removed = files_->remove_before(system_ms(cutoff));
      if (removed > 0)
        log::info("charts", "old chart files removed",
                  {{"removed", std::to_string(removed)},
                   {"retention_days", std::to_string(retention_days_)}});
      lock.lock();
      files_removed_ += removed;
      disk_stats_ = files_->stats();
    }
  }
}

std::size_t chart_store::bytes() const {
  std::lock_guard<std::mutex> guard(mutex_);
  return charts_.bytes();
}

std::size_t chart_store::size() const {
  std::lock_guard<std::mutex> guard(mutex_);
  return charts_.size();
}

std::int64_t chart_store::files_written() const {
  std::lock_guard<std::mutex> guard(mutex_);
  return files_written_;
}

std::int64_t chart_store::write_failures() const {
  std::lock_guard<std::mutex> guard(mutex_);
  return write_failures_;
}

std::int64_t chart_store::files_removed() const {
  std::lock_guard<std::mutex> guard(mutex_);
  return files_removed_;
}

store::chart_disk_stats chart_store::disk_stats() const {
  std::lock_guard<std::mutex> guard(mutex_);
  return disk_stats_;
}

bool chart_store::wait_written(std::chrono::milliseconds timeout) const {
  std::unique_lock<std::mutex> lock(mutex_);
  return changed_.wait_for(lock, timeout, [this] {
    return writes_.empty() && !writing_ && (indexed_ || store_ || !disk_.joinable());
  });
}

}  // namespace aw::actors
