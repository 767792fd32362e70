#include "llm/transfer.hpp"

#include <algorithm>
#include <cctype>

#include "llm/prompt.hpp"

namespace aw::llm {

transfer::transfer(CURL* easy, const stream_limits& limits,
                   std::function<void(std::string_view)> on_text)
    : easy_(easy),
      limits_(limits),
      on_text_(std::move(on_text)),
      parser_([this](const std::string& data) { on_event(data); }, limits.max_line_bytes,
              limits.max_event_bytes) {}

transfer::~transfer() {
  if (headers_) curl_slist_free_all(headers_);
}

void transfer::prepare(const transfer_request& r) {
  headers_ = curl_slist_append(headers_, "Content-Type: application/json");
  headers_ = curl_slist_append(headers_, "Accept: text/event-stream");
  if (r.api_key && !r.api_key->empty()) {
    auth_header_ = "Authorization: Bearer " + *r.api_key;
    headers_ = curl_slist_append(headers_, auth_header_.c_str());
  }
  CURL* c = easy_;
  curl_easy_setopt(c, CURLOPT_URL, r.url->c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_POST, 1L);
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, r.body->c_str());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, static_cast<long>(r.body->size()));
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers_);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
  if (r.ca_file && !r.ca_file->empty()) curl_easy_setopt(c, CURLOPT_CAINFO, r.ca_file->c_str());
  // HTTP/2 where the endpoint offers it (TLS, ALPN), and then one connection
  // carries many calls: a new call waits for it rather than opening another.
  // (Plain http:// stays HTTP/1.1: waiting there would hold calls back until a
  // connection is free, so each call opens or reuses one of its own.)
  curl_easy_setopt(c, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_2TLS));
  if (r.url->rfind("https://", 0) == 0) curl_easy_setopt(c, CURLOPT_PIPEWAIT, 1L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(c, CURLOPT_TCP_NODELAY, 1L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, std::min(r.connect_timeout_ms, r.timeout_ms));
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, std::max(1L, r.timeout_ms));
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &transfer::on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, this);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, &transfer::on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, this);
  curl_easy_setopt(c, CURLOPT_PRIVATE, this);
}

long transfer::status() const {
  long code = 0;
  curl_easy_getinfo(easy_, CURLINFO_RESPONSE_CODE, &code);
  return code;
}

void transfer::on_event(const std::string& data) {
  auto chunk = parse_chunk(data);
  if (!chunk) return;  // not a chunk object: skipped
  if (chunk->finished) finished_ = true;
  if (chunk->prompt_tokens) prompt_tokens_ = chunk->prompt_tokens;
  if (chunk->completion_tokens) completion_tokens_ = chunk->completion_tokens;
  if (chunk->content.empty() || too_long_) return;
  if (content_.size() + chunk->content.size() > limits_.max_answer_bytes) {
    too_long_ = true;
    return;
  }
  content_ += chunk->content;
  if (on_text_) on_text_(chunk->content);
}

size_t transfer::on_body(char* data, size_t size, size_t n, void* self) {
  auto* t = static_cast<transfer*>(self);
  std::size_t bytes = size * n;
  if (t->status() != 200) {
    // Only the start of an error body is kept; a long one ends the transfer.
    auto room =
        t->limits_.max_error_body - std::min(t->limits_.max_error_body, t->error_body_.size());
    if (room == 0) return 0;
    t->error_body_.append(data, std::min(room, bytes));
    return bytes;
  }
  t->parser_.feed(std::string_view(data, bytes));
  return t->too_long_ || t->parser_.overflow() ? 0 : bytes;  // 0 ends the transfer
}

size_t transfer::on_header(char* data, size_t size, size_t n, void* self) {
  auto* t = static_cast<transfer*>(self);
  std::size_t bytes = size * n;
  std::string_view line(data, std::min<std::size_t>(bytes, 256));
  auto starts_with = [&line](std::string_view prefix) {
    if (line.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i)
      if (std::tolower(static_cast<unsigned char>(line[i])) != prefix[i]) return false;
    return true;
  };
  if (starts_with("http/")) t->retry_after_s_.reset();  // a new response
  if (starts_with("retry-after:")) {
    std::string value(line.substr(12));
    value.erase(
        std::remove_if(value.begin(), value.end(), [](unsigned char c) { return std::isspace(c); }),
        value.end());
    // Delay-seconds only; an HTTP date leaves the backoff to apply.
    if (!value.empty() && value.size() <= 6 &&
        std::all_of(value.begin(), value.end(), [](unsigned char c) { return std::isdigit(c); }))
      t->retry_after_s_ = std::stoi(value);
  }
  return bytes;
}

}  // namespace aw::llm
