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

  // A client that keeps reading, slowly: at most `bytes_per_tick` every
  // `tick`, until `wanted` text frames containing `needle` have arrived (0),
  // a close frame arrives (its code), or the time is up (-1). *seen counts
  // those frames.
  int read_steadily(std::size_t bytes_per_tick, std::chrono::milliseconds tick,
                    const std::string& needle, int wanted, std::chrono::milliseconds timeout,
                    int* seen);

 private:
  // Takes one complete frame off the buffer: false when there is none yet.
  bool next_frame(int* opcode, std::string* payload);
  int fd_ = -1;
  int status_ = 0;
  std::string buffered_;
};

}  // namespace aw::test
