// One HTTP attempt of a model call: a libcurl easy handle set up for a
// streamed chat-completions POST, and the callbacks that turn its SSE body
// into answer text as it arrives. The client's multi handle drives it.
// Bounded in bytes: the answer, one SSE line, one SSE event and an error
// body each have a limit, and going over one ends the transfer at once.
#pragma once

#include <curl/curl.h>

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "llm/sse_parser.hpp"
#include "llm/stream_limits.hpp"

namespace aw::llm {

struct transfer_request {
  const std::string* url = nullptr;   // must outlive the transfer
  const std::string* body = nullptr;  // must outlive the transfer
  const std::string* api_key = nullptr;
  const std::string* ca_file = nullptr;  // empty or null: the system's CAs
  long connect_timeout_ms = 10000;
  long timeout_ms = 30000;  // the whole attempt
};

class transfer {
 public:
  // `on_text` gets each piece of answer text as it arrives.
  transfer(CURL* easy, const stream_limits& limits, std::function<void(std::string_view)> on_text);
  ~transfer();
  transfer(const transfer&) = delete;
  transfer& operator=(const transfer&) = delete;

  void prepare(const transfer_request& r);
  CURL* easy() const { return easy_; }

  // After libcurl reported the transfer done:
  long status() const;
  bool complete() const { return parser_.done() || finished_; }  // [DONE] or a finish_reason
  bool too_long() const { return too_long_; }
  bool overflow() const { return parser_.overflow(); }
  std::string& content() { return content_; }
  const std::string& error_body() const { return error_body_; }
  std::optional<int> prompt_tokens() const { return prompt_tokens_; }
  std::optional<int> completion_tokens() const { return completion_tokens_; }
  std::optional<int> retry_after_s() const { return retry_after_s_; }
  void finish_parse() { parser_.finish(); }

 private:
  static size_t on_body(char* data, size_t size, size_t n, void* self);
  static size_t on_header(char* data, size_t size, size_t n, void* self);
  void on_event(const std::string& data);

  CURL* easy_;
  stream_limits limits_;
  std::function<void(std::string_view)> on_text_;
  sse_parser parser_;
  curl_slist* headers_ = nullptr;
  std::string auth_header_;
  std::string content_;
  std::string error_body_;
  bool finished_ = false;
  bool too_long_ = false;
  std::optional<int> prompt_tokens_;
  std::optional<int> completion_tokens_;
  std::optional<int> retry_after_s_;
};

}  // namespace aw::llm
