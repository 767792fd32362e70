// Byte limits on what one model call may hold in memory while it streams.
#pragma once

#include <cstddef>

#include "llm/sse_parser.hpp"

namespace aw::llm {

struct stream_limits {
  std::size_t max_answer_bytes = 256 << 10;
  std::size_t max_line_bytes = sse_parser::default_max_line_bytes;
  std::size_t max_event_bytes = sse_parser::default_max_event_bytes;
  std::size_t max_error_body = 2048;
};

}  // namespace aw::llm
