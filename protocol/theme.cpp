#include "protocol/theme.hpp"

namespace aw::protocol {

bool is_theme_name(const std::string& name) {
  return name == "modern" || name == "corporate" || name == "dark" || name == "minimal" ||
         name == "vibrant";
}

bool is_hex_colour(const std::string& s) {
  if (s.size() != 7 || s[0] != '#') return false;
  for (std::size_t i = 1; i < s.size(); ++i) {
    char c = s[i];
    bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (!hex) return false;
  }
  return true;
}

}  // namespace aw::protocol
