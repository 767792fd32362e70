// Shared helpers for the protocol tests.
#pragma once

// Same setting as the library (rapidjson_headers), so both see one RapidJSON.
#ifndef RAPIDJSON_HAS_STDSTRING
#define RAPIDJSON_HAS_STDSTRING 1
#endif

#include <string>
#include <variant>

#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include "protocol/parse.hpp"

namespace aw::protocol::test {

// Parses server output strictly (valid UTF-8, one value, nothing after it).
inline rapidjson::Document parse_json(const std::string& text) {
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseValidateEncodingFlag | rapidjson::kParseFullPrecisionFlag>(
      text.data(), text.size());
  REQUIRE_MESSAGE(!doc.HasParseError(), "not valid JSON: " << text.substr(0, 300));
  return doc;
}

inline std::string str(const rapidjson::Value& v) {
  REQUIRE(v.IsString());
  return std::string(v.GetString(), v.GetStringLength());
}

// The message of a frame that must parse; fails the test otherwise.
template <typename T>
T expect_message(std::string_view frame) {
  parse_result r = parse_client_message(frame);
  if (auto* e = std::get_if<protocol_error>(&r)) {
    FAIL("unexpected error " << to_string(e->code) << ": " << e->message
                             << " for frame: " << std::string(frame.substr(0, 200)));
  }
  const auto& msg = std::get<client_message>(r);
  REQUIRE(std::holds_alternative<T>(msg));
  return std::get<T>(msg);
}

inline protocol_error expect_error(std::string_view frame) {
  parse_result r = parse_client_message(frame);
  REQUIRE_MESSAGE(std::holds_alternative<protocol_error>(r),
                  "frame was accepted: " << std::string(frame.substr(0, 200)));
  return std::get<protocol_error>(r);
}

}  // namespace aw::protocol::test
