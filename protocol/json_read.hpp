// Readers for fields of parsed client frames (internal to protocol/).
// Each reader fails with VALIDATION_FAILED and a message naming `path` when
// the value does not fit, e.g. "payload.width must be an integer 200..4000";
// *out is written only when it fits.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <rapidjson/document.h>

#include "protocol/result.hpp"

namespace aw::protocol::json_read {

using value = rapidjson::Value;

// The member `name` of object `obj`; nullptr when absent or JSON null.
const value* find(const value& obj, const char* name);

// "path[index]" and "path[index].field".
std::string item_path(std::string_view path, std::size_t index);
std::string item_path(std::string_view path, std::size_t index, std::string_view field);

// A string of min_chars..max_chars code points.
status read_string(const value& v, std::string_view path, std::size_t min_chars,
                   std::size_t max_chars, std::string* out);

// A required string; every failure reads "<path> is required (string, min..max chars)".
status read_required_string(const value* v, std::string_view path, std::size_t min_chars,
                            std::size_t max_chars, std::string* out);

status read_bool(const value& v, std::string_view path, bool* out);

// An integral number in [min, max]; 800.0 counts as 800, 800.5 and "800" do not.
status read_integer(const value& v, std::string_view path, std::int64_t min, std::int64_t max,
                    std::int64_t* out);

// A finite number.
status read_number(const value& v, std::string_view path, double* out);

// A non-empty array of at most protocol::max_data_points finite numbers.
status read_numbers(const value& v, std::string_view path, std::vector<double>* out);

// A non-empty array of at most protocol::max_data_points strings of at most
// protocol::max_label_chars code points.
status read_labels(const value& v, std::string_view path, std::vector<std::string>* out);

// A non-empty array of at most `max_items` entries.
status check_array(const value& v, std::string_view path, std::size_t max_items);

// VALIDATION_FAILED with `message`.
status invalid(std::string message);

// `text` cut to a short readable quote for an error message.
std::string quote(std::string_view text);

}  // namespace aw::protocol::json_read
