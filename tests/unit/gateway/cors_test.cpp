#include <doctest/doctest.h>

#include <string>

#include "gateway/cors.hpp"

using namespace aw::gateway;

namespace {

std::string header(const header_list& h, const std::string& name) {
  for (const auto& [k, v] : h)
    if (k == name) return v;
  return "";
}

}  // namespace

TEST_CASE("a listed origin gets its own origin back, Vary, and preflight details") {
  auto h = cors_headers("https://a.example, https://chat.example.com", "https://chat.example.com",
                        false);
  CHECK(header(h, "Access-Control-Allow-Origin") == "https://chat.example.com");
  CHECK(header(h, "Vary") == "Origin");
  CHECK(header(h, "Access-Control-Allow-Methods").empty());
  auto p = cors_headers("https://a.example,https://chat.example.com", "https://a.example", true);
  CHECK(header(p, "Access-Control-Allow-Origin") == "https://a.example");
  CHECK(header(p, "Access-Control-Allow-Methods") == "GET, HEAD, POST, OPTIONS");
  CHECK(header(p, "Access-Control-Allow-Headers") == "Authorization, Content-Type");
  CHECK(!header(p, "Access-Control-Max-Age").empty());
}

TEST_CASE("'*' allows any origin, echoed") {
  auto h = cors_headers("*", "http://localhost:5173", true);
  CHECK(header(h, "Access-Control-Allow-Origin") == "http://localhost:5173");
}

TEST_CASE("no CORS headers: unlisted origin, no Origin, CORS off, odd bytes") {
  CHECK(cors_headers("https://a.example", "https://evil.example", false).empty());
  CHECK(cors_headers("https://a.example", "https://evil.example", true).empty());
  CHECK(cors_headers("https://a.example", "", true).empty());
  CHECK(cors_headers("", "https://a.example", true).empty());
  CHECK(cors_headers("*", "https://a.example\r\nX: y", false).empty());
  CHECK(cors_headers("https://a.example", "https://a.example.evil", false).empty());
  CHECK(cors_headers(" , ", "", false).empty());
}

TEST_CASE("origin_listed trims items and ignores empty ones") {
  CHECK(origin_listed(" https://a.example ,https://b.example", "https://a.example"));
  CHECK(origin_listed("https://a.example, *", "anything"));
  CHECK(!origin_listed(",,", ""));
  CHECK(!origin_listed("https://a.example", "https://a.exampl"));
}
