// A plain HTTP/1.1 client for tests: any method, extra request headers, and
// the response headers back (loopback only, one request per connection,
// bounded by a timeout).
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace aw::test {

struct http_response {
  int status = -1;                             // -1: no answer (connect failed, timeout, garbage)
  std::string status_line;                     // "HTTP/1.1 404 Not Found"
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;
  // "" when absent; `name` in any case.
  std::string header(const std::string& name) const;
};

using http_headers = std::vector<std::pair<std::string, std::string>>;

http_response http_request(int port, const std::string& method, const std::string& path,
                           const http_headers& headers = {},
                           std::chrono::milliseconds timeout = std::chrono::seconds(10));

// The same with a request body (Content-Length set; Content-Type in `headers`).
http_response http_request_with_body(int port, const std::string& method, const std::string& path,
                                     const std::string& body, const http_headers& headers = {},
                                     std::chrono::milliseconds timeout = std::chrono::seconds(10));

}  // namespace aw::test
