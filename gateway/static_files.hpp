// The chat page (web/, PROTOCOL.md section 8 "GET /"), compiled into the
// binary at build time by static_files.cmake, so the one binary serves it from
// any working directory. Pure lookups: no disk, safe on the Asio thread.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace aw::gateway {

struct static_response {
  int status = 200;  // 200, or 304 when If-None-Match names the current ETag
  std::string content_type;
  std::vector<std::pair<std::string, std::string>> headers;  // caching and security headers
  std::string_view body;                                     // empty for 304
};

// "/" (index.html) and "/<name>" for each file under web/; nullopt for any
// other path. Lookup is by exact name in the embedded table: no file system.
std::optional<static_response> static_file(const std::string& path,
                                           const std::string& if_none_match);

std::string_view content_type_for(std::string_view name);

// The policy the page is served with: only its own scripts and styles, images
// from itself or data:/blob: URLs, network only to its own origin (ws: too).
const char* content_security_policy();

// Answers the request on `con` (a websocketpp connection) when `path` is one
// of the page's files; false otherwise, leaving `con` untouched.
template <class Connection>
bool serve_static_file(Connection& con, const std::string& path) {
  auto page = static_file(path, con.get_request_header("If-None-Match"));
  if (!page) return false;
  for (const auto& [name, value] : page->headers) con.replace_header(name, value);
  con.replace_header("Content-Type", page->content_type);
  con.set_status(static_cast<decltype(con.get_response_code())>(page->status));
  con.set_body(std::string(page->body));
  return true;
}

namespace detail {
// Defined in the generated web_files.cpp.
struct embedded_file {
  const char* name;  // relative to web/, '/'-separated
  const unsigned char* data;
  std::size_t size;
  const char* etag;  // quoted SHA-1 of the bytes
};
extern const embedded_file embedded_files[];
extern const std::size_t embedded_file_count;
}  // namespace detail

}  // namespace aw::gateway
