// The words of follow-up requests (analytics/follow_up.hpp): tokens, numbers,
// filler, chart-type words, listed names and title phrases, shared by the
// parser (follow_up_parse.cpp) and the edits (follow_up_apply.cpp). Internal
// to analytics/; pure functions.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/chart_types.hpp"

namespace aw::analytics::follow_up_words {

using protocol::chart_type;

struct token {
  std::string text;      // lower case
  std::string original;  // as written
  std::size_t at = 0;    // byte offset in the request
  bool used = false;     // part of an edit phrase or filler
};

std::vector<token> tokenize(std::string_view s);

std::optional<int> number_of(const std::string& w);

bool is_year(const std::string& w);

bool one_of(const std::string& w, std::initializer_list<const char*> words);

// Words that ask for nothing by themselves.
bool filler(const std::string& w);

// What "the last 6 ..." counts.
bool unit_word(const std::string& w);

bool reference(const std::string& w);

// "line" with several series is a multi-line, and back.
chart_type fit_series(chart_type t, bool series);

// Types drawn from the summary view (labels + values | series) alone.
bool drawn_from_summary(chart_type t);

// The type a word names, for "as a pie", "make it a line", "bars instead".
std::optional<chart_type> type_word(const std::vector<token>& t, std::size_t i,
                                    std::size_t* used_to);

// Names listed from `i` on ("Q3 and Q4", "Europe, Asia"), up to a word that
// is not a name; marks them used. At most 12 names of at most 3 words (60
// bytes) each: a longer run of words is a sentence, not names (then none).
std::vector<std::string> names_from(std::vector<token>& t, std::size_t i);

std::string lower(std::string_view s);

// "title it X", "call it X", "rename it to X", "change the title to X": the
// rest of the request, as written, is the title.
std::optional<std::string> title_edit(std::string_view content, std::vector<token>& t);

}  // namespace aw::analytics::follow_up_words
