// The two backends behind history_store; open_history_store picks one.
#pragma once

#include <memory>
#include <string>

#include "store/history_store.hpp"

namespace aw::store {

// Opens (creating if needed) the SQLite file at `path` in WAL mode.
std::unique_ptr<history_store> open_sqlite_store(const std::string& path);

// Connects with a libpq URL (postgresql://user:pass@host:port/db?...).
std::unique_ptr<history_store> open_postgres_store(const std::string& url);

}  // namespace aw::store
