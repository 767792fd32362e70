#include "llm/prose_filter.hpp"

namespace aw::llm {
namespace {

constexpr std::size_t kMaxKey = 64;

bool prose_key(const std::string& key) {
  return key == "reasoning" || key == "narrative";
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

void prose_filter::emit(std::string& out, const std::string& text) {
  if (emitted_ >= max_chars_) return;
  std::string piece = text.substr(0, max_chars_ - emitted_);
  emitted_ += piece.size();
  out += piece;
}

void prose_filter::emit_codepoint(std::string& out, unsigned cp) {
  std::string s;
  if (cp < 0x80) {
    s += static_cast<char>(cp);
  } else if (cp < 0x800) {
    s += static_cast<char>(0xC0 | (cp >> 6));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    s += static_cast<char>(0xE0 | (cp >> 12));
    s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    s += static_cast<char>(0xF0 | (cp >> 18));
    s += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  }
  if (is_key_) {
    if (key_.size() < kMaxKey) key_ += s;
  } else if (capture_) {
    emit(out, s);
  }
}

std::string prose_filter::feed(const std::string& piece) {
  std::string out;
  for (char c : piece) {
    if (in_string_) {
      if (hex_left_ > 0) {
        int v = hex_value(c);
        hex_ = hex_ * 16 + static_cast<unsigned>(v < 0 ? 0 : v);
        if (--hex_left_ == 0) {
          if (hex_ >= 0xD800 && hex_ < 0xDC00) {
            high_surrogate_ = hex_;  // the low half follows as another \u escape
          } else if (hex_ >= 0xDC00 && hex_ < 0xE000 && high_surrogate_) {
            emit_codepoint(out, 0x10000 + ((high_surrogate_ - 0xD800) << 10) + (hex_ - 0xDC00));
            high_surrogate_ = 0;
          } else {
            high_surrogate_ = 0;
            emit_codepoint(out, hex_ >= 0xD800 && hex_ < 0xE000 ? 0xFFFD : hex_);
          }
        }
        continue;
      }
      if (escape_) {
        escape_ = false;
        char decoded = c;
        switch (c) {
          case 'n':
            decoded = '\n';
            break;
          case 't':
            decoded = '\t';
            break;
          case 'r':
            decoded = ' ';
            break;
          case 'b':
          case 'f':
            decoded = ' ';
            break;
          case 'u':
            hex_left_ = 4;
            hex_ = 0;
            continue;
          default:
            break;  // \" \\ \/ and anything else: the character itself
        }
        emit_codepoint(out, static_cast<unsigned char>(decoded));
        continue;
      }
      if (c == '\\') {
        escape_ = true;
        continue;
      }
      if (c == '"') {
        in_string_ = false;
        if (is_key_) last_key_ = key_;
        is_key_ = false;
        capture_ = false;
        continue;
      }
      if (is_key_) {
        if (key_.size() < kMaxKey) key_ += c;
      } else if (capture_) {
        emit(out, std::string(1, c));
      }
      continue;
    }
    switch (c) {
      case '"':
        in_string_ = true;
        is_key_ = depth_ == 1 && expecting_key_;
        if (is_key_) key_.clear();
        capture_ = !is_key_ && depth_ == 1 && prose_key(last_key_);
        if (capture_) {
          if (any_field_) emit(out, "\n\n");
          any_field_ = true;
        }
        break;
      case '{':
        ++depth_;
        if (depth_ == 1) expecting_key_ = true;
        break;
      case '[':
        ++depth_;
        break;
      case '}':
      case ']':
        if (depth_ > 0) --depth_;
        break;
      case ':':
        if (depth_ == 1) expecting_key_ = false;
        break;
      case ',':
        if (depth_ == 1) {
          expecting_key_ = true;
          last_key_.clear();
        }
        break;
      default:
        break;
    }
  }
  return out;
}

}  // namespace aw::llm
