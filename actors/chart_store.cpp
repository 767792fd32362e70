#include "actors/chart_store.hpp"

#include <filesystem>
#include <fstream>
#include <system_error>

#include "actors/ids.hpp"
#include "core/log.hpp"
#include "store/history_store.hpp"

namespace aw::actors {
namespace fs = std::filesystem;
namespace {

const char* extension_for(const std::string& content_type) {
  if (content_type == "image/png") return ".png";
  if (content_type == "image/svg+xml") return ".svg";
  return ".bin";
}

bool write_whole(const fs::path& path, const std::string& bytes, std::string* error) {
  fs::path tmp = path;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.flush();
    if (!out) {
      *error = "cannot write " + tmp.string();
      std::error_code ignored;
      fs::remove(tmp, ignored);
      return false;
    }
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) {
    *error = "cannot rename " + tmp.string() + ": " + ec.message();
    fs::remove(tmp, ec);
    return false;
  }
  return true;
}

std::optional<std::string> read_whole(const fs::path& path, std::size_t max_bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  in.seekg(0, std::ios::end);
  auto size = in.tellg();
  if (size < 0 || static_cast<std::uint64_t>(size) > max_bytes) return std::nullopt;
  in.seekg(0, std::ios::beg);
  std::string bytes(static_cast<std::size_t>(size), '\0');
  in.read(bytes.data(), size);
  if (!in) return std::nullopt;
  return bytes;
}

bool is_owner_text(const std::string& s) {
  for (char c : s)
    if (c == '\n' || c == '\r' || c == '\0') return false;
  return !s.empty() && s.size() <= 256;
}

}  // namespace

bool is_chart_id(const std::string& id) {
  if (id.empty() || id.size() > 100) return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

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

bool write_chart_file(const std::string& dir, const std::string& id, const std::string& owner,
                      const std::string& content_type, const std::string& bytes,
                      std::string* error) {
  if (!is_chart_id(id) || !is_owner_text(owner) || !is_owner_text(content_type)) {
    *error = "bad chart id, owner or content type";
    return false;
  }
  fs::path base = fs::path(dir) / id;
  fs::path image = base;
  image += extension_for(content_type);
  fs::path meta = base;
  meta += ".meta";
  // The sidecar goes last: a reader finds the image complete whenever it finds the sidecar.
  return write_whole(image, bytes, error) &&
         write_whole(meta, owner + "\n" + content_type + "\n", error);
}

std::optional<chart_file> read_chart_file(const std::string& dir, const std::string& id,
                                          std::size_t max_bytes) {
  if (!is_chart_id(id)) return std::nullopt;
  fs::path base = fs::path(dir) / id;
  fs::path meta_path = base;
  meta_path += ".meta";
  auto meta = read_whole(meta_path, 1024);
  if (!meta) return std::nullopt;
  auto first = meta->find('\n');
  auto second = first == std::string::npos ? first : meta->find('\n', first + 1);
  if (second == std::string::npos) return std::nullopt;
  chart_file out;
  out.owner = meta->substr(0, first);
  out.content_type = meta->substr(first + 1, second - first - 1);
  if (!is_owner_text(out.owner) || !is_owner_text(out.content_type)) return std::nullopt;
  fs::path image = base;
  image += extension_for(out.content_type);
  auto bytes = read_whole(image, max_bytes);
  if (!bytes) return std::nullopt;
  out.bytes = std::move(*bytes);
  return out;
}

std::int64_t remove_chart_files_before(const std::string& dir,
                                       std::chrono::system_clock::time_point cutoff,
                                       std::size_t max_entries) {
  std::error_code ec;
  fs::directory_iterator it(dir, ec), end;
  if (ec) return 0;
  // file_time_type's clock is not system_clock in C++17: compare through "now" on both clocks.
  auto file_cutoff =
      fs::file_time_type::clock::now() - std::chrono::duration_cast<fs::file_time_type::duration>(
                                             std::chrono::system_clock::now() - cutoff);
  std::int64_t removed = 0;
  for (std::size_t seen = 0; it != end && seen < max_entries; it.increment(ec), ++seen) {
    if (ec) break;
    const auto& entry = *it;
    std::error_code fe;
    if (!entry.is_regular_file(fe) || fe) continue;
    auto written = entry.last_write_time(fe);
    if (fe || written >= file_cutoff) continue;
    if (fs::remove(entry.path(), fe) && entry.path().extension() == ".meta") ++removed;
  }
  return removed;
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

bool chart_store::persist_to(const std::string& dir, int retention_days, std::string* error) {
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
  auto file = read_chart_file(dir, id, max_bytes);
  if (!file) return std::nullopt;
  return stored_chart{std::move(file->owner), std::move(file->content_type),
                      std::make_shared<const std::string>(std::move(file->bytes))};
}

bool chart_store::persistent() const {
  std::lock_guard<std::mutex> guard(mutex_);
  return disk_.joinable();
}

void chart_store::disk_loop() {
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
        ok = write_chart_file(dir_, w.id, w.chart.owner, w.chart.content_type, *w.chart.bytes,
                              &error);
      }
      if (!ok) log::warn("charts", "chart not persisted", {{"id", w.id}, {"error", error}});
      lock.lock();
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
      auto removed = remove_chart_files_before(dir_, cutoff);
      if (removed > 0)
        log::info("charts", "old chart files removed",
                  {{"removed", std::to_string(removed)},
                   {"retention_days", std::to_string(retention_days_)}});
      lock.lock();
      files_removed_ += removed;
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

bool chart_store::wait_written(std::chrono::milliseconds timeout) const {
  std::unique_lock<std::mutex> lock(mutex_);
  return changed_.wait_for(lock, timeout, [this] { return writes_.empty() && !writing_; });
}

}  // namespace aw::actors
