#include "store/migrations.hpp"

namespace aw::store {

// Append only: a released migration never changes.
const std::vector<migration>& migrations() {
  static const std::vector<migration> all = {
      {1,
       "CREATE TABLE history_conversations ("
       " user_id TEXT NOT NULL,"
       " conversation_id TEXT NOT NULL,"
       " title TEXT NOT NULL,"
       " created_ms BIGINT NOT NULL,"
       " updated_ms BIGINT NOT NULL,"
       " PRIMARY KEY (user_id, conversation_id));"
       "CREATE INDEX history_conversations_by_update"
       " ON history_conversations (user_id, updated_ms);"
       "CREATE TABLE history_messages ("
       " user_id TEXT NOT NULL,"
       " run_id TEXT NOT NULL,"
       " conversation_id TEXT NOT NULL,"
       " correlation_id TEXT NOT NULL,"
       " message_id TEXT NOT NULL,"
       " created_ms BIGINT NOT NULL,"
       " request_json TEXT NOT NULL,"
       " status TEXT NOT NULL DEFAULT '',"
       " response_json TEXT NOT NULL DEFAULT '',"
       " completed_ms BIGINT NOT NULL DEFAULT 0,"
       " PRIMARY KEY (user_id, run_id));"
       "CREATE INDEX history_messages_by_conversation"
       " ON history_messages (user_id, conversation_id, created_ms);"},
      // Retention deletes by age across all users.
      {2, "CREATE INDEX history_messages_by_age ON history_messages (created_ms);"},
      // Chart images shared by the gateways (PostgreSQL; SQLite keeps files).
      {3,
       "CREATE TABLE history_charts ("
       " id TEXT PRIMARY KEY,"
       " owner TEXT NOT NULL,"
       " content_type TEXT NOT NULL,"
       " bytes BYTEA NOT NULL,"
       " created_ms BIGINT NOT NULL);"
       "CREATE INDEX history_charts_by_age ON history_charts (created_ms);"},
  };
  return all;
}

}  // namespace aw::store
