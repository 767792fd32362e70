#include "analytics/prose_stream.hpp"

#include <algorithm>

namespace aw::analytics {

std::vector<std::string> prose_pieces(const std::string& text, std::size_t words_per_piece,
                                      std::size_t max_pieces) {
  std::vector<std::string> out;
  if (text.empty() || max_pieces == 0) return out;
  // Word boundaries: a piece ends after the spaces that follow a word.
  std::vector<std::size_t> ends;
  for (std::size_t i = 0; i < text.size(); ++i)
    if (text[i] == ' ' && (i + 1 == text.size() || text[i + 1] != ' ')) ends.push_back(i + 1);
  if (ends.empty() || ends.back() != text.size()) ends.push_back(text.size());
  const std::size_t words = ends.size();
  const std::size_t per =
      std::max<std::size_t>({words_per_piece, 1, (words + max_pieces - 1) / max_pieces});
  std::size_t start = 0;
  for (std::size_t w = per - 1; start < text.size(); w += per) {
    std::size_t end = w < words ? ends[w] : text.size();
    out.push_back(text.substr(start, end - start));
    start = end;
  }
  return out;
}

}  // namespace aw::analytics
