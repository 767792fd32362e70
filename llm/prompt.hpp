// The chat-completions request body and the pieces of a streamed answer.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "protocol/chart_types.hpp"
#include "protocol/client_messages.hpp"

namespace aw::llm {

// System + user messages asking for one JSON object; stream with usage.
std::string request_body(const std::string& model, const protocol::analytics_payload& payload,
                         protocol::chart_type type);

struct stream_chunk {
  std::string content;               // choices[0].delta.content
  bool finished = false;             // choices[0].finish_reason set
  std::optional<int> prompt_tokens;  // usage (last chunk with include_usage)
  std::optional<int> completion_tokens;
};

// Nullopt when the data of an event is not a chunk object.
std::optional<stream_chunk> parse_chunk(std::string_view data);

// Rough token count for texts without usage figures (about 4 bytes a token).
int estimate_tokens(std::size_t bytes);

}  // namespace aw::llm
