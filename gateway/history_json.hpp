// Bodies of GET /conversations/{user_id} and
// GET /conversations/{user_id}/{conversation_id}/messages (PROTOCOL.md
// section 8). Pure functions. Each takes the rows of a store query made with
// `fetched` = limit + 1 (the store's own cap, 200, may make it just `limit`):
// an extra row only says that an older page exists and is not listed;
// next_before and next_before_id are then the cursor for that page (pass them
// back as before and before_id), and null when there is none
// (a full page fetched without an extra row gets a cursor too: its next page
// may be empty).
#pragma once

#include <string>
#include <vector>

#include "store/history_store.hpp"

namespace aw::gateway {

// Newest first: {"user_id","conversations":[...],"next_before":N|null,
// "next_before_id":S|null}
std::string conversations_json(const std::string& user_id,
                               std::vector<store::conversation_summary> rows, int limit,
                               int fetched);

// A messages page holds rows up to about this many bytes (always at least
// one row, which MAX_MESSAGE_BYTES bounds); the rows left out are the next
// page, so next_before points at them.
constexpr std::size_t history_page_max_bytes = 4u << 20;

// Oldest first, the newest `limit` before the cursor (within
// history_page_max_bytes):
// {"user_id","conversation_id","messages":[{"run_id","correlation_id",
//  "message_id","created_at","request","status","response","error",
//  "duration_ms","completed_at"}],"next_before":N|null,"next_before_id":S|null}
// status, response, error, duration_ms and completed_at are null while the
// run goes on; a stored request/response that is not valid JSON is null.
std::string messages_json(const std::string& user_id, const std::string& conversation_id,
                          std::vector<store::message_record> rows, int limit, int fetched);

}  // namespace aw::gateway
