// The two backends as test fixtures, so that one TEST_CASE_TEMPLATE runs the
// same checks against SQLite and PostgreSQL. Each fixture is a fresh, empty
// store: a new directory for SQLite, a new database for PostgreSQL.
//
// PostgreSQL comes from the CTest fixture (tests/store/postgres_fixture.sh,
// AW_TEST_PG_URL_FILE); run by hand without it, the test binary starts its own
// server with the same script. When neither works the tests FAIL: they never
// skip.
#pragma once

#include <doctest/doctest.h>

#include <cstdint>
#include <memory>
#include <string>

#include "store/history_store.hpp"

namespace aw::test {

// A database on the test server, new for each call: postgresql://.../aw_t_...
std::string fresh_postgres_database();

// Runs one statement on the test server's database named by `url`; throws
// when it fails.
void postgres_exec(const std::string& url, const std::string& sql);

// A new directory under the system temp dir.
std::string make_temp_dir(const std::string& prefix);

struct sqlite_backend {
  sqlite_backend();
  ~sqlite_backend();
  // A new connection to the same file (DATA_DIR/history.db): as after a restart.
  std::unique_ptr<store::history_store> open() const;
  std::string dir;
};

struct postgres_backend {
  postgres_backend();
  std::unique_ptr<store::history_store> open() const;
  std::string url;
};

// Test rows start here; retention tests use times far before it.
constexpr std::int64_t t0 = 1'700'000'000'000;

store::history_write started(const std::string& user, const std::string& conversation,
                             const std::string& run, std::int64_t at,
                             const std::string& content = "a request");
store::history_write completed(const std::string& user, const std::string& conversation,
                               const std::string& run, std::int64_t at,
                               const std::string& status = "success",
                               const std::string& response = R"({"status":"success"})");

}  // namespace aw::test

TYPE_TO_STRING_AS("sqlite", aw::test::sqlite_backend);
TYPE_TO_STRING_AS("postgresql", aw::test::postgres_backend);
