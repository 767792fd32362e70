// The errors a run's step can end with besides the step's own: a step whose
// cluster node died (WORKER_LOST) and a node that refused this gateway for
// its cluster protocol version. They cross nodes as caf::error values of one
// category, whatever CAF's remote layer adds to them.
#pragma once

#include <cstdint>
#include <string>

#include <caf/error.hpp>

namespace aw::actors {

// invalid_reply: a worker node's answer failed the gateway's checks
// (cluster/reply_checks.hpp); the step fails with its own protocol error.
enum class cluster_error : std::uint8_t {
  worker_lost = 1,
  version_mismatch = 2,
  invalid_reply = 3
};

caf::error make_error(cluster_error x, std::string message);
bool is_worker_lost(const caf::error& err);
bool is_invalid_reply(const caf::error& err);
bool is_cluster_error(const caf::error& err);

// The message a cluster (or other) error carries, else CAF's rendering of it.
std::string error_text(const caf::error& err);

}  // namespace aw::actors
