#include <doctest/doctest.h>

#include "analytics/builtin_llm.hpp"
#include "analytics/prose_stream.hpp"

using aw::analytics::prose_pieces;

TEST_CASE("prose pieces are whole words that join back to the text") {
  const std::string text = "Revenue grew 35.6% from Q1 to Q4. Q4 was the highest at 61,000.";
  auto pieces = prose_pieces(text, 3, 32);
  std::string joined;
  for (const auto& p : pieces) joined += p;
  CHECK(joined == text);
  REQUIRE(pieces.size() == 5);  // 13 words in pieces of 3, the last holds the rest
  CHECK(pieces[0] == "Revenue grew 35.6% ");
  CHECK(pieces[3] == "the highest at ");
  CHECK(pieces[4] == "61,000.");
  for (const auto& p : pieces) CHECK(p.find('{') == std::string::npos);
}

TEST_CASE("prose pieces stay within the cap and handle edge cases") {
  std::string long_text;
  for (int i = 0; i < 500; ++i) long_text += "word ";
  auto pieces = prose_pieces(long_text, 3, 32);
  CHECK(pieces.size() <= 32);
  std::string joined;
  for (const auto& p : pieces) joined += p;
  CHECK(joined == long_text);
  CHECK(prose_pieces("", 3, 32).empty());
  CHECK(prose_pieces("one", 3, 32) == std::vector<std::string>{"one"});
  CHECK(prose_pieces("  two  spaces ", 1, 32).size() >= 2);
}

TEST_CASE("the built-in narrative streams as prose, never JSON") {
  aw::protocol::analytics_payload p;
  p.content = "Top 5 products by revenue";
  auto g = aw::analytics::builtin_generate(p, aw::protocol::chart_type::bar_chart_horizontal);
  auto pieces = prose_pieces(g.narrative);
  REQUIRE(pieces.size() > 1);
  std::string joined;
  for (const auto& piece : pieces) {
    CHECK(piece.find('{') == std::string::npos);
    CHECK(piece.find("\"chart_type\"") == std::string::npos);
    joined += piece;
  }
  CHECK(joined == g.narrative);
}
