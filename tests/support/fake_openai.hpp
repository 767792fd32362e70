// Starts tests/support/fake_openai.js (Node.js) on an ephemeral loopback port
// and stops it. The port is read from its "listening PORT" line.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

namespace aw::test {

class fake_openai {
 public:
  fake_openai();
  // Also serves over TLS (HTTP/2 or HTTP/1.1) on a second port with this key
  // and certificate (PEM files).
  fake_openai(const std::string& tls_key, const std::string& tls_cert);
  ~fake_openai();
  fake_openai(const fake_openai&) = delete;
  fake_openai& operator=(const fake_openai&) = delete;

  // False when the server did not report listening within `timeout`.
  bool wait_listening(std::chrono::milliseconds timeout = std::chrono::seconds(15));
  int port() const { return port_; }
  // e.g. base_url("/slow") -> http://127.0.0.1:PORT/slow/v1
  std::string base_url(const std::string& prefix = "") const;
  // https://127.0.0.1:TLS_PORT<prefix>/v1 (the TLS constructor only)
  std::string tls_base_url(const std::string& prefix = "") const;
  // TLS figures: sessions (connections), h2_streams, http1_requests; -1 when unknown.
  double tls_stat(const std::string& field) const;
  // Requests seen in `mode` (GET /stats); -1 when the server does not answer.
  int requests(const std::string& mode) const;
  // The messages' text of the newest chat request (GET /lastprompt); "" when none.
  std::string last_prompt() const;

  // Figures of a configured prefix (/cfg/KEY/v1, see fake_openai.js):
  // requests, open, max_open, aborted, completed, bytes; -1 when unknown.
  double cfg_stat(const std::string& key, const std::string& field) const;
  // Arrival times of its requests, in ms since the fake started.
  std::vector<double> cfg_arrivals(const std::string& key) const;

 private:
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  int port_ = 0;
  int tls_port_ = 0;
};

// A loopback port with nothing listening on it (bound, then closed).
int unused_port();

}  // namespace aw::test
