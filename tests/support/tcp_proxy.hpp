// A TCP proxy on loopback for failover tests: it forwards each client
// connection to 127.0.0.1:<target>, and the target can change at any time
// (new connections go to the new one), as nginx sends a dead upstream's
// clients to its backup. When either side closes, the other is closed too.
// Its own Asio thread; bounded: at most 1024 open pairs.
#pragma once

#include <memory>

namespace aw::test {

class tcp_proxy {
 public:
  explicit tcp_proxy(int target_port);
  ~tcp_proxy();
  tcp_proxy(const tcp_proxy&) = delete;
  tcp_proxy& operator=(const tcp_proxy&) = delete;

  int port() const;                // where clients connect
  void retarget(int target_port);  // for connections accepted from now on
  int forwarded() const;           // connections accepted so far

  struct impl;

 private:
  std::unique_ptr<impl> impl_;
};

}  // namespace aw::test
