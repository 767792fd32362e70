// A deliberately bad WebSocket client for tests: it completes the handshake
// by hand and then reads only when told to, never answering pings. With a
// tiny receive buffer it is the "slow consumer" of PROTOCOL.md section 5.
#pragma once

#include <chrono>
#include <string>

namespace aw::test {

class raw_ws {
 public:
  // Connects and upgrades; `receive_buffer` > 0 shrinks SO_RCVBUF first.
  raw_ws(int port, const std::string& resource, int receive_buffer = 0,
         const std::string& origin = "");
  ~raw_ws();
  bool ok() const { return fd_ >= 0; }
  int status() const { return status_; }  // the handshake's HTTP status

  // Sends one masked text frame.
  bool send_text(const std::string& text);

  // Reads frames (discarding data frames) until a close frame arrives or the
  // time is up; returns its status code, or -1.
  int read_until_close(std::chrono::milliseconds timeout);

 private:
  int fd_ = -1;
  int status_ = 0;
  std::string buffered_;
};

}  // namespace aw::test
