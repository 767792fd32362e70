// The one way JSON is written: RapidJSON's writer with helpers for strings
// (always valid UTF-8), numbers (integers stay integers, NaN becomes null) and
// raw JSON values. Every frame, record and HTTP body goes through these.
#pragma once

#include <string>
#include <string_view>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace aw::encoding {

using json_writer = rapidjson::Writer<rapidjson::StringBuffer>;

std::string take(const rapidjson::StringBuffer& buffer);

// Strings are written as valid UTF-8 whatever comes in: invalid sequences
// become U+FFFD, so a frame is always valid JSON.
void write_string(json_writer& w, std::string_view s);

// Integral values below 2^53 as integers (45000, not 45000.0), others as the
// shortest round-trip form; NaN and infinities (never valid JSON) as null.
void write_number(json_writer& w, double x);

// `json` must be one serialised JSON value; an empty one is written as `fallback`.
void write_raw(json_writer& w, std::string_view json, rapidjson::Type type,
               std::string_view fallback = "null");

}  // namespace aw::encoding
