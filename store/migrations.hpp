// The schema, as numbered migrations. Both backends run the same SQL (it is
// the common subset of SQLite and PostgreSQL); each records the versions it
// applied in schema_version and, at open, applies those it has not.
#pragma once

#include <vector>

namespace aw::store {

struct migration {
  int version;
  const char* sql;  // one or more statements
};

const std::vector<migration>& migrations();

constexpr const char* schema_version_ddl =
    "CREATE TABLE IF NOT EXISTS schema_version ("
    " version INTEGER PRIMARY KEY,"
    " applied_ms BIGINT NOT NULL)";

}  // namespace aw::store
