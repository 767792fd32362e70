// Text helpers shared by both backends.
#pragma once

#include <string>
#include <string_view>

#include "store/history_store.hpp"

namespace aw::store {

// Valid UTF-8 without NUL bytes (PostgreSQL TEXT refuses both; SQLite keeps
// the same so that the two backends answer alike): invalid sequences become
// U+FFFD, NUL bytes are dropped.
std::string clean_text(std::string_view s);

// A write whose text fields are all clean_text'ed.
history_write cleaned(const history_write& w);

// The conversation title a started write gives: its request's "content",
// cut to at most 200 bytes at a character boundary; "" when there is none.
std::string title_of(const history_write& w);

// page::limit clamped to 1..200.
int clamp_limit(int limit);

}  // namespace aw::store
