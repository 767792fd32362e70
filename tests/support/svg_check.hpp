// A small XML well-formedness check whose root element must be <svg>.
#pragma once

#include <string>

namespace aw::test {

// Empty when `text` is well-formed XML with an <svg> root; otherwise the problem.
std::string check_svg(const std::string& text);

}  // namespace aw::test
