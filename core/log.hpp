// Structured logs: one JSON object per line on stderr.
//   {"time":"...","level":"info","component":"gateway","msg":"listening","port":"8080"}
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace aw::log {

enum class level { debug = 0, info = 1, warn = 2, error = 3 };

void set_level(level l);
level current_level();
bool parse_level(std::string_view s, level* out);

using field = std::pair<std::string_view, std::string_view>;

void write(level l, std::string_view component, std::string_view msg,
           std::initializer_list<field> fields = {});

inline bool enabled(level l) {
  return l >= current_level();
}

inline void debug(std::string_view c, std::string_view m, std::initializer_list<field> f = {}) {
  if (enabled(level::debug)) write(level::debug, c, m, f);
}
inline void info(std::string_view c, std::string_view m, std::initializer_list<field> f = {}) {
  if (enabled(level::info)) write(level::info, c, m, f);
}
inline void warn(std::string_view c, std::string_view m, std::initializer_list<field> f = {}) {
  if (enabled(level::warn)) write(level::warn, c, m, f);
}
inline void error(std::string_view c, std::string_view m, std::initializer_list<field> f = {}) {
  if (enabled(level::error)) write(level::error, c, m, f);
}

}  // namespace aw::log
