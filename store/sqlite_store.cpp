// SQLite backend: one connection in WAL mode, prepared statements made once,
// the schema migrated at open inside BEGIN IMMEDIATE (so that two processes
// opening one file at once take turns).
#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <mutex>
#include <thread>

#include "store/backends.hpp"
#include "store/migrations.hpp"
#include "store/sql.hpp"
#include "store/sqlite_statement.hpp"
#include "store/text.hpp"

namespace aw::store {
namespace {

constexpr int busy_timeout_ms = 5000;

std::int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

constexpr std::string_view owner = "sqlite";

[[noreturn]] void fail(sqlite3* db, const std::string& what) {
  sqlite::fail(db, owner, what);
}
void exec(sqlite3* db, const char* sql) {
  sqlite::exec(db, owner, sql);
}

struct statement : sqlite::statement {
  statement(sqlite3* db, const char* sql) : sqlite::statement(db, owner, sql) {}
};
using sqlite::in_use;

void migrate(sqlite3* db) {
  exec(db, "BEGIN IMMEDIATE");
  try {
    exec(db, schema_version_ddl);
    std::int64_t current = 0;
    {
      statement q(db, "SELECT COALESCE(MAX(version), 0) FROM schema_version");
      if (q.step()) current = q.column_int(0);
    }
    for (const auto& m : migrations()) {
      if (m.version <= current) continue;
      exec(db, m.sql);
      statement record(db, "INSERT INTO schema_version (version, applied_ms) VALUES (?1, ?2)");
      record.integer(1, m.version).integer(2, now_ms()).step();
    }
    exec(db, "COMMIT");
  } catch (...) {
    sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

struct db_handle {
  sqlite3* db = nullptr;
  ~db_handle() { sqlite3_close_v2(db); }
};

class sqlite_store final : public history_store {
 public:
  explicit sqlite_store(const std::string& path) {
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path.c_str(), &handle_.db, flags, nullptr) != SQLITE_OK)
      fail(handle_.db, "cannot open " + path);
    sqlite3* db = handle_.db;
    sqlite3_busy_timeout(db, busy_timeout_ms);
    // Switching a new file to WAL needs a lock that another connection opening
    // it at the same moment may hold, and SQLite then answers "locked" at once
    // instead of waiting: try again until the busy timeout.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(busy_timeout_ms);
    for (;;) {
      try {
        statement wal(db, "PRAGMA journal_mode=WAL");
        if (!wal.step() || wal.column_text(0) != "wal")
          throw store_error("sqlite: " + path + " cannot use WAL mode");
        break;
      } catch (const store_error&) {
        if (std::chrono::steady_clock::now() >= deadline) throw;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
    }
    exec(db, "PRAGMA synchronous=NORMAL");
    migrate(db);
    upsert_started_ = std::make_unique<statement>(db, sql::upsert_started);
    upsert_completed_ = std::make_unique<statement>(db, sql::upsert_completed);
    upsert_conversation_ = std::make_unique<statement>(db, sql::upsert_conversation);
    select_conversations_ = std::make_unique<statement>(db, sql::select_conversations);
    conversation_exists_ = std::make_unique<statement>(db, sql::conversation_exists);
    select_messages_ = std::make_unique<statement>(db, sql::select_messages);
    delete_old_messages_ = std::make_unique<statement>(db, sql::delete_old_messages);
    delete_empty_conversations_ = std::make_unique<statement>(db, sql::delete_empty_conversations);
    ping_ = std::make_unique<statement>(db, sql::ping);
  }

  void write(const std::vector<history_write>& batch) override {
    std::lock_guard<std::mutex> lock(mutex_);
    exec(handle_.db, "BEGIN IMMEDIATE");
    try {
      for (const auto& raw : batch) write_one(cleaned(raw));
      exec(handle_.db, "COMMIT");
    } catch (...) {
      sqlite3_exec(handle_.db, "ROLLBACK", nullptr, nullptr, nullptr);
      throw;
    }
  }

  std::vector<conversation_summary> conversations(const std::string& user_id,
                                                  const page& p) override {
    std::lock_guard<std::mutex> lock(mutex_);
    std::string user = clean_text(user_id);
    std::string before_id = clean_text(p.before_id);  // bound SQLITE_STATIC: lives past step()
    in_use q(*select_conversations_);
    q.s.text(1, user)
        .integer(2, p.before_ms.value_or(INT64_MAX))
        .text(3, before_id)
        .integer(4, clamp_limit(p.limit));
    std::vector<conversation_summary> out;
    while (q.s.step())
      out.push_back({q.s.column_text(0), q.s.column_text(1), q.s.column_int(2), q.s.column_int(3),
                     q.s.column_int(4)});
    return out;
  }

  std::optional<std::vector<message_record>> messages(const std::string& user_id,
                                                      const std::string& conversation_id,
                                                      const page& p) override {
    std::lock_guard<std::mutex> lock(mutex_);
    std::string user = clean_text(user_id);
    std::string conversation = clean_text(conversation_id);
    exec(handle_.db, "BEGIN");  // one snapshot for both reads
    try {
      auto out = read_messages(user, conversation, p);
      exec(handle_.db, "COMMIT");
      return out;
    } catch (...) {
      sqlite3_exec(handle_.db, "ROLLBACK", nullptr, nullptr, nullptr);
      throw;
    }
  }

  std::int64_t remove_older_than(std::int64_t cutoff_ms) override {
    std::lock_guard<std::mutex> lock(mutex_);
    exec(handle_.db, "BEGIN IMMEDIATE");
    try {
      std::int64_t removed = 0;
      {
        in_use d(*delete_old_messages_);
        d.s.integer(1, cutoff_ms).step();
        removed = sqlite3_changes(handle_.db);
      }
      {
        in_use d(*delete_empty_conversations_);
        d.s.integer(1, cutoff_ms).step();
      }
      exec(handle_.db, "COMMIT");
      return removed;
    } catch (...) {
      sqlite3_exec(handle_.db, "ROLLBACK", nullptr, nullptr, nullptr);
      throw;
    }
  }

  bool ping() override {
    std::lock_guard<std::mutex> lock(mutex_);
    try {
      in_use q(*ping_);
      return q.s.step();
    } catch (const store_error&) {
      return false;
    }
  }

  const char* backend() const override { return "sqlite"; }

 private:
  void write_one(const history_write& w) {
    bool started = w.what == history_write::kind::started;
    {
      in_use u(started ? *upsert_started_ : *upsert_completed_);
      u.s.text(1, w.user_id)
          .text(2, w.run_id)
          .text(3, w.conversation_id)
          .text(4, w.correlation_id)
          .text(5, w.message_id)
          .integer(6, w.at_ms);
      if (started)
        u.s.text(7, w.request_json);
      else
        u.s.text(7, w.status).text(8, w.response_json);
      u.s.step();
    }
    std::string title = title_of(w);
    in_use c(*upsert_conversation_);
    c.s.text(1, w.user_id).text(2, w.conversation_id).text(3, title).integer(4, w.at_ms).step();
  }

  std::optional<std::vector<message_record>> read_messages(const std::string& user,
                                                           const std::string& conversation,
                                                           const page& p) {
    {
      in_use e(*conversation_exists_);
      if (!e.s.text(1, user).text(2, conversation).step()) return std::nullopt;
    }
    std::string before_id = clean_text(p.before_id);  // bound SQLITE_STATIC: lives past step()
    in_use q(*select_messages_);
    q.s.text(1, user)
        .text(2, conversation)
        .integer(3, p.before_ms.value_or(INT64_MAX))
        .text(4, before_id)
        .integer(5, clamp_limit(p.limit));
    std::vector<message_record> out;
    while (q.s.step())
      out.push_back({q.s.column_text(0), q.s.column_text(1), q.s.column_text(2), q.s.column_int(3),
                     q.s.column_text(4), q.s.column_text(5), q.s.column_text(6),
                     q.s.column_int(7)});
    return std::vector<message_record>(out.rbegin(), out.rend());
  }

  std::mutex mutex_;
  db_handle handle_;  // declared before the statements: closed after them
  std::unique_ptr<statement> upsert_started_, upsert_completed_, upsert_conversation_,
      select_conversations_, conversation_exists_, select_messages_, delete_old_messages_,
      delete_empty_conversations_, ping_;
};

}  // namespace

std::unique_ptr<history_store> open_sqlite_store(const std::string& path) {
  std::filesystem::path p(path);
  std::error_code ec;
  if (p.has_parent_path()) std::filesystem::create_directories(p.parent_path(), ec);
  if (ec)
    throw store_error("sqlite: cannot create " + p.parent_path().string() + ": " + ec.message());
  return std::make_unique<sqlite_store>(path);
}

}  // namespace aw::store
