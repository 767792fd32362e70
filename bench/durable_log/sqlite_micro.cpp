// The durable log's SQLite work alone, without the server: the schema and
// statements of store/sqlite_event_log.cpp, batches of `batch` events spread
// over `users` users (one in 23 a 39 KB chart frame, the rest 190 bytes, as
// at the README's throughput benchmark), WAL, synchronous=NORMAL, SQLite's
// autocheckpoint every `ckpt` pages. Prints CPU and wall time per event.
// Not built by CMake (a measuring aid):
//   g++ -O2 -o /tmp/sqlite_micro bench/durable_log/sqlite_micro.cpp -lsqlite3
//   /tmp/sqlite_micro [users=100] [batch=6] [ckpt=4000] [page_size=4096] [events=46666]
#include <sqlite3.h>
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

double cpu_s() {
  rusage r{};
  getrusage(RUSAGE_SELF, &r);
  return static_cast<double>(r.ru_utime.tv_sec + r.ru_stime.tv_sec) +
         static_cast<double>(r.ru_utime.tv_usec + r.ru_stime.tv_usec) / 1e6;
}

void exec(sqlite3* db, const std::string& sql) {
  char* msg = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &msg) != SQLITE_OK) {
    std::fprintf(stderr, "%s: %s\n", sql.c_str(), msg ? msg : "?");
    std::exit(1);
  }
}

void step(sqlite3_stmt* s) {
  if (sqlite3_step(s) != SQLITE_DONE) {
    std::fprintf(stderr, "step failed\n");
    std::exit(1);
  }
  sqlite3_reset(s);
}

}  // namespace

int main(int argc, char** argv) {
  auto arg = [&](int i, int fallback) { return argc > i ? std::atoi(argv[i]) : fallback; };
  const int users = arg(1, 100), batch = arg(2, 6), ckpt = arg(3, 4000), page = arg(4, 4096),
            events = arg(5, 46666);
  const std::string path = "/tmp/aw-sqlite-micro-" + std::to_string(::getpid()) + ".db";
  sqlite3* db = nullptr;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) return 1;
  exec(db, "PRAGMA page_size=" + std::to_string(page));
  exec(db, "PRAGMA journal_mode=WAL");
  exec(db, "PRAGMA synchronous=NORMAL");
  exec(db, "PRAGMA wal_autocheckpoint=" + std::to_string(ckpt));
  exec(db,
       "CREATE TABLE event_log_users (user_id TEXT PRIMARY KEY, epoch TEXT NOT NULL,"
       " last_seq INTEGER NOT NULL);"
       "CREATE TABLE event_log_events (user_id TEXT NOT NULL, seq INTEGER NOT NULL,"
       " at_ms INTEGER NOT NULL, frame TEXT NOT NULL, PRIMARY KEY (user_id, seq));");
  sqlite3_stmt *up = nullptr, *in = nullptr;
  sqlite3_prepare_v2(db,
                     "INSERT INTO event_log_users (user_id, epoch, last_seq) VALUES (?1, ?2, ?3)"
                     " ON CONFLICT (user_id) DO UPDATE SET epoch = excluded.epoch,"
                     " last_seq = excluded.last_seq",
                     -1, &up, nullptr);
  sqlite3_prepare_v2(db,
                     "INSERT OR REPLACE INTO event_log_events (user_id, seq, at_ms, frame)"
                     " VALUES (?1, ?2, ?3, ?4)",
                     -1, &in, nullptr);
  const std::string small(190, 's'), chart(39000, 'c');
  std::vector<std::string> ids;
  for (int u = 0; u < users; ++u) ids.push_back("load-user-0123abcd-" + std::to_string(u));
  std::vector<long long> seq(static_cast<std::size_t>(users), 0);
  unsigned rnd = 1;
  const double cpu0 = cpu_s();
  const auto wall0 = std::chrono::steady_clock::now();
  for (int e = 0; e < events;) {
    exec(db, "BEGIN IMMEDIATE");
    std::vector<int> touched;
    for (int i = 0; i < batch && e < events; ++i, ++e) {
      rnd = rnd * 1103515245u + 12345u;
      const int u = static_cast<int>((rnd >> 8) % static_cast<unsigned>(users));
      touched.push_back(u);
      const std::string& f = e % 23 == 22 ? chart : small;
      const auto& id = ids[static_cast<std::size_t>(u)];
      sqlite3_bind_text(in, 1, id.data(), static_cast<int>(id.size()), SQLITE_STATIC);
      sqlite3_bind_int64(in, 2, ++seq[static_cast<std::size_t>(u)]);
      sqlite3_bind_int64(in, 3, 1700000000000LL + e);
      sqlite3_bind_text(in, 4, f.data(), static_cast<int>(f.size()), SQLITE_STATIC);
      step(in);
    }
    for (int u : touched) {  // the real writer upserts each user once a batch
      const auto& id = ids[static_cast<std::size_t>(u)];
      sqlite3_bind_text(up, 1, id.data(), static_cast<int>(id.size()), SQLITE_STATIC);
      sqlite3_bind_text(up, 2, "epoch", 5, SQLITE_STATIC);
      sqlite3_bind_int64(up, 3, seq[static_cast<std::size_t>(u)]);
      step(up);
    }
    exec(db, "COMMIT");
  }
  const double cpu = cpu_s() - cpu0;
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
  std::printf("users=%d batch=%d ckpt=%d page=%d: %.1f us CPU, %.1f us wall an event\n", users,
              batch, ckpt, page, cpu * 1e6 / events, wall * 1e6 / events);
  sqlite3_finalize(up);
  sqlite3_finalize(in);
  sqlite3_close(db);
  for (const char* ext : {"", "-wal", "-shm"}) ::unlink((path + ext).c_str());
}
