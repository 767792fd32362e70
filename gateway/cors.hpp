// CORS for browser frontends served from other origins (CORS_ORIGINS).
// Pure functions, unit-tested directly.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace aw::gateway {

// True when `origin` is one of the comma-separated `list` (spaces around items
// ignored), or the list holds "*".
bool origin_listed(std::string_view list, std::string_view origin);

using header_list = std::vector<std::pair<std::string, std::string>>;

// The CORS headers for a response to a request with this Origin header:
// none when CORS_ORIGINS is empty, the request has no Origin, or the origin is
// not listed; otherwise Access-Control-Allow-Origin (the request's origin),
// Vary: Origin and, for a preflight (OPTIONS), the allowed methods, headers
// and how long the browser may keep the answer.
header_list cors_headers(std::string_view cors_origins, std::string_view origin, bool preflight);

}  // namespace aw::gateway
