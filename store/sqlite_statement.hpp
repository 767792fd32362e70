// A prepared SQLite statement with throwing helpers, shared by the SQLite
// history store and the SQLite event log. Every failure throws store_error,
// its message prefixed with the owner's name ("sqlite", "sqlite event log")
// so that a log line says which file failed.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "store/history_store.hpp"  // store_error

namespace aw::store::sqlite {

[[noreturn]] inline void fail(sqlite3* db, std::string_view owner, const std::string& what) {
  throw store_error(std::string(owner) + ": " + what + ": " +
                    (db ? sqlite3_errmsg(db) : "out of memory"));
}

inline void exec(sqlite3* db, std::string_view owner, const char* sql) {
  char* message = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &message) != SQLITE_OK) {
    std::string text = message ? message : sqlite3_errmsg(db);
    sqlite3_free(message);
    throw store_error(std::string(owner) + ": " + text);
  }
}

// Prepared once (SQLITE_PREPARE_PERSISTENT), bound without copying: the
// caller keeps bound text alive until reset().
class statement {
 public:
  statement(sqlite3* db, std::string_view owner, const char* sql) : db_(db), owner_(owner) {
    if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr) != SQLITE_OK)
      fail(db, owner_, "prepare");
  }
  ~statement() { sqlite3_finalize(stmt_); }
  statement(const statement&) = delete;
  statement& operator=(const statement&) = delete;

  statement& text(int i, std::string_view s) {
    check(sqlite3_bind_text(stmt_, i, s.data(), static_cast<int>(s.size()), SQLITE_STATIC));
    return *this;
  }
  statement& integer(int i, std::int64_t v) {
    check(sqlite3_bind_int64(stmt_, i, v));
    return *this;
  }
  // True while there is a row.
  bool step() {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    fail(db_, owner_, "step");
  }
  std::string column_text(int i) {
    auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, i));
    return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, i)))
             : std::string();
  }
  std::int64_t column_int(int i) { return sqlite3_column_int64(stmt_, i); }
  void reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }

 private:
  void check(int rc) {
    if (rc != SQLITE_OK) fail(db_, owner_, "bind");
  }
  sqlite3* db_;
  std::string_view owner_;  // a string literal
  sqlite3_stmt* stmt_ = nullptr;
};

// Resets a statement however the block is left.
struct in_use {
  explicit in_use(statement& s) : s(s) {}
  ~in_use() { s.reset(); }
  statement& s;
};

}  // namespace aw::store::sqlite
