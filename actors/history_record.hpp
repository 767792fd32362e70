// What the session records of each run in the history store (issue #8): the
// request when agent_started goes out, the final data when agent_completed
// does, without the image bytes (the chart_url stays). The final data is the
// store's encoding of the typed event (protocol::write_stored_data).
#pragma once

#include <cstdint>
#include <string>

#include "actors/emitter.hpp"
#include "protocol/client_messages.hpp"
#include "protocol/run_event.hpp"
#include "protocol/server_messages.hpp"
#include "store/history_store.hpp"

namespace aw::actors {

// {"content":...,"title":...,"chart_preference":...,"format":...,"width":...,
//  "height":...,"theme":...,"has_data":...}; the data itself is not copied
// (a successful response echoes it).
// A follow-up (issue #16 item 4) also records "subject" (the request whose
// chart it edits, so that a later follow-up after a restart still knows it)
// and "refined_from" (that chart's run_id).
std::string history_request_json(const protocol::analytics_payload& payload,
                                 const std::string& subject = {},
                                 const std::string& refined_from = {});

store::history_write history_started(const std::string& user_id, const run_identity& run,
                                     std::int64_t at_ms, const protocol::analytics_payload& payload,
                                     const std::string& subject = {},
                                     const std::string& refined_from = {});

store::history_write history_completed(const std::string& user_id, const run_identity& run,
                                       std::int64_t at_ms, const protocol::completed_event& done);

// A run ended with `completed_data` already written: a failure's, which
// carries no image (the runs a restart ends, actors/durable_recovery.hpp).
store::history_write history_completed(const std::string& user_id, const run_identity& run,
                                       std::int64_t at_ms, protocol::run_status status,
                                       std::string completed_data);

}  // namespace aw::actors
