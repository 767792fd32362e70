// The lifetimes of the long-lived service actors: started in order (each
// adopted as it is spawned), stopped in the reverse order, each stop waiting
// (bounded) for the actor's down message before the next one is stopped. So
// the history writer, started first, stops last, after its final flush, and
// never depends on another actor's end to notice that it should stop.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/actor_cast.hpp>
#include <caf/actor_system.hpp>
#include <caf/scoped_actor.hpp>

namespace aw::actors {

class supervisor {
 public:
  explicit supervisor(caf::actor_system& system);
  ~supervisor();  // stops whatever is still running
  supervisor(const supervisor&) = delete;
  supervisor& operator=(const supervisor&) = delete;

  // Takes `handle` (typed or not) as the next service started; returns it.
  template <class Handle>
  Handle adopt(std::string name, Handle handle) {
    if (handle) add(std::move(name), caf::actor_cast<caf::actor>(handle));
    return handle;
  }

  // Stops the services newest first, each given up to `limit` to go (a
  // warning names one that does not). Idempotent.
  void stop_all(std::chrono::milliseconds limit = std::chrono::seconds(5));

  std::size_t size() const { return services_.size(); }

 private:
  struct service {
    std::string name;
    caf::actor handle;
  };
  void add(std::string name, caf::actor handle);

  caf::scoped_actor self_;
  std::vector<service> services_;  // in start order
};

}  // namespace aw::actors
