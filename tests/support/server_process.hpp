// Starts the real agentwire binary on an ephemeral loopback port and stops it.
// The port is read from the "listening" log line, so no test guesses or sleeps.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace aw::test {

class server_process {
 public:
  // `env` entries are "NAME=value", added to the environment of the child.
  // Without a DATA_DIR entry the child gets a fresh temporary one.
  explicit server_process(std::vector<std::string> env = {}, std::vector<std::string> args = {});
  ~server_process();
  server_process(const server_process&) = delete;
  server_process& operator=(const server_process&) = delete;

  // False when the server did not report listening within `timeout` (see log()).
  bool wait_listening(std::chrono::milliseconds timeout = std::chrono::seconds(30));
  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  std::string url(const std::string& path = "/ws") const;
  std::string log() const;

  // True when the log holds `needle` at least `count` times within `timeout`.
  bool wait_log(const std::string& needle, int count = 1,
                std::chrono::milliseconds timeout = std::chrono::seconds(30));
  int log_count(const std::string& needle) const;

  // kill -9, as a crash would; reaps the process.
  void kill_hard();
  // Any other signal (SIGSTOP / SIGCONT to freeze a node without closing its sockets).
  void send_signal(int sig);

  // Sends SIGTERM and waits for the exit status (-1 on timeout, then SIGKILL).
  int stop(std::chrono::milliseconds timeout = std::chrono::seconds(20));

 private:
  void read_stderr();
  pid_t pid_ = -1;
  int stderr_fd_ = -1;
  int port_ = 0;
  bool exited_ = false;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::string log_;
  bool eof_ = false;
  std::thread reader_;
  std::string owned_data_dir_;  // made here when the caller set no DATA_DIR; removed at the end
};

// Path of the agentwire binary under test (set by CMake).
std::string agentwire_binary();

}  // namespace aw::test
