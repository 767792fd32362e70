#include "core/env_file.hpp"

#include <fstream>

namespace aw::core {

std::string trim(const std::string& s) {
  auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  auto e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

// A dotenv file as such files are written: `KEY=value`, `export KEY=value`,
// blank lines and `# comments`; a value in double quotes (with \n \t \" \\ as
// escapes) or single quotes (literal), optionally followed by `# comment`;
// an unquoted value ends at a ` #` comment and is trimmed.
env_file read_env_file(const std::string& path) {
  env_file out;
  std::ifstream in(path);
  std::string line;
  int number = 0;
  auto problem = [&](const std::string& what) {
    out.problems.push_back(path + ":" + std::to_string(number) + ": " + what);
  };
  while (std::getline(in, line)) {
    ++number;
    line = trim(line);
    if (line.empty() || line[0] == '#') continue;
    if (line.rfind("export ", 0) == 0) line = trim(line.substr(7));
    auto eq = line.find('=');
    if (eq == std::string::npos) {
      problem("'" + line.substr(0, 60) + "' is not KEY=value");
      continue;
    }
    std::string key = trim(line.substr(0, eq));
    std::string rest = trim(line.substr(eq + 1));
    std::string value;
    std::size_t after = rest.size();  // where what follows a quoted value starts
    if (!rest.empty() && (rest[0] == '"' || rest[0] == '\'')) {
      char quote = rest[0];
      std::size_t i = 1;
      bool closed = false;
      for (; i < rest.size(); ++i) {
        char c = rest[i];
        if (c == quote) {
          closed = true;
          break;
        }
        if (quote == '"' && c == '\\' && i + 1 < rest.size()) {
          char n = rest[++i];
          value += n == 'n' ? '\n' : n == 't' ? '\t' : n == 'r' ? '\r' : n;
          continue;
        }
        value += c;
      }
      if (!closed) {
        problem(key + ": the value's " + std::string(1, quote) + " quote is not closed");
        continue;
      }
      after = i + 1;
      std::string tail = trim(rest.substr(after));
      if (!tail.empty() && tail[0] != '#') {
        problem(key + ": text after the closing quote: '" + tail.substr(0, 40) + "'");
        continue;
      }
    } else {
      // A '#' starts a comment at the start of the value or after a blank.
      std::size_t hash = std::string::npos;
      for (std::size_t i = 0; i < rest.size(); ++i)
        if (rest[i] == '#' && (i == 0 || rest[i - 1] == ' ' || rest[i - 1] == '\t')) {
          hash = i;
          break;
        }
      value = trim(rest.substr(0, hash));
    }
    if (!out.values.count(key)) out.keys.push_back(key);
    out.values[key] = value;
  }
  return out;
}

}  // namespace aw::core
