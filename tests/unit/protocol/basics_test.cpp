// Names and small helpers: themes, colours, error codes, formats, ids, UTF-8.
#include "protocol/errors.hpp"
#include "protocol/theme.hpp"
#include "test_util.hpp"

namespace aw::protocol {
namespace {

TEST_CASE("theme names") {
  for (const char* name : {"modern", "corporate", "dark", "minimal", "vibrant"})
    CHECK(is_theme_name(name));
  for (const char* name : {"", "custom", "Modern", "neon", "dark "})
    CHECK_FALSE(is_theme_name(name));
}

TEST_CASE("hex colours") {
  CHECK(is_hex_colour("#3B82F6"));
  CHECK(is_hex_colour("#abcdef"));
  CHECK(is_hex_colour("#000000"));
  for (const char* s : {"", "#", "3B82F6", "#3B82F", "#3B82F60", "#GGGGGG", "#3b82f ", " #3b82f6"})
    CHECK_FALSE(is_hex_colour(s));
}

TEST_CASE("error codes are the exact upper-case names") {
  CHECK(to_string(error_code::invalid_json) == "INVALID_JSON");
  CHECK(to_string(error_code::unknown_type) == "UNKNOWN_TYPE");
  CHECK(to_string(error_code::validation_failed) == "VALIDATION_FAILED");
  CHECK(to_string(error_code::unsupported_chart_type) == "UNSUPPORTED_CHART_TYPE");
  CHECK(to_string(error_code::duplicate_correlation_id) == "DUPLICATE_CORRELATION_ID");
  CHECK(to_string(error_code::rate_limited) == "RATE_LIMITED");
  CHECK(to_string(error_code::too_many_runs) == "TOO_MANY_RUNS");
  CHECK(to_string(error_code::not_found) == "NOT_FOUND");
  CHECK(to_string(error_code::resume_gap) == "RESUME_GAP");
  CHECK(to_string(error_code::generation_failed) == "GENERATION_FAILED");
  CHECK(to_string(error_code::llm_unavailable) == "LLM_UNAVAILABLE");
  CHECK(to_string(error_code::render_failed) == "RENDER_FAILED");
  CHECK(to_string(error_code::worker_lost) == "WORKER_LOST");
  CHECK(to_string(error_code::timeout) == "TIMEOUT");
  CHECK(to_string(error_code::cancelled) == "CANCELLED");
}

TEST_CASE("image formats") {
  CHECK(to_string(image_format::png) == "png");
  CHECK(to_string(image_format::svg) == "svg");
  CHECK(mime_type(image_format::png) == "image/png");
  CHECK(mime_type(image_format::svg) == "image/svg+xml");
}

TEST_CASE("handshake ids") {
  CHECK(is_valid_id("U"));
  CHECK(is_valid_id("user_1.a:b@c-d"));
  CHECK(is_valid_id(std::string(128, 'z')));
  CHECK_FALSE(is_valid_id(""));
  CHECK_FALSE(is_valid_id(std::string(129, 'z')));
  CHECK_FALSE(is_valid_id("bad user"));
  CHECK_FALSE(is_valid_id("a/b"));
  CHECK_FALSE(is_valid_id("caf\xC3\xA9"));
  CHECK_FALSE(is_valid_id(std::string("a\0b", 3)));
}

TEST_CASE("utf8_length counts code points") {
  CHECK(utf8_length("") == 0);
  CHECK(utf8_length("abc") == 3);
  CHECK(utf8_length("caf\xC3\xA9") == 4);
  CHECK(utf8_length("\xE6\x97\xA5\xE6\x9C\xAC") == 2);
  CHECK(utf8_length("\xF0\x9F\x98\x80!") == 2);
}

}  // namespace
}  // namespace aw::protocol
