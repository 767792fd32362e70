#include "support/raw_ws.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <thread>

namespace aw::test {

raw_ws::raw_ws(int port, const std::string& resource, int receive_buffer,
               const std::string& origin) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return;
  if (receive_buffer > 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return;
  }
  std::string req = "GET " + resource +
                    " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n" +
                    (origin.empty() ? "" : "Origin: " + origin + "\r\n") + "\r\n";
  if (write(fd, req.data(), req.size()) != static_cast<ssize_t>(req.size())) {
    close(fd);
    return;
  }
  std::string head;
  char c;
  while (head.size() < 4096 && head.find("\r\n\r\n") == std::string::npos) {
    if (read(fd, &c, 1) != 1) break;
    head.push_back(c);
  }
  if (head.size() >= 12) status_ = std::atoi(head.c_str() + 9);
  if (head.compare(0, 12, "HTTP/1.1 101") != 0) {
    close(fd);
    return;
  }
  fd_ = fd;
}

raw_ws::~raw_ws() {
  if (fd_ >= 0) close(fd_);
}

bool raw_ws::send_text(const std::string& text) {
  std::string f;
  f.push_back(static_cast<char>(0x81));
  std::size_t n = text.size();
  if (n < 126) {
    f.push_back(static_cast<char>(0x80 | n));
  } else if (n < 65536) {
    f.push_back(static_cast<char>(0x80 | 126));
    f.push_back(static_cast<char>(n >> 8));
    f.push_back(static_cast<char>(n & 0xff));
  } else {
    f.push_back(static_cast<char>(0x80 | 127));
    for (int i = 7; i >= 0; --i) f.push_back(static_cast<char>((n >> (8 * i)) & 0xff));
  }
  const unsigned char mask[4] = {0x12, 0x34, 0x56, 0x78};
  f.append(reinterpret_cast<const char*>(mask), 4);
  for (std::size_t i = 0; i < n; ++i) f.push_back(static_cast<char>(text[i] ^ mask[i % 4]));
  return write(fd_, f.data(), f.size()) == static_cast<ssize_t>(f.size());
}

bool raw_ws::next_frame(int* opcode, std::string* payload) {
  if (buffered_.size() < 2) return false;
  auto b0 = static_cast<unsigned char>(buffered_[0]);
  auto b1 = static_cast<unsigned char>(buffered_[1]);
  std::size_t len = b1 & 0x7f;
  std::size_t header = 2;
  if (len == 126) {
    if (buffered_.size() < 4) return false;
    len =
        (static_cast<unsigned char>(buffered_[2]) << 8) | static_cast<unsigned char>(buffered_[3]);
    header = 4;
  } else if (len == 127) {
    if (buffered_.size() < 10) return false;
    len = 0;
    for (int i = 2; i < 10; ++i) len = (len << 8) | static_cast<unsigned char>(buffered_[i]);
    header = 10;
  }
  if (buffered_.size() < header + len) return false;
  *opcode = b0 & 0x0f;
  payload->assign(buffered_, header, len);
  buffered_.erase(0, header + len);
  return true;
}

namespace {
int close_code_of(const std::string& payload) {
  if (payload.size() < 2) return 1005;
  return (static_cast<unsigned char>(payload[0]) << 8) | static_cast<unsigned char>(payload[1]);
}
}  // namespace

int raw_ws::read_until_close(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  char buf[65536];
  for (;;) {
    int opcode = 0;
    std::string payload;
    while (next_frame(&opcode, &payload))
      if (opcode == 0x8) return close_code_of(payload);
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return -1;
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(left.count())) <= 0) return -1;
    ssize_t n = read(fd_, buf, sizeof buf);
    if (n <= 0) return -1;
    buffered_.append(buf, static_cast<std::size_t>(n));
  }
}

int raw_ws::read_steadily(std::size_t bytes_per_tick, std::chrono::milliseconds tick,
                          const std::string& needle, int wanted, std::chrono::milliseconds timeout,
                          int* seen) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string buf(bytes_per_tick, '\0');
  *seen = 0;
  for (;;) {
    int opcode = 0;
    std::string payload;
    while (next_frame(&opcode, &payload)) {
      if (opcode == 0x8) return close_code_of(payload);
      if (opcode == 0x1 && payload.find(needle) != std::string::npos && ++*seen >= wanted) return 0;
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return -1;
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(left.count())) <= 0) return -1;
    ssize_t n = read(fd_, buf.data(), buf.size());
    if (n <= 0) return -1;
    buffered_.append(buf.data(), static_cast<std::size_t>(n));
    std::this_thread::sleep_for(tick);  // the pace of a slow reader, not a wait for an event
  }
}

}  // namespace aw::test
