#include <filesystem>

#include "store/backends.hpp"

namespace aw::store {

std::unique_ptr<history_store> open_history_store(const std::string& store_url,
                                                  const std::string& data_dir) {
  if (store_url.rfind("postgresql://", 0) == 0 || store_url.rfind("postgres://", 0) == 0)
    return open_postgres_store(store_url);
  if (store_url.empty())
    return open_sqlite_store((std::filesystem::path(data_dir) / "history.db").string());
  if (store_url.rfind("sqlite:", 0) == 0 && store_url.size() > 7)
    return open_sqlite_store(store_url.substr(7));
  throw store_error("STORE_URL must be empty, sqlite:PATH or postgresql://...");
}

}  // namespace aw::store
