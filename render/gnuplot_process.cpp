#include "render/gnuplot_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <thread>

#include <gnuplot-iostream.h>

namespace aw::render {
namespace {

using clock_type = std::chrono::steady_clock;

constexpr std::size_t kMaxMessages = 200;
// gnuplot's address space: its libraries and a 4000x4000 cairo surface fit
// with room to spare (idle it maps ~70 MB); a runaway script is stopped.
constexpr rlim_t kAddressSpace = rlim_t{1} << 30;

// The only variables gnuplot gets: it needs none of the server's settings,
// and secrets (API keys, AUTH_SECRET, STORE_URL passwords) stay with us.
bool passed_to_gnuplot(const char* entry) {
  static const char* const names[] = {"PATH=",
                                      "HOME=",
                                      "LANG=",
                                      "LANGUAGE=",
                                      "TZ=",
                                      "TMPDIR=",
                                      "FONTCONFIG_FILE=",
                                      "FONTCONFIG_PATH=",
                                      "GDFONTPATH="};
  for (const char* n : names)
    if (std::strncmp(entry, n, std::strlen(n)) == 0) return true;
  return std::strncmp(entry, "LC_", 3) == 0 || std::strncmp(entry, "GNUPLOT_", 8) == 0;
}

std::vector<std::string> gnuplot_environment() {
  std::vector<std::string> env;
  for (char** e = environ; e && *e; ++e)
    if (passed_to_gnuplot(*e)) env.emplace_back(*e);
  return env;
}

// CPU seconds the process has used so far (-1 when unknown).
long cpu_seconds(pid_t pid) {
  char path[64];
  std::snprintf(path, sizeof path, "/proc/%d/stat", static_cast<int>(pid));
  FILE* f = std::fopen(path, "r");
  if (!f) return -1;
  char buf[1024];
  std::size_t n = std::fread(buf, 1, sizeof buf - 1, f);
  std::fclose(f);
  buf[n] = '\0';
  const char* p = std::strrchr(buf, ')');  // the command name may hold spaces
  if (!p) return -1;
  unsigned long utime = 0, stime = 0;
  // Fields after the name: state ppid pgrp session tty tpgid flags minflt cminflt
  // majflt cmajflt utime stime.
  if (std::sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &utime, &stime) !=
      2)
    return -1;
  return static_cast<long>((utime + stime) / static_cast<unsigned long>(sysconf(_SC_CLK_TCK)));
}
constexpr int kPipeSize = 1 << 20;  // scripts below this never block on write

// Blocks SIGPIPE in this thread while writing to the child, and swallows a
// SIGPIPE raised meanwhile, so a dead gnuplot gives EPIPE instead of killing us.
class sigpipe_guard {
 public:
  sigpipe_guard() {
    sigemptyset(&set_);
    sigaddset(&set_, SIGPIPE);
    sigset_t pending;
    sigemptyset(&pending);
    sigpending(&pending);
    was_pending_ = sigismember(&pending, SIGPIPE) == 1;
    pthread_sigmask(SIG_BLOCK, &set_, &old_);
  }
  ~sigpipe_guard() {
    if (!was_pending_) {
      timespec zero{0, 0};
      while (sigtimedwait(&set_, nullptr, &zero) > 0) {
      }
    }
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }
  sigpipe_guard(const sigpipe_guard&) = delete;
  sigpipe_guard& operator=(const sigpipe_guard&) = delete;

 private:
  sigset_t set_;
  sigset_t old_;
  bool was_pending_ = false;
};

// Moves a descriptor above 2 so that the child's dup2 onto 0/1/2 cannot clobber it.
bool raise_fd(int& fd) {
  if (fd > 2) return true;
  int moved = fcntl(fd, F_DUPFD_CLOEXEC, 3);
  if (moved < 0) return false;
  close(fd);
  fd = moved;
  return true;
}

void close_fd(int& fd) {
  if (fd >= 0) close(fd);
  fd = -1;
}

// In the child between fork and exec: async-signal-safe calls only.
[[noreturn]] void exec_child(int in_fd, int out_fd, long max_fd, char* const argv[],
                             char* const envp[]) {
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  sigaction(SIGPIPE, &dfl, nullptr);
  if (dup2(in_fd, 0) < 0 || dup2(out_fd, 1) < 0 || dup2(out_fd, 2) < 0) _exit(126);
  if (close_range(3, ~0U, 0) != 0) {
    for (long fd = 3; fd < max_fd; ++fd) close(static_cast<int>(fd));
  }
  // Rendering yields the CPU to the event path: gnuplot runs niced, so a
  // busy renderer does not delay events for other users.
  if (setpriority(PRIO_PROCESS, 0, 10) != 0) { /* keep going at normal priority */
  }
  // Bounded: address space, and CPU time (the soft limit is moved before each
  // chart by gnuplot_process::cap_cpu; the hard one stays open so it can be).
  rlimit as{kAddressSpace, kAddressSpace};
  setrlimit(RLIMIT_AS, &as);
  rlimit cpu{60, RLIM_INFINITY};
  setrlimit(RLIMIT_CPU, &cpu);
  execvpe(argv[0], argv, envp);
  const char msg[] = "AW_EXEC_FAILED\n";
  ssize_t ignored = write(1, msg, sizeof msg - 1);
  (void)ignored;
  _exit(127);
}

}  // namespace

gnuplot_process::gnuplot_process(std::string executable, std::string preload)
    : executable_(std::move(executable)), preload_(std::move(preload)) {}

gnuplot_process::~gnuplot_process() {
  if (pid_ <= 0) return;
  {
    sigpipe_guard guard;
    *stdin_ << "exit\n" << std::flush;
    stdin_.reset();  // closes the child's stdin
  }
  close_fd(out_fd_);
  auto deadline = clock_type::now() + std::chrono::milliseconds(500);
  while (clock_type::now() < deadline) {
    std::lock_guard<std::mutex> lock(child_mutex_);
    if (waitpid(pid_, nullptr, WNOHANG) == pid_) {
      pid_ = -1;
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  kill_child();
}

bool gnuplot_process::is_error_message(const std::string& line) {
  std::string lower = line;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower.find("warning") != std::string::npos) return false;
  if (lower.find("error") != std::string::npos) return true;
  if (lower.find("aw_exec_failed") != std::string::npos) return true;
  auto at = lower.find("line ");
  while (at != std::string::npos) {
    std::size_t i = at + 5;
    std::size_t digits = 0;
    while (i < lower.size() && std::isdigit(static_cast<unsigned char>(lower[i]))) ++i, ++digits;
    if (digits > 0 && i < lower.size() && lower[i] == ':') return true;
    at = lower.find("line ", at + 1);
  }
  return false;
}

bool gnuplot_process::start(std::chrono::milliseconds timeout, std::string* error) {
  if (pid_ > 0) reap_if_exited();
  if (pid_ > 0) return true;
  if (!spawn(error)) return false;
  gnuplot_run ready;
  std::string marker = "AW_READY " + std::to_string(++counter_);
  if (!send("set print '-'\nprint '" + marker + "'\n")) {
    kill_child();
    if (error) *error = "cannot write to gnuplot";
    return false;
  }
  read_until(marker, clock_type::now() + timeout, ready);
  if (!ready.ok) {
    std::string why = ready.timed_out ? "gnuplot did not answer in time" : "gnuplot exited";
    for (const auto& m : ready.messages) {
      if (m.find("AW_EXEC_FAILED") != std::string::npos) why = "cannot execute " + executable_;
    }
    if (error) *error = why;
    return false;
  }
  return true;
}

void gnuplot_process::abandon() {
  abandoned_ = true;
  std::lock_guard<std::mutex> lock(child_mutex_);
  if (pid_ > 0) kill(pid_, SIGKILL);
}

bool gnuplot_process::spawn(std::string* error) {
  if (abandoned_) {
    if (error) *error = "shutting down";
    return false;
  }
  int in_pipe[2] = {-1, -1};
  int out_pipe[2] = {-1, -1};
  auto fail = [&](const char* what) {
    if (error) *error = std::string(what) + ": " + std::strerror(errno);
    for (int* fd : {&in_pipe[0], &in_pipe[1], &out_pipe[0], &out_pipe[1]}) close_fd(*fd);
    return false;
  };
  if (pipe2(in_pipe, O_CLOEXEC) != 0) return fail("pipe2");
  if (pipe2(out_pipe, O_CLOEXEC) != 0) return fail("pipe2");
  for (int* fd : {&in_pipe[0], &in_pipe[1], &out_pipe[0], &out_pipe[1]}) {
    if (!raise_fd(*fd)) return fail("fcntl");
  }
  fcntl(in_pipe[1], F_SETPIPE_SZ, kPipeSize);  // best effort
  fcntl(out_pipe[0], F_SETPIPE_SZ, kPipeSize);

  long max_fd = sysconf(_SC_OPEN_MAX);
  if (max_fd < 0) max_fd = 1024;
  std::string program = executable_;
  char* argv[] = {program.data(), nullptr};  // no file argument: commands come on stdin
  std::vector<std::string> env = gnuplot_environment();
  if (!preload_.empty()) env.push_back("LD_PRELOAD=" + preload_);
  std::vector<char*> envp;
  for (auto& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);

  pid_t pid = fork();
  if (pid < 0) return fail("fork");
  if (pid == 0) exec_child(in_pipe[0], out_pipe[1], max_fd, argv, envp.data());

  close_fd(in_pipe[0]);
  close_fd(out_pipe[1]);
  FILE* in = fdopen(in_pipe[1], "w");
  if (!in) {
    close_fd(in_pipe[1]);
    out_fd_ = out_pipe[0];
    {
      std::lock_guard<std::mutex> lock(child_mutex_);
      pid_ = pid;
    }
    kill_child();
    if (error) *error = "fdopen failed";
    return false;
  }
  {
    std::lock_guard<std::mutex> lock(child_mutex_);
    pid_ = pid;
    if (abandoned_) kill(pid_, SIGKILL);  // abandon() ran while this one started
  }
  out_fd_ = out_pipe[0];
  stdin_ = std::make_unique<gnuplotio::Gnuplot>(in);
  pending_.clear();
  ++restarts_;
  return true;
}

bool gnuplot_process::send(const std::string& text) {
  if (!stdin_) return false;
  sigpipe_guard guard;
  *stdin_ << text << std::flush;
  return !stdin_->bad() && !stdin_->fail();
}

gnuplot_run gnuplot_process::run(const std::string& script, std::chrono::milliseconds timeout) {
  auto deadline = clock_type::now() + timeout;
  gnuplot_run result;
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (pid_ > 0) reap_if_exited();
    if (pid_ <= 0) {
      auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock_type::now());
      std::string error;
      if (left.count() <= 0 || !start(left, &error)) {
        result = {};
        result.error = error.empty() ? "gnuplot did not start in time" : error;
        return result;
      }
    }
    result = run_once(script, std::chrono::duration_cast<std::chrono::milliseconds>(
                                  deadline - clock_type::now()));
    if (!result.died) break;  // died: gnuplot was probably killed between runs; try once more
  }
  return result;
}

void gnuplot_process::cap_cpu(std::chrono::milliseconds timeout) {
  long used = cpu_seconds(pid_);
  if (used < 0) return;
  auto budget = std::chrono::duration_cast<std::chrono::seconds>(timeout).count() + 1;
  rlimit cpu{static_cast<rlim_t>(used + budget), RLIM_INFINITY};
  prlimit(pid_, RLIMIT_CPU, &cpu, nullptr);
}

gnuplot_run gnuplot_process::run_once(const std::string& script,
                                      std::chrono::milliseconds timeout) {
  gnuplot_run run;
  cap_cpu(timeout);
  std::string marker = "AW_DONE " + std::to_string(++counter_);
  std::string text = script;
  if (!text.empty() && text.back() != '\n') text += '\n';
  text += "print '" + marker + "'\n";
  if (!send(text)) {
    kill_child();
    run.died = true;
    run.error = "gnuplot is gone (write failed)";
    return run;
  }
  read_until(marker, clock_type::now() + timeout, run);
  return run;
}

void gnuplot_process::read_until(const std::string& marker, clock_type::time_point deadline,
                                 gnuplot_run& run) {
  char buffer[4096];
  for (;;) {
    std::size_t newline;
    while ((newline = pending_.find('\n')) != std::string::npos) {
      std::string line = pending_.substr(0, newline);
      pending_.erase(0, newline + 1);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line == marker) {
        run.ok = true;
        return;
      }
      bool blank = line.find_first_not_of(" \t") == std::string::npos;
      if (!blank && run.messages.size() < kMaxMessages) run.messages.push_back(line);
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock_type::now());
    if (left.count() <= 0) {
      kill_child();
      run.timed_out = true;
      run.error = "gnuplot timed out";
      return;
    }
    pollfd pfd{out_fd_, POLLIN, 0};
    int ready = poll(&pfd, 1, static_cast<int>(std::min<long long>(left.count() + 1, 1 << 30)));
    if (ready < 0 && errno == EINTR) continue;
    if (ready == 0) continue;  // the deadline check above ends the loop
    ssize_t n = ready < 0 ? -1 : read(out_fd_, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      kill_child();
      run.died = true;
      run.error = "gnuplot exited unexpectedly";
      return;
    }
    pending_.append(buffer, static_cast<std::size_t>(n));
  }
}

bool gnuplot_process::reap_if_exited() {
  if (pid_ <= 0) return false;
  {
    std::lock_guard<std::mutex> lock(child_mutex_);
    if (waitpid(pid_, nullptr, WNOHANG) != pid_) return false;
    pid_ = -1;  // already reaped: only the pipes remain to close
  }
  kill_child();
  return true;
}

void gnuplot_process::kill_child() {
  if (pid_ > 0) kill(pid_, SIGKILL);
  if (stdin_) {
    sigpipe_guard guard;
    stdin_.reset();
  }
  close_fd(out_fd_);
  if (pid_ > 0) {
    std::lock_guard<std::mutex> lock(child_mutex_);
    while (waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
  }
  pending_.clear();
}

}  // namespace aw::render
