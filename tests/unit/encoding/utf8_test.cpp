#include <doctest/doctest.h>

#include <string>

#include "encoding/utf8.hpp"

using namespace aw::encoding;

TEST_CASE("utf8: strict validation refuses overlongs, surrogates, values above U+10FFFF") {
  CHECK(is_valid_utf8(""));
  CHECK(is_valid_utf8("plain ascii"));
  CHECK(is_valid_utf8("caf\xC3\xA9 \xE6\x97\xA5 \xF0\x9F\x98\x80"));
  CHECK_FALSE(is_valid_utf8("\xC0\xAF"));          // overlong '/'
  CHECK_FALSE(is_valid_utf8("\xE0\x80\xAF"));      // overlong, 3 bytes
  CHECK_FALSE(is_valid_utf8("\xED\xA0\x80"));      // surrogate U+D800
  CHECK_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  CHECK_FALSE(is_valid_utf8("\xC3"));              // cut sequence
  CHECK_FALSE(is_valid_utf8("\x80"));              // lone continuation
}

TEST_CASE("utf8: repair replaces each bad byte with U+FFFD and can drop NUL") {
  const std::string with_nul("a\0b", 3);
  CHECK(to_valid_utf8("ok \xC3\xA9") == "ok \xC3\xA9");
  CHECK(to_valid_utf8("a\xFF" "b") == "a\xEF\xBF\xBD" "b");
  CHECK(to_valid_utf8(with_nul) == with_nul);
  CHECK(to_valid_utf8(with_nul, true) == "ab");
  CHECK(is_valid_utf8(to_valid_utf8("\xED\xA0\x80\xC3")));
}

TEST_CASE("utf8: sequence length and cuts on character boundaries") {
  CHECK(utf8_sequence_length("a", 0) == 1);
  CHECK(utf8_sequence_length("\xC3\xA9", 0) == 2);
  CHECK(utf8_sequence_length("\xE6\x97\xA5", 0) == 3);
  CHECK(utf8_sequence_length("\xF0\x9F\x98\x80", 0) == 4);
  CHECK(utf8_sequence_length("\xF0\x9F\x98", 0) == 0);
  const std::string s = "ab\xE6\x97\xA5" "c";  // 6 bytes, 4 characters
  CHECK(utf8_cut_bytes(s, 10) == s);
  CHECK(utf8_cut_bytes(s, 4) == "ab");
  CHECK(utf8_cut_bytes(s, 5) == "ab\xE6\x97\xA5");
  CHECK(utf8_cut_bytes(s, 0).empty());
  CHECK(utf8_prefix(s, 3) == "ab\xE6\x97\xA5");
  CHECK(utf8_prefix(s, 1) == "a");
}
