#include "actors/supervisor.hpp"

#include <caf/all.hpp>

#include "core/log.hpp"

namespace aw::actors {

supervisor::supervisor(caf::actor_system& system) : self_(system) {}

supervisor::~supervisor() {
  stop_all();
}

void supervisor::add(std::string name, caf::actor handle) {
  self_->monitor(handle);
  services_.push_back(service{std::move(name), std::move(handle)});
}

void supervisor::stop_all(std::chrono::milliseconds limit) {
  while (!services_.empty()) {
    auto svc = std::move(services_.back());
    services_.pop_back();
    self_->send_exit(svc.handle, caf::exit_reason::user_shutdown);
    bool down = false;
    bool timed_out = false;
    // Down messages of services stopped earlier may still be queued: skip them.
    self_->receive_while([&] { return !down && !timed_out; })(
        [&](caf::down_msg& dm) { down = dm.source == svc.handle.address(); },
        caf::after(limit) >> [&] { timed_out = true; });
    if (timed_out)
      log::warn("actors", "a service did not stop in time",
                {{"service", svc.name}, {"limit_ms", std::to_string(limit.count())}});
    else
      log::debug("actors", "service stopped", {{"service", svc.name}});
  }
}

}  // namespace aw::actors
