#include "support/svg_check.hpp"

#include <vector>

namespace aw::test {

std::string check_svg(const std::string& s) {
  std::vector<std::string> stack;
  std::string root;
  bool root_closed = false;
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t lt = s.find('<', i);
    if (lt == std::string::npos) break;
    if (s.compare(lt, 4, "<!--") == 0) {
      auto e = s.find("-->", lt + 4);
      if (e == std::string::npos) return "unterminated comment";
      i = e + 3;
      continue;
    }
    if (s.compare(lt, 2, "<?") == 0 || s.compare(lt, 2, "<!") == 0) {
      auto e = s.find('>', lt);
      if (e == std::string::npos) return "unterminated declaration";
      i = e + 1;
      continue;
    }
    std::size_t j = lt + 1;
    char quote = 0;
    for (; j < s.size(); ++j) {
      char ch = s[j];
      if (quote) {
        if (ch == quote) quote = 0;
      } else if (ch == '"' || ch == '\'') {
        quote = ch;
      } else if (ch == '>') {
        break;
      }
    }
    if (j >= s.size()) return "unterminated tag";
    std::string inner = s.substr(lt + 1, j - lt - 1);
    i = j + 1;
    if (!inner.empty() && inner[0] == '/') {
      std::string name = inner.substr(1);
      while (!name.empty() && (name.back() == ' ' || name.back() == '\n')) name.pop_back();
      if (stack.empty() || stack.back() != name) return "mismatched </" + name + ">";
      stack.pop_back();
      if (stack.empty()) root_closed = true;
      continue;
    }
    std::size_t n = 0;
    while (n < inner.size() && inner[n] != ' ' && inner[n] != '/' && inner[n] != '\n' &&
           inner[n] != '\t')
      ++n;
    std::string name = inner.substr(0, n);
    if (name.empty()) return "bad tag";
    if (root_closed) return "more than one root element";
    if (root.empty()) root = name;
    if (inner.back() != '/')
      stack.push_back(name);
    else if (stack.empty())
      root_closed = true;
  }
  if (root.empty()) return "no root element";
  if (!stack.empty()) return "unclosed <" + stack.back() + ">";
  if (root != "svg") return "root element is <" + root + ">";
  return "";
}

}  // namespace aw::test
