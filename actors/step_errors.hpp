// The errors a run's step ends with, as caf::error values that cross actors
// and nodes (CAF serialises the code, the category and the context):
//
// - an aw::status (protocol/result.hpp) in the `awstatus` category: the code
//   byte is the protocol::error_code plus one (CAF reads 0 as no error), the
//   context the status's message. A
//   step's own failure (the model unavailable, ...) and a step whose cluster
//   node died (WORKER_LOST) travel so; the gateway's run reads the code back.
// - cluster_error in the `awcluster` category: conditions of the gateway <->
//   node protocol that have no code of their own on the wire (a refused
//   cluster protocol version, a node's answer that failed the checks).
//
// Errors from a worker node are network input: status_of() accepts only a
// known code and a context of one string, and bounds the message.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <caf/actor_system_config.hpp>
#include <caf/error.hpp>

#include "protocol/result.hpp"

namespace aw::actors {

// The failed status as a caf::error; `s` must not be ok.
caf::error make_error(const status& s);
caf::error make_error(protocol::error_code code, std::string message);

// The status `err` carries when it is of the `awstatus` category, else nothing.
std::optional<status> status_of(const caf::error& err);

// invalid_reply: a worker node's answer failed the gateway's checks
// (cluster/reply_checks.hpp); the step fails with its own protocol error.
enum class cluster_error : std::uint8_t { version_mismatch = 2, invalid_reply = 3 };

caf::error make_error(cluster_error x, std::string message);
bool is_invalid_reply(const caf::error& err);
bool is_cluster_error(const caf::error& err);

// The message a status or cluster error carries, else CAF's rendering of it.
std::string error_text(const caf::error& err);

// Renderers for both categories, so that actor_system::render (and CAF's own
// logs) print them: "awstatus: LLM_UNAVAILABLE (HTTP 500 ...)".
void add_error_categories(caf::actor_system_config& cfg);

}  // namespace aw::actors
