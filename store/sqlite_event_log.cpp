// SQLite backend of the durable event log: its own file and connection in WAL
// mode. synchronous=NORMAL: a commit survives the process being killed (kill
// -9, OOM); DURABLE_LOG_SYNC=full (synchronous=FULL) also survives power loss.
#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <mutex>
#include <thread>

#include "store/event_log_store.hpp"
#include "store/history_store.hpp"  // store_error
#include "store/sqlite_statement.hpp"

namespace aw::store {
namespace {

constexpr int busy_timeout_ms = 5000;

constexpr std::string_view owner = "sqlite event log";

void exec(sqlite3* db, const char* sql) {
  sqlite::exec(db, owner, sql);
}

struct stmt : sqlite::statement {
  stmt(sqlite3* db, const char* sql) : sqlite::statement(db, owner, sql) {}
};
using resetting = sqlite::in_use;

constexpr const char* schema =
    "CREATE TABLE IF NOT EXISTS event_log_users ("
    " user_id TEXT PRIMARY KEY, epoch TEXT NOT NULL, last_seq INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS event_log_events ("
    " user_id TEXT NOT NULL, seq INTEGER NOT NULL, at_ms INTEGER NOT NULL, frame TEXT NOT NULL,"
    " resume TEXT, PRIMARY KEY (user_id, seq));";  // not WITHOUT ROWID: frames are large rows

// A file from before re-runs (issue #18) lacks the resume column.
void add_resume_column(sqlite3* db) {
  sqlite::statement cols(db, owner,
                         "SELECT 1 FROM pragma_table_info('event_log_events')"
                         " WHERE name = 'resume'");
  if (!cols.step()) exec(db, "ALTER TABLE event_log_events ADD COLUMN resume TEXT");
}

class sqlite_event_log final : public event_log_store {
 public:
  explicit sqlite_event_log(const std::string& path, bool full_sync) {
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
      std::string why = db_ ? sqlite3_errmsg(db_) : "no memory";
      sqlite3_close_v2(db_);
      throw store_error("sqlite event log: cannot open " + path + ": " + why);
    }
    try {
      sqlite3_busy_timeout(db_, busy_timeout_ms);
      {
        stmt wal(db_, "PRAGMA journal_mode=WAL");
        if (!wal.step() || wal.column_text(0) != "wal")
          throw store_error("sqlite event log: " + path + " cannot use WAL mode");
      }
      exec(db_, full_sync ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
      exec(db_, schema);
      add_resume_column(db_);
      upsert_user_ = std::make_unique<stmt>(
          db_,
          "INSERT INTO event_log_users (user_id, epoch, last_seq) VALUES (?1, ?2, ?3)"
          " ON CONFLICT (user_id) DO UPDATE SET epoch = excluded.epoch,"
          " last_seq = excluded.last_seq");
      delete_events_ =
          std::make_unique<stmt>(db_, "DELETE FROM event_log_events WHERE user_id = ?1");
      delete_user_ = std::make_unique<stmt>(db_, "DELETE FROM event_log_users WHERE user_id = ?1");
      insert_event_ = std::make_unique<stmt>(
          db_,
          "INSERT OR REPLACE INTO event_log_events (user_id, seq, at_ms, frame, resume)"
          " VALUES (?1, ?2, ?3, ?4, ?5)");
    } catch (...) {
      close();
      throw;
    }
  }
  ~sqlite_event_log() override { close(); }

  void append(const std::vector<event_log_user>& users,
              const std::vector<event_log_row>& rows) override {
    std::lock_guard<std::mutex> lock(mutex_);
    exec(db_, "BEGIN IMMEDIATE");
    try {
      for (const auto& u : users) {
        if (u.new_epoch) {
          resetting d(*delete_events_);
          d.s.text(1, u.user_id).step();
        }
        resetting up(*upsert_user_);
        up.s.text(1, u.user_id)
            .text(2, u.epoch)
            .integer(3, static_cast<std::int64_t>(u.last_seq))
            .step();
      }
      for (const auto& r : rows) {
        resetting in(*insert_event_);
        in.s.text(1, r.user_id)
            .integer(2, static_cast<std::int64_t>(r.seq))
            .integer(3, r.at_ms)
            .text(4, r.frame);
        if (!r.resume.empty()) in.s.text(5, r.resume);  // else NULL
        in.s.step();
      }
      exec(db_, "COMMIT");
    } catch (...) {
      sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
      throw;
    }
  }

  std::vector<stored_user> load() override {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<stored_user> out;
    exec(db_, "BEGIN");
    try {
      stmt users(db_, "SELECT user_id, epoch, last_seq FROM event_log_users ORDER BY user_id");
      while (users.step())
        out.push_back({users.column_text(0),
                       users.column_text(1),
                       static_cast<std::uint64_t>(users.column_int(2)),
                       {}});
      stmt events(db_,
                  "SELECT seq, at_ms, frame, resume FROM event_log_events WHERE user_id = ?1"
                  " ORDER BY seq");
      for (auto& u : out) {
        resetting q(events);
        q.s.text(1, u.user_id);
        while (q.s.step())
          u.events.push_back({static_cast<std::uint64_t>(q.s.column_int(0)), q.s.column_int(1),
                              q.s.column_text(2), q.s.column_text(3)});
      }
      exec(db_, "COMMIT");
    } catch (...) {
      sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
      throw;
    }
    return out;
  }

  void forget(std::string_view user_id) override {
    std::lock_guard<std::mutex> lock(mutex_);
    exec(db_, "BEGIN IMMEDIATE");
    try {
      {
        resetting d(*delete_events_);
        d.s.text(1, user_id).step();
      }
      resetting u(*delete_user_);
      u.s.text(1, user_id).step();
      exec(db_, "COMMIT");
    } catch (...) {
      sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
      throw;
    }
  }

  std::int64_t prune(std::int64_t cutoff_ms, std::uint64_t keep_events) override {
    std::lock_guard<std::mutex> lock(mutex_);
    stmt d(db_,
           "DELETE FROM event_log_events WHERE at_ms < ?1 AND seq + ?2 <= (SELECT last_seq FROM"
           " event_log_users u WHERE u.user_id = event_log_events.user_id)");
    d.integer(1, cutoff_ms).integer(2, static_cast<std::int64_t>(keep_events)).step();
    return sqlite3_changes(db_);
  }

  std::int64_t count() override {
    std::lock_guard<std::mutex> lock(mutex_);
    stmt q(db_, "SELECT COUNT(*) FROM event_log_events");
    return q.step() ? q.column_int(0) : 0;
  }

 private:
  void close() {
    upsert_user_.reset();
    delete_events_.reset();
    delete_user_.reset();
    insert_event_.reset();
    sqlite3_close_v2(db_);
    db_ = nullptr;
  }
  std::mutex mutex_;
  sqlite3* db_ = nullptr;
  std::unique_ptr<stmt> upsert_user_, delete_events_, delete_user_, insert_event_;
};

}  // namespace

std::unique_ptr<event_log_store> open_sqlite_event_log(const std::string& path, bool full_sync) {
  std::filesystem::path p(path);
  std::error_code ec;
  if (p.has_parent_path()) std::filesystem::create_directories(p.parent_path(), ec);
  if (ec)
    throw store_error("sqlite event log: cannot create " + p.parent_path().string() + ": " +
                      ec.message());
  return std::make_unique<sqlite_event_log>(path, full_sync);
}

}  // namespace aw::store
