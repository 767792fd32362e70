#include "gateway/handshake.hpp"

#include <cstdlib>

#include "protocol/parse.hpp"

namespace aw::gateway {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool parse_u64(const std::string& s, std::uint64_t* out) {
  if (s.empty() || s.size() > 16) return false;
  std::uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (v > (1ULL << 53)) return false;
  *out = v;
  return true;
}

}  // namespace

bool url_decode(std::string_view in, bool plus_is_space, std::string* out) {
  out->clear();
  out->reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) return false;
      int hi = hex_value(in[i + 1]);
      int lo = hex_value(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      out->push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out->push_back(' ');
    } else {
      out->push_back(c);
    }
  }
  return true;
}

std::map<std::string, std::string> parse_query(std::string_view query, bool* ok) {
  std::map<std::string, std::string> out;
  *ok = true;
  while (!query.empty()) {
    auto amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (pair.empty()) continue;
    auto eq = pair.find('=');
    std::string key;
    std::string value;
    if (!url_decode(pair.substr(0, eq), true, &key)) *ok = false;
    if (eq != std::string_view::npos && !url_decode(pair.substr(eq + 1), true, &value)) *ok = false;
    out.emplace(std::move(key), std::move(value));
  }
  return out;
}

result<handshake> parse_handshake(std::string_view resource) {
  auto refused = [](const char* why) -> result<handshake> {
    return {protocol::error_code::validation_failed, why};
  };
  if (resource.size() > 4096) {
    return refused("request target too long");
  }
  auto qpos = resource.find('?');
  std::string_view path = resource.substr(0, qpos);
  std::string_view query = qpos == std::string_view::npos ? "" : resource.substr(qpos + 1);
  bool query_ok = true;
  auto params = parse_query(query, &query_ok);
  if (!query_ok) {
    return refused("malformed query string");
  }
  handshake hs;
  if (path == "/ws" || path == "/ws/") {
    auto u = params.find("user_id");
    auto s = params.find("session_id");
    if (u == params.end() || s == params.end()) {
      return refused("user_id and session_id are required");
    }
    hs.user_id = u->second;
    hs.session_id = s->second;
  } else if (path.substr(0, 4) == "/ws/") {
    std::string_view rest = path.substr(4);
    auto slash = rest.find('/');
    if (slash == std::string_view::npos || rest.find('/', slash + 1) != std::string_view::npos) {
      return refused("path form is /ws/{user_id}/{session_id}");
    }
    if (!url_decode(rest.substr(0, slash), false, &hs.user_id) ||
        !url_decode(rest.substr(slash + 1), false, &hs.session_id)) {
      return refused("malformed path");
    }
  } else {
    return refused("unknown path; use /ws");
  }
  if (!protocol::is_valid_id(hs.user_id)) {
    return refused("user_id must be 1-128 chars of [A-Za-z0-9_.:@-]");
  }
  if (!protocol::is_valid_id(hs.session_id)) {
    return refused("session_id must be 1-128 chars of [A-Za-z0-9_.:@-]");
  }
  if (auto t = params.find("token"); t != params.end()) hs.token = t->second;
  if (auto l = params.find("last_seq"); l != params.end()) {
    std::uint64_t v = 0;
    if (!parse_u64(l->second, &v)) {
      return refused("last_seq must be an integer >= 0");
    }
    hs.last_seq = v;
  }
  if (auto e = params.find("epoch"); e != params.end()) {
    if (e->second.size() > 64) {
      return refused("epoch too long");
    }
    hs.epoch = e->second;
  }
  return hs;
}

}  // namespace aw::gateway
