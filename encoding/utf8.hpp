// The one UTF-8 validator: strict checks, repair, and cuts on character
// boundaries. Used by the wire protocol, the history store, the model client
// and the renderer alike.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace aw::encoding {

// Strict check: no overlong forms, no surrogates, nothing above U+10FFFF.
bool is_valid_utf8(std::string_view s);

// `s` with every invalid byte sequence replaced by U+FFFD; with drop_nul,
// NUL bytes are dropped as well (PostgreSQL TEXT refuses them).
std::string to_valid_utf8(std::string_view s, bool drop_nul = false);

// Length of the valid UTF-8 sequence starting at s[i] (1..4), or 0 when the
// bytes there are not one. i < s.size().
std::size_t utf8_sequence_length(std::string_view s, std::size_t i);

// The longest prefix of `s` of at most `max_bytes` bytes that does not end
// inside a multi-byte character.
std::string_view utf8_cut_bytes(std::string_view s, std::size_t max_bytes);

// Number of code points in valid UTF-8 `s`.
std::size_t utf8_length(std::string_view s);

// The longest prefix of valid UTF-8 `s` holding at most `max_code_points`.
std::string_view utf8_prefix(std::string_view s, std::size_t max_code_points);

}  // namespace aw::encoding
