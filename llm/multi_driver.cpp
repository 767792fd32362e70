#include "llm/multi_driver.hpp"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>

namespace aw::llm {

multi_driver::multi_driver(CURLM* multi)
    : multi_(multi),
      epoll_fd_(epoll_create1(EPOLL_CLOEXEC)),
      wake_fd_(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.fd = wake_fd_;
  epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &ev);
  curl_multi_setopt(multi_, CURLMOPT_SOCKETFUNCTION, &multi_driver::on_socket);
  curl_multi_setopt(multi_, CURLMOPT_SOCKETDATA, this);
  curl_multi_setopt(multi_, CURLMOPT_TIMERFUNCTION, &multi_driver::on_timer);
  curl_multi_setopt(multi_, CURLMOPT_TIMERDATA, this);
}

multi_driver::~multi_driver() {
  curl_multi_setopt(multi_, CURLMOPT_SOCKETFUNCTION, nullptr);
  curl_multi_setopt(multi_, CURLMOPT_TIMERFUNCTION, nullptr);
  if (wake_fd_ >= 0) close(wake_fd_);
  if (epoll_fd_ >= 0) close(epoll_fd_);
}

int multi_driver::on_socket(CURL*, curl_socket_t s, int what, void* self, void*) {
  auto* d = static_cast<multi_driver*>(self);
  if (what == CURL_POLL_REMOVE) {
    epoll_ctl(d->epoll_fd_, EPOLL_CTL_DEL, s, nullptr);  // may be closed already: ignored
    return 0;
  }
  epoll_event ev{};
  ev.events = ((what & CURL_POLL_IN) ? EPOLLIN : 0u) | ((what & CURL_POLL_OUT) ? EPOLLOUT : 0u);
  ev.data.fd = s;
  if (epoll_ctl(d->epoll_fd_, EPOLL_CTL_MOD, s, &ev) != 0 && errno == ENOENT)
    epoll_ctl(d->epoll_fd_, EPOLL_CTL_ADD, s, &ev);
  return 0;
}

int multi_driver::on_timer(CURLM*, long timeout_ms, void* self) {
  auto* d = static_cast<multi_driver*>(self);
  d->timer_set_ = timeout_ms >= 0;
  if (d->timer_set_) d->timer_at_ = clock::now() + std::chrono::milliseconds(timeout_ms);
  return 0;
}

void multi_driver::wake() {
  std::uint64_t one = 1;
  [[maybe_unused]] auto n = write(wake_fd_, &one, sizeof one);
}

void multi_driver::run_once(long max_ms) {
  long timeout = std::max(0L, max_ms);
  if (timer_set_) {
    auto left = std::chrono::ceil<std::chrono::milliseconds>(timer_at_ - clock::now()).count();
    timeout = std::min<long>(timeout, std::max<long>(0, static_cast<long>(left)));
  }
  constexpr int max_events = 256;
  epoll_event events[max_events];
  int n = epoll_wait(epoll_fd_, events, max_events, static_cast<int>(timeout));
  int running = 0;
  for (int i = 0; i < n; ++i) {
    int fd = events[i].data.fd;
    if (fd == wake_fd_) {
      std::uint64_t count;
      [[maybe_unused]] auto r = read(wake_fd_, &count, sizeof count);
      continue;
    }
    int flags = 0;
    if (events[i].events & EPOLLIN) flags |= CURL_CSELECT_IN;
    if (events[i].events & EPOLLOUT) flags |= CURL_CSELECT_OUT;
    if (events[i].events & (EPOLLERR | EPOLLHUP)) flags |= CURL_CSELECT_ERR;
    curl_multi_socket_action(multi_, fd, flags, &running);
  }
  if (timer_set_ && clock::now() >= timer_at_) {
    timer_set_ = false;  // the action may set it again
    curl_multi_socket_action(multi_, CURL_SOCKET_TIMEOUT, 0, &running);
  }
}

}  // namespace aw::llm
