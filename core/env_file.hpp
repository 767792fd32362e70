// A dotenv file as such files are written: `KEY=value`, `export KEY=value`,
// blank lines and `# comments`; a value in double quotes (with \n \t \" \\ as
// escapes) or single quotes (literal), optionally followed by `# comment`;
// an unquoted value ends at a ` #` comment and is trimmed. A file that does
// not exist reads as empty.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace aw::core {

struct env_file {
  std::map<std::string, std::string> values;
  std::vector<std::string> keys;      // in file order, each once
  std::vector<std::string> problems;  // "FILE:LINE: what is wrong"
};

env_file read_env_file(const std::string& path);

// `s` without leading and trailing blanks (space, tab, CR, LF).
std::string trim(const std::string& s);

}  // namespace aw::core
