#include "gateway/static_files.hpp"

namespace aw::gateway {

std::string_view content_type_for(std::string_view name) {
  auto ends_with = [&](std::string_view ext) {
    return name.size() >= ext.size() && name.substr(name.size() - ext.size()) == ext;
  };
  if (ends_with(".html")) return "text/html; charset=utf-8";
  if (ends_with(".css")) return "text/css; charset=utf-8";
  if (ends_with(".js")) return "text/javascript; charset=utf-8";
  if (ends_with(".svg")) return "image/svg+xml";
  if (ends_with(".png")) return "image/png";
  if (ends_with(".ico")) return "image/x-icon";
  if (ends_with(".json") || ends_with(".webmanifest")) return "application/json";
  return "application/octet-stream";
}

const char* content_security_policy() {
  return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
         "connect-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'none'; "
         "frame-ancestors 'none'";
}

std::optional<static_response> static_file(const std::string& path,
                                           const std::string& if_none_match) {
  if (path.empty() || path.front() != '/') return std::nullopt;
  std::string_view name =
      path == "/" ? std::string_view("index.html") : std::string_view(path).substr(1);
  for (std::size_t i = 0; i < detail::embedded_file_count; ++i) {
    const auto& file = detail::embedded_files[i];
    if (name != file.name) continue;
    static_response r;
    r.content_type = std::string(content_type_for(name));
    // Names are not fingerprinted: revalidate every time, cheap with the ETag.
    r.headers = {{"Cache-Control", "no-cache"},
                 {"ETag", file.etag},
                 {"Content-Security-Policy", content_security_policy()},
                 {"X-Content-Type-Options", "nosniff"},
                 {"Referrer-Policy", "no-referrer"},
                 {"X-Frame-Options", "DENY"}};
    if (!if_none_match.empty() && if_none_match == file.etag) {
      r.status = 304;
      return r;
    }
    r.body = std::string_view(reinterpret_cast<const char*>(file.data), file.size);
    return r;
  }
  return std::nullopt;
}

}  // namespace aw::gateway
