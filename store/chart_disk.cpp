#include "store/chart_disk.hpp"

#include <openssl/sha.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <system_error>
#include <vector>

namespace aw::store {
namespace fs = std::filesystem;
namespace {

constexpr std::size_t max_meta_bytes = 1024;

// What a file costs on disk: its size rounded up to 4 KiB blocks (a 100-byte
// sidecar still takes a block; counting bytes alone would let 1 GB of quota
// fill several).
std::uint64_t on_disk(std::uint64_t size) {
  return (size + 4095) / 4096 * 4096;
}

const char* extension_for(const std::string& content_type) {
  if (content_type == "image/png") return ".png";
  if (content_type == "image/svg+xml") return ".svg";
  return ".bin";
}

std::string sha256_hex(const std::string& bytes) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), digest);
  static const char hex[] = "0123456789abcdef";
  std::string out(2 * SHA256_DIGEST_LENGTH, '0');
  for (int i = 0; i < SHA256_DIGEST_LENGTH; ++i) {
    out[2 * i] = hex[digest[i] >> 4];
    out[2 * i + 1] = hex[digest[i] & 0xf];
  }
  return out;
}

bool is_sha256_hex(const std::string& s) {
  if (s.size() != 2 * SHA256_DIGEST_LENGTH) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

bool is_line_text(const std::string& s) {
  for (char c : s)
    if (c == '\n' || c == '\r' || c == '\0') return false;
  return !s.empty() && s.size() <= 256;
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

// A sidecar: "owner\ncontent_type\n" (old layout) or "owner\ncontent_type\nsha256\n".
struct meta {
  std::string owner;
  std::string content_type;
  std::string hash;  // "" for the old layout
};

std::optional<meta> parse_meta(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size() && lines.size() < 4) {
    auto nl = text.find('\n', start);
    if (nl == std::string::npos) return std::nullopt;  // every line ends with '\n'
    lines.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  if (start != text.size() || lines.size() < 2 || lines.size() > 3) return std::nullopt;
  meta m{lines[0], lines[1], lines.size() == 3 ? lines[2] : std::string()};
  if (!is_line_text(m.owner) || !is_line_text(m.content_type)) return std::nullopt;
  if (lines.size() == 3 && !is_sha256_hex(m.hash)) return std::nullopt;
  return m;
}

std::string image_name(const meta& m) {
  return m.hash + extension_for(m.content_type);
}

std::int64_t to_system_ms(fs::file_time_type t) {
  // file_time_type's clock is not system_clock in C++17: convert through "now" on both clocks.
  auto since = fs::file_time_type::clock::now() - t;
  auto sys = std::chrono::system_clock::now() -
             std::chrono::duration_cast<std::chrono::system_clock::duration>(since);
  return std::chrono::duration_cast<std::chrono::milliseconds>(sys.time_since_epoch()).count();
}

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
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

std::optional<chart_file> read_chart(const std::string& dir, const std::string& id,
                                     std::size_t max_bytes) {
  if (!is_chart_id(id)) return std::nullopt;
  auto text = read_whole(fs::path(dir) / (id + ".meta"), max_meta_bytes);
  if (!text) return std::nullopt;
  auto m = parse_meta(*text);
  if (!m) return std::nullopt;
  fs::path image = m->hash.empty() ? fs::path(dir) / (id + extension_for(m->content_type))
                                   : fs::path(dir) / "img" / image_name(*m);
  auto bytes = read_whole(image, max_bytes);
  if (!bytes) return std::nullopt;
  return chart_file{std::move(m->owner), std::move(m->content_type), std::move(*bytes)};
}

chart_disk::chart_disk(std::string dir, chart_disk_limits limits)
    : dir_(std::move(dir)), limits_(limits) {}

bool chart_disk::scan(std::string* error) {
  std::error_code ec;
  fs::create_directories(fs::path(dir_) / "img", ec);
  if (ec) {
    *error = "cannot create " + dir_ + "/img: " + ec.message();
    return false;
  }
  struct found {
    std::string id;
    entry e;
  };
  std::vector<found> seen;
  bool truncated = false;
  std::size_t looked = 0;
  fs::directory_iterator it(dir_, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    if (++looked > limits_.max_entries) {
      truncated = true;
      break;
    }
    const auto& path = it->path();
    std::string name = path.filename().string();
    std::error_code fe;
    if (!it->is_regular_file(fe) || fe) continue;
    if (ends_with(name, ".tmp")) {
      fs::remove(path, fe);
      continue;
    }
    if (!ends_with(name, ".meta")) continue;
    std::string id = name.substr(0, name.size() - 5);
    auto text = read_whole(path, max_meta_bytes);
    auto m = text ? parse_meta(*text) : std::nullopt;
    if (!is_chart_id(id) || !m) continue;  // not ours: left alone
    entry e;
    e.owner = m->owner;
    fs::path image;
    if (m->hash.empty()) {
      e.legacy_image = id + extension_for(m->content_type);
      image = fs::path(dir_) / e.legacy_image;
    } else {
      e.image = image_name(*m);
      image = fs::path(dir_) / "img" / e.image;
    }
    auto image_size = fs::file_size(image, fe);
    if (fe) {  // a sidecar without its image cannot be served: remove it
      fs::remove(path, fe);
      continue;
    }
    e.image_bytes = on_disk(image_size);
    e.meta_bytes = on_disk(text->size());
    auto written = it->last_write_time(fe);
    e.written = {fe ? 0 : to_system_ms(written), 0};
    seen.push_back(found{std::move(id), std::move(e)});
  }
  std::sort(seen.begin(), seen.end(), [](const found& a, const found& b) {
    return a.e.written.first != b.e.written.first ? a.e.written.first < b.e.written.first
                                                  : a.id < b.id;
  });
  for (auto& f : seen) {
    f.e.written.second = next_seq_++;
    add(f.id, std::move(f.e));
  }
  // Images no sidecar names (a crash between the two writes) and temporaries;
  // only when every sidecar was seen.
  if (!truncated) {
    std::size_t img_looked = 0;
    fs::directory_iterator img(fs::path(dir_) / "img", ec);
    for (; !ec && img != end && img_looked < limits_.max_entries; img.increment(ec), ++img_looked) {
      std::string name = img->path().filename().string();
      if (!images_.count(name)) {
        std::error_code fe;
        fs::remove(img->path(), fe);
      }
    }
  }
  // Over the quotas already (they were lowered, or files came from elsewhere).
  while (stats_.bytes > limits_.total_bytes && !by_age_.empty()) {
    remove(by_age_.begin()->second);
    ++stats_.evicted;
  }
  std::vector<std::string> owners;
  for (const auto& u : users_) owners.push_back(u.first);
  for (const auto& owner : owners) enforce("", owner);
  if (truncated)
    *error = "more than " + std::to_string(limits_.max_entries) + " entries in " + dir_ +
             ": the rest are not counted against the quotas";
  return true;
}

void chart_disk::add(const std::string& id, entry e) {
  auto& user = users_[e.owner];
  user.bytes += e.image_bytes + e.meta_bytes;
  user.ages.insert(e.written);
  stats_.bytes += e.meta_bytes;
  if (!e.image.empty()) {
    auto& img = images_[e.image];
    if (img.refs++ == 0) {
      img.bytes = e.image_bytes;
      stats_.bytes += e.image_bytes;
      ++stats_.images;
    }
  } else {
    stats_.bytes += e.image_bytes;
    ++stats_.images;
  }
  ++stats_.charts;
  by_age_.emplace(e.written, id);
  charts_.emplace(id, std::move(e));
}

void chart_disk::remove(std::string id) {  // a copy: callers pass names the index owns
  auto found = charts_.find(id);
  if (found == charts_.end()) return;
  const entry& e = found->second;
  std::error_code ec;
  // The sidecar first: a reader never finds a sidecar whose image is gone for good.
  fs::remove(fs::path(dir_) / (id + ".meta"), ec);
  stats_.bytes -= e.meta_bytes;
  if (!e.image.empty()) {
    auto img = images_.find(e.image);
    if (img != images_.end() && --img->second.refs == 0) {
      fs::remove(fs::path(dir_) / "img" / e.image, ec);
      stats_.bytes -= img->second.bytes;
      --stats_.images;
      images_.erase(img);
    }
  } else {
    fs::remove(fs::path(dir_) / e.legacy_image, ec);
    stats_.bytes -= e.image_bytes;
    --stats_.images;
  }
  auto user = users_.find(e.owner);
  if (user != users_.end()) {
    user->second.bytes -= e.image_bytes + e.meta_bytes;
    user->second.ages.erase(e.written);
    if (user->second.ages.empty()) users_.erase(user);
  }
  by_age_.erase(e.written);
  --stats_.charts;
  charts_.erase(found);
}

void chart_disk::enforce(const std::string& keep_id, const std::string& owner) {
  auto keep = charts_.find(keep_id);
  auto is_kept = [&](const age& a) { return keep != charts_.end() && keep->second.written == a; };
  for (;;) {
    auto user = users_.find(owner);
    if (user == users_.end() || user->second.bytes <= limits_.user_bytes) break;
    auto oldest = user->second.ages.begin();
    if (is_kept(*oldest)) ++oldest;
    if (oldest == user->second.ages.end()) break;  // only this chart is left
    remove(by_age_.at(*oldest));
    ++stats_.evicted;
  }
  while (stats_.bytes > limits_.total_bytes) {
    auto oldest = by_age_.begin();
    if (oldest != by_age_.end() && is_kept(oldest->first)) ++oldest;
    if (oldest == by_age_.end()) break;
    remove(oldest->second);
    ++stats_.evicted;
  }
}

bool chart_disk::write(const std::string& id, const std::string& owner,
                       const std::string& content_type, const std::string& bytes,
                       std::int64_t now_ms, std::string* error) {
  if (!is_chart_id(id) || !is_line_text(owner) || !is_line_text(content_type)) {
    *error = "bad chart id, owner or content type";
    return false;
  }
  meta m{owner, content_type, sha256_hex(bytes)};
  std::string text = m.owner + "\n" + m.content_type + "\n" + m.hash + "\n";
  std::uint64_t charge = on_disk(bytes.size()) + on_disk(text.size());
  if (charge > limits_.user_bytes || charge > limits_.total_bytes) {
    *error = "chart of " + std::to_string(bytes.size()) + " bytes is over the disk quota";
    return false;
  }
  if (charts_.count(id)) remove(id);  // the same id again: the new chart replaces it
  std::string name = image_name(m);
  bool shared = images_.count(name) != 0;
  if (shared) {
    ++stats_.deduplicated;
  } else if (!write_whole(fs::path(dir_) / "img" / name, bytes, error)) {
    return false;
  }
  // The sidecar goes last: a reader finds the image complete whenever it finds the sidecar.
  if (!write_whole(fs::path(dir_) / (id + ".meta"), text, error)) {
    std::error_code ec;
    if (!shared) fs::remove(fs::path(dir_) / "img" / name, ec);
    return false;
  }
  entry e;
  e.owner = owner;
  e.image = name;
  e.image_bytes = on_disk(bytes.size());
  e.meta_bytes = on_disk(text.size());
  // Never older than what is indexed (files with a later mtime, a clock set
  // back): a new chart is the newest, so the quotas evict others first.
  if (!by_age_.empty()) now_ms = std::max(now_ms, by_age_.rbegin()->first.first);
  e.written = {now_ms, next_seq_++};
  add(id, std::move(e));
  enforce(id, owner);
  return true;
}

std::int64_t chart_disk::remove_before(std::int64_t cutoff_ms) {
  std::int64_t removed = 0;
  while (!by_age_.empty() && by_age_.begin()->first.first < cutoff_ms) {
    remove(by_age_.begin()->second);
    ++removed;
  }
  stats_.expired += removed;
  return removed;
}

std::uint64_t chart_disk::user_bytes(const std::string& owner) const {
  auto user = users_.find(owner);
  return user == users_.end() ? 0 : user->second.bytes;
}

}  // namespace aw::store
