// UTF-8 helpers used inside protocol/ (not part of the public API).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace aw::protocol {

// Strict check: no overlong forms, no surrogates, nothing above U+10FFFF.
bool is_valid_utf8(std::string_view s);

// `s` with every invalid byte sequence replaced by U+FFFD.
std::string to_valid_utf8(std::string_view s);

// The longest prefix of valid UTF-8 `s` holding at most `max_code_points`.
std::string_view utf8_prefix(std::string_view s, std::size_t max_code_points);

}  // namespace aw::protocol
