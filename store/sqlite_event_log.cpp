// SQLite backend of the durable event log: its own file and connection in WAL
// mode. synchronous=NORMAL: a commit survives the process being killed (kill
// -9, OOM); DURABLE_LOG_SYNC=full (synchronous=FULL) also survives power loss.
//
// Checkpoints (copying the WAL into the database file, with an fsync of each)
// run on a thread of their own, on a second connection, so that the writer's
// commits, and so the delivery of events, mostly do not wait for them (see
// restart_pages below for the part the writer keeps).
#include <pthread.h>
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "store/event_log_store.hpp"
#include "store/history_store.hpp"  // store_error
#include "store/sqlite_statement.hpp"

namespace aw::store {
namespace {

constexpr int busy_timeout_ms = 5000;
// WAL pages (4 KiB) not yet copied after which the checkpointer runs (SQLite's
// own autocheckpoint runs every 1,000; a larger step copies a page that many
// commits rewrote, such as a b-tree leaf, once).
constexpr int checkpoint_pages = 2000;
// The WAL is written from its start again only when a transaction begins with
// every frame copied, which a checkpointer beside a steady writer never sees:
// from restart_pages on, the writer copies the few left itself (a pause of the
// size SQLite's autocheckpoint made after every 1,000 pages) right after a
// pass of the checkpointer; at max_wal_pages (the WAL's bound, 64 MiB), all.
constexpr int restart_pages = 8000;
constexpr int restart_left_pages = 1500;
constexpr int max_wal_pages = 16000;

constexpr std::string_view owner = "sqlite event log";

void exec(sqlite3* db, const char* sql) {
  sqlite::exec(db, owner, sql);
}

struct stmt : sqlite::statement {
  stmt(sqlite3* db, const char* sql) : sqlite::statement(db, owner, sql) {}
};
using resetting = sqlite::in_use;

// Rows are appended in rowid order and never looked up one by one on the
// event path: no (user_id, seq) index, whose leaf pages, one per user, each
// event would rewrite (a third of the log's CPU at 100 users). A row belongs to
// its user's history while its epoch is the user's mark's: a new history or a
// forgotten user leaves the old rows to prune(), not to a delete on the event
// path. The partial index finds the few rows a re-run's count is written to.
constexpr const char* schema =
    "CREATE TABLE IF NOT EXISTS event_log_users ("
    " user_id TEXT PRIMARY KEY, epoch TEXT NOT NULL, last_seq INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS event_log_rows ("
    " user_id TEXT NOT NULL, epoch TEXT NOT NULL, seq INTEGER NOT NULL, at_ms INTEGER NOT NULL,"
    " frame TEXT NOT NULL, resume TEXT);"
    "CREATE INDEX IF NOT EXISTS event_log_rows_resume ON event_log_rows (user_id, seq)"
    " WHERE resume IS NOT NULL;";

// A file of an earlier version keeps its events in event_log_events (keyed by
// (user_id, seq), perhaps without `resume`): moved over once, in one transaction.
void migrate_events_table(sqlite3* db) {
  {
    sqlite::statement old(db, owner,
                          "SELECT 1 FROM sqlite_master WHERE type = 'table'"
                          " AND name = 'event_log_events'");
    if (!old.step()) return;
  }
  bool has_resume = false;
  {
    sqlite::statement cols(db, owner,
                           "SELECT 1 FROM pragma_table_info('event_log_events')"
                           " WHERE name = 'resume'");
    has_resume = cols.step();
  }
  exec(db, "BEGIN IMMEDIATE");
  try {
    exec(db, has_resume ? "INSERT INTO event_log_rows (user_id, epoch, seq, at_ms, frame, resume)"
                          " SELECT e.user_id, u.epoch, e.seq, e.at_ms, e.frame, e.resume"
                          " FROM event_log_events e JOIN event_log_users u USING (user_id)"
                          " ORDER BY e.user_id, e.seq"
                        : "INSERT INTO event_log_rows (user_id, epoch, seq, at_ms, frame)"
                          " SELECT e.user_id, u.epoch, e.seq, e.at_ms, e.frame"
                          " FROM event_log_events e JOIN event_log_users u USING (user_id)"
                          " ORDER BY e.user_id, e.seq");
    exec(db, "DROP TABLE event_log_events");
    exec(db, "COMMIT");
  } catch (...) {
    sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
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
      const char* sync = full_sync ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL";
      exec(db_, sync);
      exec(db_, schema);
      migrate_events_table(db_);
      upsert_user_ = std::make_unique<stmt>(
          db_,
          "INSERT INTO event_log_users (user_id, epoch, last_seq) VALUES (?1, ?2, ?3)"
          " ON CONFLICT (user_id) DO UPDATE SET epoch = excluded.epoch,"
          " last_seq = excluded.last_seq");
      delete_user_ = std::make_unique<stmt>(db_, "DELETE FROM event_log_users WHERE user_id = ?1");
      insert_event_ = std::make_unique<stmt>(
          db_,
          "INSERT INTO event_log_rows (user_id, epoch, seq, at_ms, frame, resume)"
          " VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
      // Prepared once: a batch is a transaction, ~1,000 a second under load,
      // and sqlite3_exec would parse each BEGIN and COMMIT again.
      begin_ = std::make_unique<stmt>(db_, "BEGIN IMMEDIATE");
      commit_ = std::make_unique<stmt>(db_, "COMMIT");
      if (sqlite3_open_v2(path.c_str(), &checkpoint_db_, flags, nullptr) != SQLITE_OK)
        throw store_error("sqlite event log: cannot open " + path + " to checkpoint: " +
                          (checkpoint_db_ ? sqlite3_errmsg(checkpoint_db_) : "no memory"));
      sqlite3_busy_timeout(checkpoint_db_, busy_timeout_ms);
      exec(checkpoint_db_, sync);
      // Replaces SQLite's autocheckpoint (which would run on this connection).
      sqlite3_wal_hook(db_, &sqlite_event_log::on_commit, this);
      checkpointer_ = std::thread([this] { checkpoint_loop(); });
    } catch (...) {
      close();
      throw;
    }
  }
  ~sqlite_event_log() override { close(); }

  void append(const std::vector<event_log_user>& users,
              const std::vector<event_log_row>& rows) override {
    std::lock_guard<std::mutex> lock(mutex_);
    begin();
    try {
      // A batch names each of its rows' users once, with the history's epoch.
      std::unordered_map<std::string_view, std::string_view> epochs;
      epochs.reserve(users.size());
      for (const auto& u : users) epochs[u.user_id] = u.epoch;
      for (const auto& u : users) {
        resetting up(*upsert_user_);
        up.s.text(1, u.user_id)
            .text(2, u.epoch)
            .integer(3, static_cast<std::int64_t>(u.last_seq))
            .step();
      }
      std::string_view user;
      std::string_view epoch;
      for (const auto& r : rows) {
        if (r.user_id != user) {  // runs of one user's rows look it up once
          auto it = epochs.find(r.user_id);
          if (it == epochs.end())
            throw store_error("sqlite event log: a row of a user the batch does not name");
          user = r.user_id;
          epoch = it->second;
        }
        resetting in(*insert_event_);
        in.s.text(1, r.user_id)
            .text(2, epoch)
            .integer(3, static_cast<std::int64_t>(r.seq))
            .integer(4, r.at_ms)
            .text(5, r.frame);
        if (!r.resume.empty()) in.s.text(6, r.resume);  // else NULL
        in.s.step();
      }
      commit();
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
      std::unordered_map<std::string, std::size_t> at;  // user -> index in `out`
      while (users.step()) {
        out.push_back({users.column_text(0),
                       users.column_text(1),
                       static_cast<std::uint64_t>(users.column_int(2)),
                       {}});
        at.emplace(out.back().user_id, out.size() - 1);
      }
      // One pass in the order written (no sort of large rows); each user's
      // rows of its current epoch.
      stmt events(db_,
                  "SELECT r.user_id, r.seq, r.at_ms, r.frame, r.resume FROM event_log_rows r"
                  " JOIN event_log_users u ON u.user_id = r.user_id AND u.epoch = r.epoch"
                  " ORDER BY r.rowid");
      while (events.step()) {
        auto it = at.find(events.column_text(0));
        if (it == at.end()) continue;
        out[it->second].events.push_back({static_cast<std::uint64_t>(events.column_int(1)),
                                          events.column_int(2), events.column_text(3),
                                          events.column_text(4)});
      }
      exec(db_, "COMMIT");
      for (auto& u : out) {
        auto& ev = u.events;
        std::stable_sort(ev.begin(), ev.end(), [](const stored_event& a, const stored_event& b) {
          return a.seq < b.seq;
        });
        // A seq written twice (not expected: a failed batch is rolled back) keeps its last row.
        auto last = std::unique(ev.rbegin(), ev.rend(),
                                [](const auto& a, const auto& b) { return a.seq == b.seq; });
        ev.erase(ev.begin(), last.base());
      }
    } catch (...) {
      sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
      throw;
    }
    return out;
  }

  void forget(std::string_view user_id) override {
    std::lock_guard<std::mutex> lock(mutex_);
    begin();
    try {
      resetting u(*delete_user_);  // its rows, now of no history, go at the next prune()
      u.s.text(1, user_id).step();
      commit();
    } catch (...) {
      sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
      throw;
    }
  }

  std::int64_t prune(std::int64_t cutoff_ms, std::uint64_t keep_events) override {
    std::lock_guard<std::mutex> lock(mutex_);
    // Kept: rows of a user's current history that are recent or among its
    // newest keep_events; gone: the rest, and rows of no history.
    stmt d(db_,
           "DELETE FROM event_log_rows WHERE NOT EXISTS (SELECT 1 FROM event_log_users u"
           " WHERE u.user_id = event_log_rows.user_id AND u.epoch = event_log_rows.epoch"
           " AND (event_log_rows.at_ms >= ?1 OR event_log_rows.seq + ?2 > u.last_seq))");
    d.integer(1, cutoff_ms).integer(2, static_cast<std::int64_t>(keep_events)).step();
    return sqlite3_changes(db_);
  }

  void set_resume(std::string_view user_id, std::uint64_t seq, std::string_view resume) override {
    std::lock_guard<std::mutex> lock(mutex_);
    stmt u(db_,
           "UPDATE event_log_rows SET resume = ?3 WHERE user_id = ?1 AND seq = ?2"
           " AND resume IS NOT NULL"
           " AND epoch = (SELECT epoch FROM event_log_users WHERE user_id = ?1)");
    u.text(1, user_id).integer(2, static_cast<std::int64_t>(seq)).text(3, resume).step();
  }

  std::int64_t count() override {
    std::lock_guard<std::mutex> lock(mutex_);
    stmt q(db_, "SELECT COUNT(*) FROM event_log_rows");
    return q.step() ? q.column_int(0) : 0;
  }

 private:
  // After each commit on db_ (the writer, under mutex_): `pages` in the WAL.
  static int on_commit(void* self, sqlite3* db, const char*, int pages) {
    auto* log = static_cast<sqlite_event_log*>(self);
    // Pages the checkpointer has copied; fewer in the WAL: it restarted, and
    // the count starts again from 0.
    int copied = log->checkpointed_pages_.load(std::memory_order_relaxed);
    if (pages < copied) {
      log->checkpointed_pages_.compare_exchange_strong(copied, 0, std::memory_order_relaxed);
      copied = 0;
    }
    const int left = pages - copied;
    if ((pages >= restart_pages && left <= restart_left_pages) || pages >= max_wal_pages) {
      // Busy while the checkpointer is at it: the next commit tries again.
      sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
      return SQLITE_OK;
    }
    // Counted from what is copied: a WAL that has not restarted would
    // otherwise ask for a pass (two fsyncs) after every commit.
    if (left >= checkpoint_pages) {
      {
        std::lock_guard<std::mutex> lock(log->checkpoint_mutex_);
        if (log->checkpoint_wanted_) return SQLITE_OK;
        log->checkpoint_wanted_ = true;
      }
      log->checkpoint_wake_.notify_one();
    }
    return SQLITE_OK;
  }
  void checkpoint_loop() {
    pthread_setname_np(pthread_self(), "aw.log_ckpt");
    std::unique_lock<std::mutex> lock(checkpoint_mutex_);
    for (;;) {
      checkpoint_wake_.wait(lock, [&] { return checkpoint_wanted_ || checkpoint_stop_; });
      if (checkpoint_stop_) return;
      checkpoint_wanted_ = false;
      lock.unlock();
      // PASSIVE: copies what no reader needs, never blocks the writer. A
      // failure (busy, I/O) is left to the next commit's request or to the
      // writer's own checkpoint.
      int log_pages = 0;
      int copied = 0;
      if (sqlite3_wal_checkpoint_v2(checkpoint_db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, &log_pages,
                                    &copied) == SQLITE_OK)
        checkpointed_pages_.store(copied, std::memory_order_relaxed);
      lock.lock();
    }
  }
  void begin() {
    resetting b(*begin_);
    b.s.step();
  }
  void commit() {
    resetting c(*commit_);
    c.s.step();
  }
  void close() {
    if (checkpointer_.joinable()) {
      {
        std::lock_guard<std::mutex> lock(checkpoint_mutex_);
        checkpoint_stop_ = true;
      }
      checkpoint_wake_.notify_one();
      checkpointer_.join();
    }
    sqlite3_close_v2(checkpoint_db_);  // first: the last connection to close checkpoints
    checkpoint_db_ = nullptr;
    begin_.reset();
    commit_.reset();
    upsert_user_.reset();
    delete_user_.reset();
    insert_event_.reset();
    sqlite3_close_v2(db_);
    db_ = nullptr;
  }
  std::mutex mutex_;
  sqlite3* db_ = nullptr;
  std::unique_ptr<stmt> upsert_user_, delete_user_, insert_event_;
  std::unique_ptr<stmt> begin_, commit_;
  sqlite3* checkpoint_db_ = nullptr;  // used by checkpointer_ only
  std::thread checkpointer_;
  std::mutex checkpoint_mutex_;
  std::condition_variable checkpoint_wake_;
  bool checkpoint_wanted_ = false;
  std::atomic<int> checkpointed_pages_{0};  // of the WAL, by the last pass
  bool checkpoint_stop_ = false;
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
