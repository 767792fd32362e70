// PostgreSQL backend over libpq: parameterised statements, one transaction
// per batch, the schema migrated at open under a transaction-scoped advisory
// lock (two gateways starting at once take turns). A lost connection is made
// again on the next call; every wait is bounded (connect, TCP, statements).
#include <libpq-fe.h>

#include <chrono>
#include <mutex>
#include <type_traits>

#include "store/backends.hpp"
#include "store/migrations.hpp"
#include "store/sql.hpp"
#include "store/text.hpp"

namespace aw::store {
namespace {

constexpr const char* migration_lock = "SELECT pg_advisory_xact_lock(4171296532)";
constexpr const char* statement_timeout = "SET statement_timeout = '30s'";

std::int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

// ?N (SQLite) -> $N (PostgreSQL); the statements hold no other '?'.
std::string pg_sql(const char* sqlite_sql) {
  std::string s(sqlite_sql);
  for (char& c : s)
    if (c == '?') c = '$';
  return s;
}

std::string trimmed(const char* message) {
  std::string s = message ? message : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

class result {
 public:
  explicit result(PGresult* r) : r_(r) {}
  ~result() { PQclear(r_); }
  result(result&& o) noexcept : r_(o.r_) { o.r_ = nullptr; }
  result(const result&) = delete;
  result& operator=(const result&) = delete;

  int rows() const { return PQntuples(r_); }
  std::string text(int row, int col) const {
    return std::string(PQgetvalue(r_, row, col),
                       static_cast<std::size_t>(PQgetlength(r_, row, col)));
  }
  std::int64_t integer(int row, int col) const { return std::stoll(PQgetvalue(r_, row, col)); }
  std::int64_t affected() const {
    const char* n = PQcmdTuples(r_);
    return n && *n ? std::stoll(n) : 0;
  }

 private:
  PGresult* r_;
};

class postgres_store final : public history_store {
 public:
  explicit postgres_store(std::string url) : url_(std::move(url)) {
    try {
      connect();
      migrate();
    } catch (...) {
      if (conn_) PQfinish(conn_);
      throw;
    }
  }
  ~postgres_store() override {
    if (conn_) PQfinish(conn_);
  }

  void write(const std::vector<history_write>& batch) override {
    static const std::string started = pg_sql(sql::upsert_started);
    static const std::string completed = pg_sql(sql::upsert_completed);
    static const std::string conversation = pg_sql(sql::upsert_conversation);
    std::lock_guard<std::mutex> lock(mutex_);
    in_transaction([&] {
      for (const auto& raw : batch) {
        history_write w = cleaned(raw);
        std::string at = std::to_string(w.at_ms);
        if (w.what == history_write::kind::started)
          exec(started, {w.user_id, w.run_id, w.conversation_id, w.correlation_id, w.message_id, at,
                         w.request_json});
        else
          exec(completed, {w.user_id, w.run_id, w.conversation_id, w.correlation_id, w.message_id,
                           at, w.status, w.response_json});
        exec(conversation, {w.user_id, w.conversation_id, title_of(w), at});
      }
    });
  }

  std::vector<conversation_summary> conversations(const std::string& user_id,
                                                  const page& p) override {
    static const std::string select = pg_sql(sql::select_conversations);
    std::lock_guard<std::mutex> lock(mutex_);
    result r = with_reconnect([&] {
      ensure_connected();
      return exec(select, {clean_text(user_id), std::to_string(p.before_ms.value_or(INT64_MAX)),
                           clean_text(p.before_id), std::to_string(clamp_limit(p.limit))});
    });
    std::vector<conversation_summary> out;
    for (int i = 0; i < r.rows(); ++i)
      out.push_back(
          {r.text(i, 0), r.text(i, 1), r.integer(i, 2), r.integer(i, 3), r.integer(i, 4)});
    return out;
  }

  std::optional<std::vector<message_record>> messages(const std::string& user_id,
                                                      const std::string& conversation_id,
                                                      const page& p) override {
    static const std::string exists = pg_sql(sql::conversation_exists);
    static const std::string select = pg_sql(sql::select_messages);
    std::lock_guard<std::mutex> lock(mutex_);
    std::string user = clean_text(user_id);
    std::string conversation = clean_text(conversation_id);
    std::optional<std::vector<message_record>> out;
    // REPEATABLE READ: both reads see one snapshot.
    in_transaction(
        [&] {
          out.reset();  // a retried transaction starts again
          if (exec(exists, {user, conversation}).rows() == 0) return;
          result r =
              exec(select, {user, conversation, std::to_string(p.before_ms.value_or(INT64_MAX)),
                            clean_text(p.before_id), std::to_string(clamp_limit(p.limit))});
          out.emplace();
          for (int i = r.rows() - 1; i >= 0; --i)
            out->push_back({r.text(i, 0), r.text(i, 1), r.text(i, 2), r.integer(i, 3), r.text(i, 4),
                            r.text(i, 5), r.text(i, 6), r.integer(i, 7)});
        },
        "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    return out;
  }

  std::int64_t remove_older_than(std::int64_t cutoff_ms) override {
    static const std::string messages = pg_sql(sql::delete_old_messages);
    static const std::string conversations = pg_sql(sql::delete_empty_conversations);
    std::lock_guard<std::mutex> lock(mutex_);
    std::int64_t removed = 0;
    in_transaction([&] {
      std::string cutoff = std::to_string(cutoff_ms);
      removed = exec(messages, {cutoff}).affected();
      exec(conversations, {cutoff});
      exec("DELETE FROM history_charts WHERE created_ms < $1", {cutoff});
    });
    return removed;
  }

  bool ping() override {
    std::lock_guard<std::mutex> lock(mutex_);
    try {
      return with_reconnect([&] {
        ensure_connected();
        return exec(sql::ping, {}).rows() == 1;
      });
    } catch (const store_error&) {
      return false;
    }
  }

  const char* backend() const override { return "postgresql"; }

  bool keeps_charts() const override { return true; }

  // The bytes travel as hex text (PQexecParams in text mode).
  void put_chart(const std::string& id, const std::string& owner, const std::string& content_type,
                 const std::string& bytes, std::int64_t at_ms) override {
    static const char digits[] = "0123456789abcdef";
    std::string hex;
    hex.reserve(bytes.size() * 2);
    for (unsigned char c : bytes) {
      hex += digits[c >> 4];
      hex += digits[c & 15];
    }
    std::lock_guard<std::mutex> lock(mutex_);
    with_reconnect([&] {
      ensure_connected();
      exec(
          "INSERT INTO history_charts (id, owner, content_type, bytes, created_ms)"
          " VALUES ($1, $2, $3, decode($4, 'hex'), $5) ON CONFLICT (id) DO NOTHING",
          {id, clean_text(owner), clean_text(content_type), hex, std::to_string(at_ms)});
    });
  }

  std::optional<chart_row> get_chart(const std::string& id, std::size_t max_bytes) override {
    std::lock_guard<std::mutex> lock(mutex_);
    return with_reconnect([&]() -> std::optional<chart_row> {
      ensure_connected();
      auto r = exec(
          "SELECT owner, content_type, encode(bytes, 'hex') FROM history_charts"
          " WHERE id = $1 AND octet_length(bytes) <= $2",
          {id, std::to_string(max_bytes)});
      if (r.rows() == 0) return std::nullopt;
      chart_row row{r.text(0, 0), r.text(0, 1), {}};
      std::string hex = r.text(0, 2);
      auto nibble = [](char c) { return c <= '9' ? c - '0' : c - 'a' + 10; };
      row.bytes.reserve(hex.size() / 2);
      for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
        row.bytes += static_cast<char>(nibble(hex[i]) << 4 | nibble(hex[i + 1]));
      return row;
    });
  }

 private:
  void connect() {
    // Defaults first: the URL (dbname, expanded) may override any of them.
    const char* keys[] = {"connect_timeout",  "keepalives_idle",  "keepalives_interval",
                          "keepalives_count", "tcp_user_timeout", "application_name",
                          "client_encoding",  "dbname",           nullptr};
    const char* values[] = {"5",         "10",   "5",          "3",    "30000",
                            "agentwire", "UTF8", url_.c_str(), nullptr};
    if (conn_) PQfinish(conn_);
    conn_ = PQconnectdbParams(keys, values, 1);
    if (conn_ == nullptr) throw store_error("postgresql: out of memory");
    if (PQstatus(conn_) != CONNECTION_OK)
      throw store_error("postgresql: cannot connect: " + trimmed(PQerrorMessage(conn_)));
    exec(statement_timeout, {});
  }

  void ensure_connected() {
    if (conn_ == nullptr || PQstatus(conn_) != CONNECTION_OK) connect();
  }

  void migrate() {
    in_transaction([&] {
      exec(migration_lock, {});
      exec(schema_version_ddl, {});
      std::int64_t current =
          exec("SELECT COALESCE(MAX(version), 0) FROM schema_version", {}).integer(0, 0);
      for (const auto& m : migrations()) {
        if (m.version <= current) continue;
        run_script(m.sql);
        exec("INSERT INTO schema_version (version, applied_ms) VALUES ($1, $2)",
             {std::to_string(m.version), std::to_string(now_ms())});
      }
    });
  }

  // Several statements in one string: the simple query protocol.
  void run_script(const char* sql) {
    PGresult* raw = PQexec(conn_, sql);
    result r(raw);
    check(raw, PQresultStatus(raw));
  }

  result exec(const std::string& sql, const std::vector<std::string>& params) {
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const auto& p : params) values.push_back(p.c_str());
    PGresult* raw = PQexecParams(conn_, sql.c_str(), static_cast<int>(values.size()), nullptr,
                                 values.data(), nullptr, nullptr, 0);
    ExecStatusType status = PQresultStatus(raw);
    result r(raw);
    check(raw, status);
    return r;
  }

  void check(PGresult* raw, ExecStatusType status) {
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return;
    std::string message = raw ? trimmed(PQresultErrorMessage(raw)) : "";
    if (message.empty()) message = trimmed(PQerrorMessage(conn_));
    throw store_error("postgresql: " + message);
  }

  // A server restart shows only when the old connection is next used: then
  // connect again and run `body` once more. Safe for writes: every write is
  // an upsert, so a batch whose COMMIT answer was lost may run twice.
  template <class F>
  std::invoke_result_t<F&> with_reconnect(F&& body) {
    try {
      return body();
    } catch (const store_error&) {
      if (conn_ == nullptr || PQstatus(conn_) == CONNECTION_OK) throw;
      connect();
      return body();
    }
  }

  template <class F>
  void in_transaction(F&& body, const char* begin = "BEGIN") {
    with_reconnect([&] { transaction_once(body, begin); });
  }

  template <class F>
  void transaction_once(F& body, const char* begin) {
    ensure_connected();
    exec(begin, {});
    try {
      body();
      exec("COMMIT", {});
    } catch (...) {
      if (PQstatus(conn_) == CONNECTION_OK) PQclear(PQexec(conn_, "ROLLBACK"));
      throw;
    }
  }

  std::mutex mutex_;
  std::string url_;
  PGconn* conn_ = nullptr;
};

}  // namespace

std::unique_ptr<history_store> open_postgres_store(const std::string& url) {
  return std::make_unique<postgres_store>(url);
}

}  // namespace aw::store
