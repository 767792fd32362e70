// The words of a request, ready for the rules: lower case, punctuation as
// tokens of its own, spelled-out numbers as digits and small typos of the
// words the rules look for corrected ("revneue" -> "revenue").
#pragma once

#include <cctype>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aw::analytics {

struct word {
  std::string text;           // lower case, corrected; punctuation is a one-char token
  std::string original;       // as written (case kept), for names taken from the text
  std::optional<int> number;  // "12", "twelve", "a dozen" -> 12 (whole numbers only)
  bool punctuation() const {
    return text.size() == 1 && !std::isalnum(static_cast<unsigned char>(text[0]));
  }
};

// At most 400 words are read; the rest of a very long request is ignored.
std::vector<word> split_request(std::string_view content);

// The words joined by single spaces: the text the phrase rules search.
std::string joined(const std::vector<word>& words);

// Optimal string alignment distance (Damerau-Levenshtein with adjacent
// transpositions), stops counting above `limit`.
int edit_distance(std::string_view a, std::string_view b, int limit);

}  // namespace aw::analytics
