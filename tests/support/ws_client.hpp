// A real WebSocket client for tests (websocketpp on standalone Asio, its own
// I/O thread). Collects every text frame; tests wait for conditions on them.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <rapidjson/document.h>

namespace aw::test {

struct frame {
  std::string text;
  std::shared_ptr<rapidjson::Document> json;  // null when not JSON
  const rapidjson::Value& operator[](const char* key) const { return (*json)[key]; }
  bool has(const char* key) const { return json && json->IsObject() && json->HasMember(key); }
  std::string type() const;
};

class ws_client {
 public:
  ~ws_client();

  // Connects and waits for the handshake. On refusal, returns null and sets *http_status.
  static std::unique_ptr<ws_client> connect(
      const std::string& url, int* http_status = nullptr,
      std::chrono::milliseconds timeout = std::chrono::seconds(10));

  void send(const std::string& text);
  void close(int code = 1000);

  using predicate = std::function<bool(const std::vector<frame>&)>;
  // True when `pred` holds before the timeout (checked on every new frame).
  bool wait_for(const predicate& pred,
                std::chrono::milliseconds timeout = std::chrono::seconds(30));
  bool wait_closed(std::chrono::milliseconds timeout = std::chrono::seconds(10));

  std::vector<frame> frames() const;
  int close_code() const;
  bool is_open() const;

  struct impl;

 private:
  explicit ws_client(std::unique_ptr<impl> p);
  std::unique_ptr<impl> impl_;
};

// Plain HTTP GET on loopback; returns status, sets body and content type.
int http_get(int port, const std::string& path, std::string* body, std::string* content_type);

}  // namespace aw::test
