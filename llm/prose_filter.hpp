// What of a model's streamed JSON answer a person sees: the text of the
// top-level "reasoning" and "narrative" fields, decoded, as it arrives. The
// structure (title, type, labels, values, ...) is never passed on.
//
// Fed the answer in pieces of any size (a piece may end inside an escape);
// each call returns the prose those bytes completed, possibly empty. A second
// field starts with a blank line. Text before the first '{' and anything that
// is not JSON gives nothing. At most `max_chars` bytes are passed on in all.
#pragma once

#include <cstddef>
#include <string>

namespace aw::llm {

class prose_filter {
 public:
  explicit prose_filter(std::size_t max_chars = 8192) : max_chars_(max_chars) {}

  std::string feed(const std::string& piece);

 private:
  void emit(std::string& out, const std::string& text);
  void emit_codepoint(std::string& out, unsigned cp);

  std::size_t max_chars_;
  std::size_t emitted_ = 0;
  int depth_ = 0;
  bool in_string_ = false;
  bool is_key_ = false;
  bool expecting_key_ = false;
  bool capture_ = false;
  bool escape_ = false;
  int hex_left_ = 0;  // digits of a \uXXXX still to read
  unsigned hex_ = 0;
  unsigned high_surrogate_ = 0;
  std::string key_;         // the key being read (bounded)
  std::string last_key_;    // the key of the value that follows
  bool any_field_ = false;  // a field was passed on already (blank line before the next)
};

}  // namespace aw::llm
