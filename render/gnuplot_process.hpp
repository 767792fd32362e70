// One persistent gnuplot child process. Not thread-safe and blocking: its
// owner is a single dedicated thread (a detached actor). Only abandon() may be
// called from another thread.
//
// The child gets stdin and a merged stdout+stderr pipe and no other file
// descriptor of ours (the server's sockets must not leak into it), a clean
// environment (PATH, HOME, locale, fonts: no secret of ours), at most 1 GiB
// of address space, and before each chart a CPU limit of the chart's timeout
// (RLIMIT_CPU: past it the kernel stops gnuplot, which is restarted). Commands are
// written through gnuplot-iostream's Gnuplot(FILE*) stream. Each script is
// followed by `print 'AW_DONE <n>'`; the output is complete when that line
// arrives. Other lines before it are gnuplot's messages.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace gnuplotio {
class Gnuplot;  // gnuplot-iostream, kept out of this header
}

namespace aw::render {

struct gnuplot_run {
  bool ok = false;                    // the marker arrived
  bool timed_out = false;             // no marker before the deadline (child killed)
  bool died = false;                  // gnuplot exited or the pipe broke (child reaped)
  std::vector<std::string> messages;  // gnuplot's own output lines before the marker
  std::string error;                  // why ok is false
};

class gnuplot_process {
 public:
  // `preload`: a shared library gnuplot gets in LD_PRELOAD (none when empty).
  explicit gnuplot_process(std::string executable = "gnuplot", std::string preload = "");
  ~gnuplot_process();
  gnuplot_process(const gnuplot_process&) = delete;
  gnuplot_process& operator=(const gnuplot_process&) = delete;

  // Spawns gnuplot and waits until it answers; true when it already runs.
  bool start(std::chrono::milliseconds timeout, std::string* error = nullptr);

  // Sends `script`, then waits for the end marker. Starts gnuplot first when
  // needed. When gnuplot turns out to be dead (killed between runs), it is
  // restarted and the script sent once more.
  gnuplot_run run(const std::string& script, std::chrono::milliseconds timeout);

  bool running() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }  // -1 when not running
  int restarts() const { return restarts_; }

  // Any thread, for shutdown: kills the child so that a start() or run()
  // blocked on it returns at once (a hung gnuplot must not hold up the exit),
  // and makes every later start() fail without spawning.
  void abandon();

  // True for a gnuplot message line that reports an error (not a warning).
  static bool is_error_message(const std::string& line);

 private:
  bool spawn(std::string* error);
  void cap_cpu(std::chrono::milliseconds timeout);
  gnuplot_run run_once(const std::string& script, std::chrono::milliseconds timeout);
  bool send(const std::string& text);
  // Reads lines until `marker`; fills run.messages, sets run.ok / timed_out / died.
  void read_until(const std::string& marker, std::chrono::steady_clock::time_point deadline,
                  gnuplot_run& run);
  bool reap_if_exited();
  void kill_child();

  std::string executable_;
  std::string preload_;
  // Written by the owner thread under child_mutex_ (spawn and reaping), read
  // under it by abandon(): a reaped pid is never signalled.
  std::mutex child_mutex_;
  std::atomic<bool> abandoned_{false};
  pid_t pid_ = -1;
  int out_fd_ = -1;                            // read end of the child's stdout+stderr
  std::unique_ptr<gnuplotio::Gnuplot> stdin_;  // owns the FILE* of the child's stdin
  std::string pending_;                        // bytes read after the last full line
  unsigned long long counter_ = 0;
  int restarts_ = -1;  // the first spawn is not a restart
};

}  // namespace aw::render
