#include "support/server_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <regex>

extern char** environ;

namespace aw::test {

std::string agentwire_binary() {
  return AGENTWIRE_BIN;
}

server_process::server_process(std::vector<std::string> env, std::vector<std::string> args) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return;
  std::vector<std::string> envs;
  for (char** e = environ; *e; ++e) envs.emplace_back(*e);
  envs.push_back("PORT=0");
  envs.push_back("HOST=127.0.0.1");
  bool has_data_dir = false;
  for (const auto& e : env) has_data_dir = has_data_dir || e.rfind("DATA_DIR=", 0) == 0;
  if (!has_data_dir) {
    char dir[] = "/tmp/agentwire-test-data.XXXXXX";
    if (mkdtemp(dir) != nullptr) {
      owned_data_dir_ = dir;
      envs.push_back("DATA_DIR=" + owned_data_dir_);
    }
  }
  for (auto& e : env) envs.push_back(e);
  std::vector<std::string> argv_s{agentwire_binary()};
  for (auto& a : args) argv_s.push_back(a);
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (auto& e : envs) envp.push_back(e.data());
  envp.push_back(nullptr);
  pid_ = fork();
  if (pid_ == 0) {
    dup2(fds[1], 2);
    execve(argv[0], argv.data(), envp.data());
    _exit(127);
  }
  close(fds[1]);
  stderr_fd_ = fds[0];
  reader_ = std::thread([this] { read_stderr(); });
}

server_process::~server_process() {
  stop();
  if (reader_.joinable()) reader_.join();
  // Under the sanitizer build, the server's own reports must not go unseen.
  if (log_.find("ERROR: AddressSanitizer") != std::string::npos ||
      log_.find("ERROR: LeakSanitizer") != std::string::npos ||
      log_.find("runtime error:") != std::string::npos)
    std::fprintf(stderr, "--- agentwire server log with a sanitizer report:\n%s\n", log_.c_str());
  if (stderr_fd_ >= 0) close(stderr_fd_);
  if (!owned_data_dir_.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(owned_data_dir_, ignored);
  }
}

void server_process::read_stderr() {
  char buf[4096];
  static const std::regex listening(R"re("msg":"listening".*"port":"(\d+)")re");
  for (;;) {
    ssize_t n = read(stderr_fd_, buf, sizeof buf);
    std::lock_guard<std::mutex> guard(mutex_);
    if (n <= 0) {
      eof_ = true;
      changed_.notify_all();
      return;
    }
    log_.append(buf, static_cast<std::size_t>(n));
    if (port_ == 0) {
      std::smatch m;
      if (std::regex_search(log_, m, listening)) port_ = std::stoi(m[1]);
    }
    changed_.notify_all();
  }
}

bool server_process::wait_listening(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mutex_);
  return changed_.wait_for(lock, timeout, [this] { return port_ != 0 || eof_; }) && port_ != 0;
}

namespace {
int count_in(const std::string& text, const std::string& needle) {
  int n = 0;
  for (auto pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + 1))
    ++n;
  return n;
}
}  // namespace

bool server_process::wait_log(const std::string& needle, int count,
                              std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] {
    return count_in(log_, needle) >= count || eof_;
  }) && count_in(log_, needle) >= count;
}

int server_process::log_count(const std::string& needle) const {
  std::lock_guard<std::mutex> guard(mutex_);
  return count_in(log_, needle);
}

void server_process::kill_hard() {
  if (pid_ <= 0 || exited_) return;
  kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  exited_ = true;
}

void server_process::send_signal(int sig) {
  if (pid_ > 0 && !exited_) kill(pid_, sig);
}

std::string server_process::url(const std::string& path) const {
  return "ws://127.0.0.1:" + std::to_string(port_) + path;
}

std::string server_process::log() const {
  std::lock_guard<std::mutex> guard(mutex_);
  return log_;
}

int server_process::stop(std::chrono::milliseconds timeout) {
  if (pid_ <= 0 || exited_) return 0;
  kill(pid_, SIGTERM);
  auto deadline = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    pid_t r = waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      exited_ = true;
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait_for(lock, std::chrono::milliseconds(20));  // woken by the log or by EOF
  }
  kill(pid_, SIGKILL);
  waitpid(pid_, &status, 0);
  exited_ = true;
  return -1;
}

}  // namespace aw::test
