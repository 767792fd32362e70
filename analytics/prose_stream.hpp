// The built-in provider's narrative as a stream of prose pieces, the way a
// model's words arrive: whole words, in order, joined back they are the text
// exactly. Sent as partial agent_thinking events (never JSON).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace aw::analytics {

// Pieces of `words_per_piece` words (the last one may hold fewer),
// at most `max_pieces` of them (later pieces grow to stay within it).
// Concatenated, the pieces are `text`. Empty text gives no pieces.
std::vector<std::string> prose_pieces(const std::string& text, std::size_t words_per_piece = 3,
                                      std::size_t max_pieces = 32);

}  // namespace aw::analytics
