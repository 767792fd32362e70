// Helpers for writing server frames with RapidJSON (internal to protocol/).
#pragma once

#include <string>
#include <string_view>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace aw::protocol::json_write {

using writer = rapidjson::Writer<rapidjson::StringBuffer>;

std::string take(const rapidjson::StringBuffer& buffer);

// Strings are written as valid UTF-8 whatever comes in: invalid sequences
// become U+FFFD, so a frame is always valid JSON.
void write_string(writer& w, std::string_view s);

// Integral values below 2^53 as integers (45000, not 45000.0), others as the
// shortest round-trip form; NaN and infinities (never valid JSON) as null.
void write_number(writer& w, double x);

// `json` must be one serialised JSON value; an empty one is written as `fallback`.
void write_raw(writer& w, std::string_view json, rapidjson::Type type,
               std::string_view fallback = "null");

}  // namespace aw::protocol::json_write
