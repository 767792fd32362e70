// A theme as the client asks for it: a name, or three explicit colours.
#pragma once

#include <string>

namespace aw::protocol {

struct theme_choice {
  std::string name = "modern";  // modern | corporate | dark | minimal | vibrant | custom
  // Set (as "#RRGGBB") only when name == "custom".
  std::string primary;
  std::string secondary;
  std::string tertiary;
};

bool is_theme_name(const std::string& name);
// "#RRGGBB", case-insensitive hex digits.
bool is_hex_colour(const std::string& s);

}  // namespace aw::protocol
