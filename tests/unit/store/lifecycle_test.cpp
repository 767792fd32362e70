// Retention, reopening (migrations run again), several writers and openers
// at once, and what opening a bad STORE_URL says.
#include "store_test_support.hpp"

#include <chrono>
#include <filesystem>
#include <thread>
#include <vector>

using namespace aw;
using namespace aw::test;
using store::page;

TEST_CASE_TEMPLATE("retention removes rows started before the cutoff", B, sqlite_backend,
                   postgres_backend) {
  B backend;
  auto s = backend.open();
  s->write({started("alice", "old", "r1", 1000), completed("alice", "old", "r1", 1500),
            started("alice", "mixed", "r2", 2000), started("alice", "mixed", "r3", t0),
            started("bob", "new", "r4", t0 + 1)});
  CHECK(s->remove_older_than(5000) == 2);
  // "old" lost its only message and goes; "mixed" keeps its newer one.
  CHECK_FALSE(s->messages("alice", "old", page{}));
  auto mixed = s->messages("alice", "mixed", page{});
  REQUIRE(mixed);
  REQUIRE(mixed->size() == 1);
  CHECK(mixed->at(0).run_id == "r3");
  auto convs = s->conversations("alice", page{});
  REQUIRE(convs.size() == 1);
  CHECK(convs[0].message_count == 1);
  CHECK(s->conversations("bob", page{}).size() == 1);
  CHECK(s->remove_older_than(5000) == 0);
}

TEST_CASE_TEMPLATE("reopening runs the migrations again harmlessly and keeps the data", B,
                   sqlite_backend, postgres_backend) {
  B backend;
  {
    auto first = backend.open();
    first->write({started("alice", "conv", "r1", t0, "kept across restarts")});
  }
  for (int i = 0; i < 3; ++i) {
    auto again = backend.open();
    auto msgs = again->messages("alice", "conv", page{});
    REQUIRE(msgs);
    CHECK(msgs->size() == 1);
    CHECK(again->conversations("alice", page{})[0].title == "kept across restarts");
  }
  auto last = backend.open();
  last->write({completed("alice", "conv", "r1", t0 + 5)});
  CHECK(last->messages("alice", "conv", page{})->at(0).status == "success");
}

TEST_CASE("the SQLite file is DATA_DIR/history.db, or the sqlite: path") {
  sqlite_backend backend;
  backend.open()->write({started("alice", "conv", "r1", t0)});
  CHECK(std::filesystem::exists(std::filesystem::path(backend.dir) / "history.db"));
  auto path = (std::filesystem::path(backend.dir) / "sub" / "other.db").string();
  auto s = store::open_history_store("sqlite:" + path, "/nonexistent");
  CHECK(std::string(s->backend()) == "sqlite");
  s->write({started("alice", "conv", "r1", t0)});
  CHECK(std::filesystem::exists(path));
  CHECK(std::filesystem::exists(path + "-wal"));  // WAL mode
}

TEST_CASE_TEMPLATE("several stores open and write at once", B, sqlite_backend, postgres_backend) {
  B backend;
  constexpr int threads = 4;
  constexpr int batches = 10;
  constexpr int rows = 5;
  // Every thread opens its own store on the same new database at once, so
  // the migrations race (advisory lock / BEGIN IMMEDIATE must serialise them).
  std::vector<std::thread> pool;
  std::vector<std::string> errors(threads);
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      try {
        auto s = backend.open();
        for (int b = 0; b < batches; ++b) {
          std::vector<store::history_write> batch;
          for (int r = 0; r < rows; ++r) {
            auto run = "t" + std::to_string(t) + "b" + std::to_string(b) + "r" + std::to_string(r);
            batch.push_back(started("alice", "conv", run, t0 + b * 10 + r));
          }
          s->write(batch);
        }
      } catch (const std::exception& e) {
        errors[t] = e.what();
      }
    });
  }
  for (auto& th : pool) th.join();
  for (const auto& e : errors) CHECK_MESSAGE(e.empty(), e);
  auto s = backend.open();
  auto convs = s->conversations("alice", page{});
  REQUIRE(convs.size() == 1);
  CHECK(convs[0].message_count == threads * batches * rows);
}

TEST_CASE("a bad STORE_URL or an unreachable server is a clear store_error") {
  CHECK_THROWS_AS(store::open_history_store("mysql://x", "/tmp"), store::store_error);
  CHECK_THROWS_AS(store::open_history_store("sqlite:", "/tmp"), store::store_error);
  CHECK_THROWS_AS(store::open_history_store("", "/proc/aw-no-such-dir"), store::store_error);
  // A loopback port nobody listens on: refused at once, not after a hang.
  auto start = std::chrono::steady_clock::now();
  try {
    store::open_history_store("postgresql://aw@127.0.0.1:1/none", "/tmp");
    FAIL("opened a store on a closed port");
  } catch (const store::store_error& e) {
    CHECK(std::string(e.what()).find("postgresql: cannot connect") != std::string::npos);
  }
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(10));
}

TEST_CASE("postgresql: a store whose connection was cut connects again on its next call") {
  postgres_backend backend;
  auto s = backend.open();
  s->write({started("alice", "conv", "r1", t0)});
  auto db = backend.url.substr(backend.url.rfind('/') + 1);
  // As a server restart or a failover would: every session on this database ends.
  auto cut = [&] {
    postgres_exec(backend.url,
                  "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + db +
                      "' AND pid <> pg_backend_pid()");
  };
  cut();
  CHECK(s->ping());
  cut();
  s->write({completed("alice", "conv", "r1", t0 + 1)});
  cut();
  auto msgs = s->messages("alice", "conv", page{});
  REQUIRE(msgs);
  CHECK(msgs->at(0).status == "success");
}
