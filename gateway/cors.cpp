#include "gateway/cors.hpp"

namespace aw::gateway {

bool origin_listed(std::string_view list, std::string_view origin) {
  while (!list.empty()) {
    auto comma = list.find(',');
    std::string_view item = list.substr(0, comma);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (item == "*" || (!item.empty() && item == origin)) return true;
    list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
  }
  return false;
}

header_list cors_headers(std::string_view cors_origins, std::string_view origin, bool preflight) {
  header_list out;
  if (cors_origins.empty() || origin.empty() || origin.size() > 512) return out;
  for (char c : origin)  // echoed back: printable ASCII only
    if (c < 0x21 || c > 0x7e) return out;
  if (!origin_listed(cors_origins, origin)) return out;
  out.emplace_back("Access-Control-Allow-Origin", std::string(origin));
  out.emplace_back("Vary", "Origin");
  if (preflight) {
    out.emplace_back("Access-Control-Allow-Methods", "GET, HEAD, POST, OPTIONS");
    out.emplace_back("Access-Control-Allow-Headers", "Authorization, Content-Type");
    out.emplace_back("Access-Control-Max-Age", "600");
  }
  return out;
}

}  // namespace aw::gateway
