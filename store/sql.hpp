// The statements both backends run, with ?N placeholders (SQLite's syntax;
// the PostgreSQL backend turns them into $N). Only syntax both accept.
#pragma once

namespace aw::store::sql {

// ?1 user ?2 run ?3 conversation ?4 correlation ?5 message ?6 created ?7 request
constexpr const char* upsert_started =
    "INSERT INTO history_messages (user_id, run_id, conversation_id, correlation_id,"
    " message_id, created_ms, request_json) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
    " ON CONFLICT (user_id, run_id) DO UPDATE SET correlation_id = excluded.correlation_id,"
    " message_id = excluded.message_id, created_ms = excluded.created_ms,"
    " request_json = excluded.request_json";

// ... ?6 completed (also the created time when the started write is not in
// yet) ?7 status ?8 response
constexpr const char* upsert_completed =
    "INSERT INTO history_messages (user_id, run_id, conversation_id, correlation_id,"
    " message_id, created_ms, request_json, status, response_json, completed_ms)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, '{}', ?7, ?8, ?6)"
    " ON CONFLICT (user_id, run_id) DO UPDATE SET status = excluded.status,"
    " response_json = excluded.response_json, completed_ms = excluded.completed_ms";

// ?1 user ?2 conversation ?3 title ("" when unknown) ?4 time. The title is
// the earliest request's; the conversation spans its earliest and latest write.
constexpr const char* upsert_conversation =
    "INSERT INTO history_conversations (user_id, conversation_id, title, created_ms,"
    " updated_ms) VALUES (?1, ?2, ?3, ?4, ?4)"
    " ON CONFLICT (user_id, conversation_id) DO UPDATE SET"
    " title = CASE WHEN excluded.title <> '' AND (history_conversations.title = ''"
    " OR excluded.created_ms < history_conversations.created_ms)"
    " THEN excluded.title ELSE history_conversations.title END,"
    " created_ms = CASE WHEN excluded.created_ms < history_conversations.created_ms"
    " THEN excluded.created_ms ELSE history_conversations.created_ms END,"
    " updated_ms = CASE WHEN excluded.updated_ms > history_conversations.updated_ms"
    " THEN excluded.updated_ms ELSE history_conversations.updated_ms END";

// ?1 user ?2 before_ms ?3 before_id ?4 limit: rows strictly before the
// cursor (updated_ms, conversation_id) in the page's order; ?3 = '' makes it
// "before the millisecond".
constexpr const char* select_conversations =
    "SELECT c.conversation_id, c.title, c.created_ms, c.updated_ms,"
    " (SELECT COUNT(*) FROM history_messages m"
    "  WHERE m.user_id = c.user_id AND m.conversation_id = c.conversation_id)"
    " FROM history_conversations c WHERE c.user_id = ?1"
    " AND (c.updated_ms < ?2 OR (c.updated_ms = ?2 AND c.conversation_id < ?3))"
    " ORDER BY c.updated_ms DESC, c.conversation_id DESC LIMIT ?4";

// ?1 user ?2 conversation
constexpr const char* conversation_exists =
    "SELECT 1 FROM history_conversations WHERE user_id = ?1 AND conversation_id = ?2";

// ?1 user ?2 conversation ?3 before_ms ?4 before_id ?5 limit: rows strictly
// before the cursor (created_ms, run_id); newest first (the caller reverses
// the page)
constexpr const char* select_messages =
    "SELECT run_id, correlation_id, message_id, created_ms, request_json, status,"
    " response_json, completed_ms FROM history_messages"
    " WHERE user_id = ?1 AND conversation_id = ?2"
    " AND (created_ms < ?3 OR (created_ms = ?3 AND run_id < ?4))"
    " ORDER BY created_ms DESC, run_id DESC LIMIT ?5";

// ?1 cutoff
constexpr const char* delete_old_messages = "DELETE FROM history_messages WHERE created_ms < ?1";
// A conversation goes with its last message. The updated_ms test keeps one
// that a concurrent transaction is writing to (it moves updated_ms forward).
constexpr const char* delete_empty_conversations =
    "DELETE FROM history_conversations WHERE updated_ms < ?1 AND NOT EXISTS"
    " (SELECT 1 FROM history_messages m WHERE m.user_id = history_conversations.user_id"
    " AND m.conversation_id = history_conversations.conversation_id)";

constexpr const char* ping = "SELECT COUNT(*) FROM schema_version";

}  // namespace aw::store::sql
