// PostgreSQL backend of the durable event log (STORE_URL=postgresql://...):
// the log of one node (NODE_ID) in the shared database, so that the node
// restarted on another machine with the same NODE_ID (a StatefulSet pod
// rescheduled) finds its users again. Fenced by a lease epoch per node: each
// open takes the next epoch, and every append first locks the node's row and
// checks that the epoch is still its own. An older process with the same
// NODE_ID that is still alive is refused from then on, and, since events are
// sent only once durable, can send nothing more.
//
// Takeover (several gateways on one database): every write, and renew() when
// the node is idle, extends the node's lease (lease_expires_ms, on the
// database server's clock). A user that connects to another gateway while its
// node's lease has expired is claimed there: in one transaction the dead
// node's lease epoch is bumped (fencing it whole: a late write of it fails, so
// it sends nothing more) and the user's rows move to the claiming node. While
// the lease is live the claim is refused (owned_elsewhere): two live gateways
// never both own one user. Node rows are locked in the order own, then other;
// two nodes claiming from each other at once is a deadlock the server breaks
// by failing one claim (an error, retried by the client's reconnect).
#include <libpq-fe.h>

#include <algorithm>
#include <mutex>

#include "store/event_log_store.hpp"
#include "store/history_store.hpp"  // store_error

namespace aw::store {
namespace {

constexpr const char* schema =
    "SELECT pg_advisory_xact_lock(4171296533);"
    "CREATE TABLE IF NOT EXISTS event_log_nodes ("
    " node_id TEXT PRIMARY KEY, lease_epoch BIGINT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS event_log_users ("
    " node_id TEXT NOT NULL, user_id TEXT NOT NULL, epoch TEXT NOT NULL,"
    " last_seq BIGINT NOT NULL, PRIMARY KEY (node_id, user_id));"
    "CREATE TABLE IF NOT EXISTS event_log_events ("
    " node_id TEXT NOT NULL, user_id TEXT NOT NULL, seq BIGINT NOT NULL,"
    " at_ms BIGINT NOT NULL, frame TEXT NOT NULL, resume TEXT,"
    " PRIMARY KEY (node_id, user_id, seq));"
    // The rest only once (an ALTER TABLE, even one with nothing to do, takes
    // the table's exclusive lock: run at every open it would deadlock with
    // another gateway's claim or load).
    "DO $$ BEGIN"
    " IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'event_log_users'::regclass"
    "  AND attname = 'released' AND NOT attisdropped) THEN"
    // Frames are mostly base64 images, which do not compress: skip TOAST's
    // compression (CPU on the database server for nothing).
    "  ALTER TABLE event_log_events ALTER COLUMN frame SET STORAGE EXTERNAL;"
    "  ALTER TABLE event_log_nodes ADD COLUMN IF NOT EXISTS lease_expires_ms BIGINT NOT NULL"
    "   DEFAULT 0;"
    "  CREATE INDEX IF NOT EXISTS event_log_users_by_user ON event_log_users (user_id);"
    "  ALTER TABLE event_log_users ADD COLUMN IF NOT EXISTS owner_epoch BIGINT NOT NULL DEFAULT 0,"
    "   ADD COLUMN IF NOT EXISTS wanted BOOLEAN NOT NULL DEFAULT false,"
    "   ADD COLUMN IF NOT EXISTS released BOOLEAN NOT NULL DEFAULT false;"
    " END IF;"
    // Re-runs (issue #18): what a run needs to be run again, on its events.
    " IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'event_log_events'::regclass"
    "  AND attname = 'resume' AND NOT attisdropped) THEN"
    "  ALTER TABLE event_log_events ADD COLUMN resume TEXT;"
    " END IF;"
    " END $$;";

// The database server's clock in ms: the one clock every node's lease is read on.
#define AW_PG_NOW_MS "(extract(epoch from clock_timestamp()) * 1000)::bigint"

std::string trimmed(const char* message) {
  std::string s = message ? message : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

struct result {
  PGresult* r;
  explicit result(PGresult* r) : r(r) {}
  result(result&& o) noexcept : r(o.r) { o.r = nullptr; }
  ~result() { PQclear(r); }
  result(const result&) = delete;
  result& operator=(const result&) = delete;
  int rows() const { return PQntuples(r); }
  std::string text(int row, int col) const {
    return std::string(PQgetvalue(r, row, col), static_cast<std::size_t>(PQgetlength(r, row, col)));
  }
  std::int64_t integer(int row, int col) const { return std::stoll(PQgetvalue(r, row, col)); }
  std::int64_t affected() const {
    const char* n = PQcmdTuples(r);
    return n && *n ? std::stoll(n) : 0;
  }
};

class postgres_event_log final : public event_log_store {
 public:
  postgres_event_log(std::string url, std::string node_id, bool full_sync, std::int64_t lease_ms)
      : url_(std::move(url)),
        node_(std::move(node_id)),
        lease_ms_(std::to_string(lease_ms)),
        full_sync_(full_sync) {
    try {
      connect();
      transaction([&] {
        script(schema);
        auto r = exec(
            "INSERT INTO event_log_nodes (node_id, lease_epoch, lease_expires_ms)"
            " VALUES ($1, 1, " AW_PG_NOW_MS
            " + $2)"
            " ON CONFLICT (node_id) DO UPDATE SET lease_epoch = event_log_nodes.lease_epoch + 1,"
            " lease_expires_ms = excluded.lease_expires_ms RETURNING lease_epoch",
            {node_, lease_ms_});
        lease_epoch_ = r.integer(0, 0);
      });
    } catch (...) {
      if (conn_) PQfinish(conn_);
      throw;
    }
  }
  ~postgres_event_log() override {
    if (conn_) PQfinish(conn_);
  }

  std::int64_t lease_epoch() const { return lease_epoch_; }

  void append(const std::vector<event_log_user>& users,
              const std::vector<event_log_row>& rows) override {
    std::lock_guard<std::mutex> lock(mutex_);
    transaction([&] {
      fence();
      for (const auto& u : users) {
        std::string user(u.user_id);
        if (u.new_epoch)
          exec("DELETE FROM event_log_events WHERE node_id = $1 AND user_id = $2", {node_, user});
        exec(
            "INSERT INTO event_log_users (node_id, user_id, epoch, last_seq)"
            " VALUES ($1, $2, $3, $4) ON CONFLICT (node_id, user_id) DO UPDATE"
            " SET epoch = excluded.epoch, last_seq = excluded.last_seq",
            {node_, user, std::string(u.epoch), std::to_string(u.last_seq)});
      }
      insert_rows(rows);
    });
  }

  std::vector<stored_user> load() override {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<stored_user> out;
    transaction([&] {
      out.clear();
      auto users = exec(
          "SELECT user_id, epoch, last_seq, owner_epoch FROM event_log_users"
          " WHERE node_id = $1 AND NOT released ORDER BY user_id",
          {node_});
      for (int i = 0; i < users.rows(); ++i)
        out.push_back({users.text(i, 0),
                       users.text(i, 1),
                       static_cast<std::uint64_t>(users.integer(i, 2)),
                       {},
                       users.integer(i, 3)});
      auto events = exec(
          "SELECT user_id, seq, at_ms, frame, resume FROM event_log_events WHERE node_id = $1"
          " ORDER BY user_id, seq",
          {node_});
      std::size_t u = 0;
      for (int i = 0; i < events.rows(); ++i) {
        auto user = events.text(i, 0);
        while (u < out.size() && out[u].user_id < user) ++u;
        if (u == out.size() || out[u].user_id != user) continue;  // rows without a mark
        out[u].events.push_back({static_cast<std::uint64_t>(events.integer(i, 1)),
                                 events.integer(i, 2), events.text(i, 3), events.text(i, 4)});
      }
    });
    return out;
  }

  void forget(std::string_view user_id) override {
    std::lock_guard<std::mutex> lock(mutex_);
    transaction([&] {
      fence();
      std::string user(user_id);
      exec("DELETE FROM event_log_events WHERE node_id = $1 AND user_id = $2", {node_, user});
      exec("DELETE FROM event_log_users WHERE node_id = $1 AND user_id = $2", {node_, user});
    });
  }

  std::int64_t prune(std::int64_t cutoff_ms, std::uint64_t keep_events) override {
    std::lock_guard<std::mutex> lock(mutex_);
    std::int64_t removed = 0;
    transaction([&] {
      removed = exec(
                    "DELETE FROM event_log_events e USING event_log_users u"
                    " WHERE e.node_id = $1 AND u.node_id = e.node_id AND u.user_id = e.user_id"
                    " AND e.at_ms < $2 AND e.seq + $3 <= u.last_seq",
                    {node_, std::to_string(cutoff_ms), std::to_string(keep_events)})
                    .affected();
    });
    return removed;
  }

  void set_resume(std::string_view user_id, std::uint64_t seq, std::string_view resume) override {
    std::lock_guard<std::mutex> lock(mutex_);
    transaction([&] {
      fence();
      exec(
          "UPDATE event_log_events SET resume = $4 WHERE node_id = $1 AND user_id = $2 AND"
          " seq = $3",
          {node_, std::string(user_id), std::to_string(seq), std::string(resume)});
    });
  }

  std::int64_t count() override {
    std::lock_guard<std::mutex> lock(mutex_);
    std::int64_t n = 0;
    transaction([&] {
      n = exec("SELECT COUNT(*) FROM event_log_events WHERE node_id = $1", {node_}).integer(0, 0);
    });
    return n;
  }

  void renew() override {
    std::lock_guard<std::mutex> lock(mutex_);
    transaction([&] { fence(); });
  }

  bool shared() const override { return true; }

  claim_result claim(std::string_view user_id, std::string_view new_epoch) override {
    std::lock_guard<std::mutex> lock(mutex_);
    claim_result out;
    std::string user(user_id);
    transaction([&] {
      out = claim_result{};
      fence();
      // Claims of one user, from any node, one at a time.
      exec("SELECT pg_advisory_xact_lock(18, hashtext($1))", {user});
      auto others = exec(
          "SELECT node_id, released FROM event_log_users WHERE user_id = $1 AND node_id <> $2"
          " ORDER BY last_seq DESC, node_id",
          {user, node_});
      std::vector<std::string> dead;  // or released: their rows may move here
      bool all_released = true;
      for (int i = 0; i < others.rows(); ++i) {
        auto other = others.text(i, 0);
        auto n = exec("SELECT lease_expires_ms > " AW_PG_NOW_MS
                      " FROM event_log_nodes WHERE node_id = $1 FOR UPDATE",
                      {other});
        bool released = others.text(i, 1) == "t";
        if (!released && n.rows() == 1 && n.text(0, 0) == "t") {
          // Asked for: the owner hands the user over once its session there is idle.
          exec("UPDATE event_log_users SET wanted = true WHERE node_id = $1 AND user_id = $2",
               {other, user});
          out.result = claim_result::outcome::owned_elsewhere;
          out.from_node = other;
          return;  // commits that and our renewal only
        }
        if (!released) all_released = false;
        dead.push_back(std::move(other));
      }
      for (std::size_t i = 0; i < dead.size(); ++i) {
        if (!all_released)  // a dead holder is fenced (a released one is alive and clean)
          exec("UPDATE event_log_nodes SET lease_epoch = lease_epoch + 1 WHERE node_id = $1",
               {dead[i]});
        if (i > 0) {  // a second dead holder (should not happen): the fuller history wins
          exec("DELETE FROM event_log_events WHERE node_id = $1 AND user_id = $2", {dead[i], user});
          exec("DELETE FROM event_log_users WHERE node_id = $1 AND user_id = $2", {dead[i], user});
        }
      }
      if (!dead.empty()) {
        exec("DELETE FROM event_log_events WHERE node_id = $1 AND user_id = $2", {node_, user});
        exec("DELETE FROM event_log_users WHERE node_id = $1 AND user_id = $2", {node_, user});
        exec("UPDATE event_log_users SET node_id = $1 WHERE node_id = $2 AND user_id = $3",
             {node_, dead[0], user});
        exec("UPDATE event_log_events SET node_id = $1 WHERE node_id = $2 AND user_id = $3",
             {node_, dead[0], user});
        out.result =
            all_released ? claim_result::outcome::handed_over : claim_result::outcome::taken_over;
        out.from_node = dead[0];
      }
      // Ours now: a newer claim than any release a former session here may still send.
      auto mark = exec(
          "UPDATE event_log_users SET owner_epoch = owner_epoch + 1, wanted = false,"
          " released = false WHERE node_id = $1 AND user_id = $2"
          " RETURNING epoch, last_seq, owner_epoch",
          {node_, user});
      if (mark.rows() == 0) {
        exec(
            "INSERT INTO event_log_users (node_id, user_id, epoch, last_seq, owner_epoch)"
            " VALUES ($1, $2, $3, 0, 1)",
            {node_, user, std::string(new_epoch)});
        out.result = claim_result::outcome::fresh;
        out.user.owner_epoch = 1;
        return;
      }
      if (dead.empty()) out.result = claim_result::outcome::own;
      out.user.user_id = user;
      out.user.epoch = mark.text(0, 0);
      out.user.last_seq = static_cast<std::uint64_t>(mark.integer(0, 1));
      out.user.owner_epoch = mark.integer(0, 2);
      auto events = exec(
          "SELECT seq, at_ms, frame, resume FROM event_log_events WHERE node_id = $1 AND"
          " user_id = $2 ORDER BY seq",
          {node_, user});
      for (int i = 0; i < events.rows(); ++i)
        out.user.events.push_back({static_cast<std::uint64_t>(events.integer(i, 0)),
                                   events.integer(i, 1), events.text(i, 2), events.text(i, 3)});
    });
    return out;
  }

  std::vector<std::string> orphans(std::size_t limit) override {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<std::string> out;
    transaction([&] {
      out.clear();
      auto r = exec(
          "SELECT u.user_id FROM event_log_users u JOIN event_log_nodes n USING (node_id)"
          " WHERE u.node_id <> $1 AND n.lease_expires_ms < " AW_PG_NOW_MS
          " AND $1 = (SELECT min(node_id) FROM event_log_nodes"
          "  WHERE lease_expires_ms >= " AW_PG_NOW_MS ")"
          " ORDER BY u.user_id LIMIT $2",
          {node_, std::to_string(limit)});
      for (int i = 0; i < r.rows(); ++i) out.push_back(r.text(i, 0));
    });
    return out;
  }

  std::vector<std::string> wanted() override {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<std::string> out;
    transaction([&] {
      out.clear();
      auto r = exec(
          "SELECT user_id FROM event_log_users WHERE node_id = $1 AND wanted AND NOT released"
          " LIMIT 1000",
          {node_});
      for (int i = 0; i < r.rows(); ++i) out.push_back(r.text(i, 0));
    });
    return out;
  }

  void release(std::string_view user_id, std::int64_t owner_epoch) override {
    std::lock_guard<std::mutex> lock(mutex_);
    transaction([&] {
      fence();
      exec(
          "UPDATE event_log_users SET released = true, wanted = false"
          " WHERE node_id = $1 AND user_id = $2 AND owner_epoch = $3",
          {node_, std::string(user_id), std::to_string(owner_epoch)});
    });
  }

 private:
  // One statement per up to rows_per_statement rows (a round trip each, not one a row).
  void insert_rows(const std::vector<event_log_row>& rows) {
    constexpr std::size_t rows_per_statement = 1000;  // 5 parameters a row, under 65535
    for (std::size_t from = 0; from < rows.size(); from += rows_per_statement) {
      std::size_t n = std::min(rows_per_statement, rows.size() - from);
      std::string sql =
          "INSERT INTO event_log_events (node_id, user_id, seq, at_ms, frame, resume) VALUES ";
      std::vector<std::string> params{node_};
      params.reserve(1 + 5 * n);
      for (std::size_t i = 0; i < n; ++i) {
        const auto& r = rows[from + i];
        auto p = [&](std::size_t k) { return "$" + std::to_string(2 + 5 * i + k); };
        sql +=
            (i ? ",($1," : "($1,") + p(0) + "," + p(1) + "," + p(2) + "," + p(3) + "," + p(4) + ")";
        params.emplace_back(r.user_id);
        params.push_back(std::to_string(r.seq));
        params.push_back(std::to_string(r.at_ms));
        params.emplace_back(r.frame);
        params.emplace_back(r.resume);
      }
      sql +=
          " ON CONFLICT (node_id, user_id, seq) DO UPDATE SET at_ms = excluded.at_ms,"
          " frame = excluded.frame, resume = excluded.resume";
      exec(sql.c_str(), params);
    }
  }

  // Inside a transaction: the node's row locked, its epoch still ours, its
  // lease renewed (committed with the transaction).
  void fence() {
    auto r = exec("UPDATE event_log_nodes SET lease_expires_ms = " AW_PG_NOW_MS
                  " + $3 WHERE node_id = $1 AND lease_epoch = $2",
                  {node_, std::to_string(lease_epoch_), lease_ms_});
    if (r.affected() != 1)
      throw fenced_error("postgresql event log: fenced: node " + node_ +
                         "'s log was opened again or its users taken over (this process's lease "
                         "epoch " +
                         std::to_string(lease_epoch_) + " is no longer current)");
  }

  void connect() {
    const char* keys[] = {"connect_timeout",
                          "keepalives_idle",
                          "keepalives_interval",
                          "keepalives_count",
                          "application_name",
                          "client_encoding",
                          "dbname",
                          nullptr};
    const char* values[] = {"5",    "10",         "5",    "3", "agentwire-event-log",
                            "UTF8", url_.c_str(), nullptr};
    if (conn_) PQfinish(conn_);
    conn_ = PQconnectdbParams(keys, values, 1);
    if (conn_ == nullptr) throw store_error("postgresql event log: out of memory");
    if (PQstatus(conn_) != CONNECTION_OK)
      throw store_error("postgresql event log: cannot connect: " + trimmed(PQerrorMessage(conn_)));
    script("SET statement_timeout = '30s'");
    // A process frozen inside a transaction (SIGSTOP, a VM paused) would hold
    // its node row's lock and keep its successor from opening: the server
    // ends such a session, and the frozen process finds itself fenced.
    script("SET idle_in_transaction_session_timeout = '10s'");
    // Like SQLite's synchronous=NORMAL: a commit survives this process
    // dying; a crash of the database server may lose its last commits (WAL
    // not yet flushed, up to 3 x wal_writer_delay). DURABLE_LOG_FSYNC=1 waits
    // for the flush.
    script(full_sync_ ? "SET synchronous_commit = on" : "SET synchronous_commit = off");
  }

  void check(PGresult* raw) {
    auto status = PQresultStatus(raw);
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return;
    std::string message = raw ? trimmed(PQresultErrorMessage(raw)) : "";
    if (message.empty()) message = trimmed(PQerrorMessage(conn_));
    throw store_error("postgresql event log: " + message);
  }

  void script(const char* sql) {
    result r(PQexec(conn_, sql));
    check(r.r);
  }

  result exec(const char* sql, const std::vector<std::string>& params) {
    std::vector<const char*> values;
    for (const auto& p : params) values.push_back(p.c_str());
    result r(PQexecParams(conn_, sql, static_cast<int>(values.size()), nullptr, values.data(),
                          nullptr, nullptr, 0));
    check(r.r);
    return r;
  }

  // A lost connection is made again for the next call (the failed one throws).
  template <class F>
  void transaction(F&& body) {
    if (conn_ == nullptr || PQstatus(conn_) != CONNECTION_OK) connect();
    script("BEGIN");
    try {
      body();
      script("COMMIT");
    } catch (...) {
      if (PQstatus(conn_) == CONNECTION_OK) PQclear(PQexec(conn_, "ROLLBACK"));
      throw;
    }
  }

  std::mutex mutex_;
  std::string url_;
  std::string node_;
  std::string lease_ms_;
  PGconn* conn_ = nullptr;
  std::int64_t lease_epoch_ = 0;
  bool full_sync_ = false;
};

}  // namespace

std::unique_ptr<event_log_store> open_postgres_event_log(const std::string& url,
                                                         const std::string& node_id, bool full_sync,
                                                         std::int64_t lease_ms) {
  return std::make_unique<postgres_event_log>(url, node_id, full_sync, lease_ms);
}

}  // namespace aw::store
