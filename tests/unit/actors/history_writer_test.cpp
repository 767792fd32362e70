// The history writer: rows reach a real SQLite store in batches; a store that
// fails makes store_up false, and the rows are written once it recovers; a
// full queue drops the oldest rows; a bad row is dropped alone; and what the
// session records leaves the image bytes out.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <mutex>
#include <thread>

#include <unistd.h>

#include <caf/all.hpp>

#include "actors/history_record.hpp"
#include "actors/history_writer.hpp"

using namespace aw;
using namespace std::chrono_literals;

namespace {

// Polls `done` until it holds or `limit` passes.
bool eventually(const std::function<bool()>& done, std::chrono::milliseconds limit = 10s) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  // A reader may meet SQLITE_BUSY while the writer commits: that is "not yet".
  auto check = [&] {
    try {
      return done();
    } catch (const std::exception& e) {
      MESSAGE("not yet: " << e.what());
      return false;
    }
  };
  while (std::chrono::steady_clock::now() < deadline) {
    if (check()) return true;
    std::this_thread::sleep_for(5ms);
  }
  return check();
}

store::history_write row(const std::string& run, std::int64_t at = 1'700'000'000'000) {
  store::history_write w;
  w.user_id = "alice";
  w.conversation_id = "conv";
  w.run_id = run;
  w.correlation_id = "c-" + run;
  w.at_ms = at;
  w.request_json = R"({"content":"q"})";
  return w;
}

// A store in memory that can be made to fail, refuse one run, or hang.
class fake_store : public store::history_store {
 public:
  std::atomic<bool> down{false};
  std::atomic<bool> hang{false};
  std::string refused_run;
  std::atomic<std::int64_t> retention_cutoff{0};

  void write(const std::vector<store::history_write>& batch) override {
    if (hang) {
      std::unique_lock<std::mutex> lock(mutex_);
      released_.wait_for(lock, 10s, [&] { return !hang; });
    }
    if (down) throw store::store_error("fake: down");
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& w : batch)
      if (!refused_run.empty() && w.run_id == refused_run)
        throw store::store_error("fake: bad row");
    for (const auto& w : batch) runs_.push_back(w.run_id);
    batches_.push_back(batch.size());
  }
  std::vector<store::conversation_summary> conversations(const std::string&,
                                                         const store::page&) override {
    return {};
  }
  std::optional<std::vector<store::message_record>> messages(const std::string&, const std::string&,
                                                             const store::page&) override {
    return std::nullopt;
  }
  std::int64_t remove_older_than(std::int64_t cutoff_ms) override {
    retention_cutoff = cutoff_ms;
    return 0;
  }
  bool ping() override { return !down; }
  const char* backend() const override { return "fake"; }

  void release() {
    std::lock_guard<std::mutex> lock(mutex_);
    hang = false;
    released_.notify_all();
  }
  std::vector<std::string> runs() {
    std::lock_guard<std::mutex> lock(mutex_);
    return runs_;
  }
  std::vector<std::size_t> batches() {
    std::lock_guard<std::mutex> lock(mutex_);
    return batches_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable released_;
  std::vector<std::string> runs_;
  std::vector<std::size_t> batches_;
};

// The writer owns its store: it gets a forwarding one, the test keeps the fake.
class forward_store : public store::history_store {
 public:
  explicit forward_store(std::shared_ptr<fake_store> f) : f_(std::move(f)) {}
  void write(const std::vector<store::history_write>& b) override { f_->write(b); }
  std::vector<store::conversation_summary> conversations(const std::string& u,
                                                         const store::page& p) override {
    return f_->conversations(u, p);
  }
  std::optional<std::vector<store::message_record>> messages(const std::string& u,
                                                             const std::string& c,
                                                             const store::page& p) override {
    return f_->messages(u, c, p);
  }
  std::int64_t remove_older_than(std::int64_t c) override { return f_->remove_older_than(c); }
  bool ping() override { return f_->ping(); }
  const char* backend() const override { return "fake"; }

 private:
  std::shared_ptr<fake_store> f_;
};

actors::history_writer_options fast_options() {
  actors::history_writer_options o;
  o.flush_every = 10ms;
  o.first_retry = 10ms;
  o.max_retry = 40ms;
  o.ping_every = 20ms;
  return o;
}

struct writer_fixture {
  caf::actor_system_config cfg;
  caf::actor_system system{cfg};
  std::shared_ptr<fake_store> fake = std::make_shared<fake_store>();
  std::shared_ptr<actors::counters> stats = std::make_shared<actors::counters>();
  caf::actor writer;

  explicit writer_fixture(actors::history_writer_options o = fast_options()) {
    auto f = fake;
    writer = actors::spawn_history_writer(
        system, [f] { return std::make_unique<forward_store>(f); }, stats, o);
  }
  ~writer_fixture() {
    fake->release();
    caf::anon_send_exit(writer, caf::exit_reason::user_shutdown);
  }
};

}  // namespace

TEST_CASE("history writer: rows reach a SQLite store, in batches") {
  auto dir =
      std::filesystem::temp_directory_path() / ("aw-history-writer-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  {
    caf::actor_system_config cfg;
    caf::actor_system system{cfg};
    auto stats = std::make_shared<actors::counters>();
    auto writer = actors::spawn_history_writer(
        system, [&] { return store::open_history_store("", dir.string()); }, stats,
        actors::history_writer_options{});
    for (int i = 0; i < 450; ++i) {
      caf::anon_send(writer, row("run-" + std::to_string(i), 1'700'000'000'000 + i));
      auto done = row("run-" + std::to_string(i), 1'700'000'000'500 + i);
      done.what = store::history_write::kind::completed;
      done.status = "success";
      caf::anon_send(writer, done);
    }
    auto reader = store::open_history_store("", dir.string());
    CHECK(eventually([&] {
      auto msgs = reader->messages("alice", "conv", store::page{200, std::nullopt, {}});
      return msgs && msgs->size() == 200 && msgs->back().status == "success" &&
             stats->store_writes.load() == 900;
    }));
    CHECK(stats->store_up.load());
    CHECK(stats->store_write_failures.load() == 0);
    // 900 rows at up to 200 a batch: at least 5 transactions, far fewer than 900.
    CHECK(stats->store_write_ms.count() >= 5);
    CHECK(stats->store_write_ms.count() < 100);
    caf::anon_send_exit(writer, caf::exit_reason::user_shutdown);
  }
  std::filesystem::remove_all(dir);
}

TEST_CASE("history writer: a recall writes what is queued, then reads the conversation back") {
  auto dir =
      std::filesystem::temp_directory_path() / ("aw-history-recall-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  {
    caf::actor_system_config cfg;
    caf::actor_system system{cfg};
    auto stats = std::make_shared<actors::counters>();
    actors::history_writer_options o;
    o.flush_every = std::chrono::hours(1);  // only the recall writes these rows
    auto writer = actors::spawn_history_writer(
        system, [&] { return store::open_history_store("", dir.string()); }, stats, o);
    for (int i = 0; i < 10; ++i) {
      caf::anon_send(writer, row("run-" + std::to_string(i), 1'700'000'000'000 + i));
      auto done = row("run-" + std::to_string(i), 1'700'000'000'500 + i);
      done.what = store::history_write::kind::completed;
      done.status = "success";
      done.response_json = R"({"status":"success"})";
      caf::anon_send(writer, done);
    }
    caf::scoped_actor self{system};
    std::vector<store::message_record> rows;
    self->request(writer, 10s, actors::history_recall_atom::value, std::string("alice"),
                  std::string("conv"))
        .receive([&](actors::history_rows& r) { rows = std::move(r.rows); },
                 [&](caf::error& e) { FAIL(caf::to_string(e)); });
    // The newest history_recall_rows, oldest first, completed.
    REQUIRE(rows.size() == static_cast<std::size_t>(actors::history_recall_rows));
    CHECK(rows.front().run_id == "run-2");
    CHECK(rows.back().run_id == "run-9");
    CHECK(rows.back().status == "success");
    std::vector<store::message_record> none;
    self->request(writer, 10s, actors::history_recall_atom::value, std::string("alice"),
                  std::string("other"))
        .receive([&](actors::history_rows& r) { none = std::move(r.rows); },
                 [&](caf::error& e) { FAIL(caf::to_string(e)); });
    CHECK(none.empty());
    caf::anon_send_exit(writer, caf::exit_reason::user_shutdown);
  }
  std::filesystem::remove_all(dir);
}

TEST_CASE("history writer: a failing store sets store_up false, rows go in once it recovers") {
  writer_fixture w;
  w.fake->down = true;
  for (int i = 0; i < 10; ++i) caf::anon_send(w.writer, row("r" + std::to_string(i)));
  CHECK(eventually([&] { return !w.stats->store_up.load(); }));
  CHECK(eventually([&] { return w.stats->store_write_failures.load() >= 2; }));  // retried
  CHECK(w.fake->runs().empty());
  w.fake->down = false;
  CHECK(eventually([&] { return w.fake->runs().size() == 10; }));
  CHECK(eventually([&] { return w.stats->store_up.load(); }));
  CHECK(w.fake->runs().front() == "r0");  // in order
  CHECK(w.stats->store_dropped.load() == 0);
}

TEST_CASE("history writer: a full queue drops the oldest rows and counts them") {
  auto o = fast_options();
  o.max_queued_rows = 100;
  writer_fixture w(o);
  w.fake->down = true;
  for (int i = 0; i < 1000; ++i) caf::anon_send(w.writer, row("r" + std::to_string(i)));
  CHECK(eventually([&] { return w.stats->store_dropped.load() == 900; }));
  w.fake->down = false;
  CHECK(eventually([&] { return w.fake->runs().size() == 100; }));
  CHECK(w.fake->runs().front() == "r900");
  CHECK(w.fake->runs().back() == "r999");
}

TEST_CASE("history writer: a row the store refuses is dropped alone") {
  writer_fixture w;
  w.fake->refused_run = "bad";
  caf::anon_send(w.writer, row("a"));
  caf::anon_send(w.writer, row("bad"));
  caf::anon_send(w.writer, row("b"));
  CHECK(eventually([&] { return w.fake->runs().size() == 2; }));
  CHECK(w.fake->runs() == std::vector<std::string>{"a", "b"});
  CHECK(w.stats->store_dropped.load() == 1);
  CHECK(eventually([&] { return w.stats->store_up.load(); }));
}

TEST_CASE("history writer: a hanging store blocks no sender, and retention runs at start") {
  writer_fixture w;
  CHECK(eventually([&] { return w.fake->retention_cutoff.load() != 0; }));
  auto expected = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count() -
                  30LL * 86400000;
  CHECK(std::abs(w.fake->retention_cutoff.load() - expected) < 60000);

  w.fake->hang = true;
  caf::anon_send(w.writer, row("first"));
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 2000; ++i) caf::anon_send(w.writer, row("r" + std::to_string(i)));
  CHECK(std::chrono::steady_clock::now() - start < 2s);
  CHECK(w.fake->runs().empty());
  w.fake->release();
  CHECK(eventually([&] { return w.fake->runs().size() == 2001; }));
  for (auto n : w.fake->batches()) CHECK(n <= 200);
}

TEST_CASE("history record: the request as recorded") {
  protocol::analytics_payload p;
  p.content = "Show \"revenue\"";
  p.width = 640;
  auto json = actors::history_request_json(p);
  CHECK(json ==
        R"({"content":"Show \"revenue\"","chart_preference":null,"format":"png","width":640,)"
        R"("height":500,"theme":"modern","has_data":false})");
}

TEST_CASE("the history records a completed run from its typed event, without the image") {
  auto result = std::make_shared<protocol::run_result>();
  result->chart_url = "/charts/abc";
  result->data.labels = {"a", "b"};
  result->data.values = {1, 2.5};
  result->stats.count = 2;
  result->insights = {"up"};
  result->narrative = "It rose.";
  result->metadata.title = "T";
  protocol::completed_event done;
  done.duration_ms = 12.5;
  done.result = result;
  actors::run_identity run{"run-1", "c-1", "conv", "m-1"};
  auto w = actors::history_completed("alice", run, 7, done);
  CHECK(w.status == "success");
  CHECK(w.run_id == "run-1");
  CHECK(
      w.response_json ==
      R"({"status":"success","duration_ms":12.5,"response":{"success":true,)"
      R"("chart_url":"/charts/abc","data":{"labels":["a","b"],"values":[1,2.5],)"
      R"("statistics":{"count":2,"sum":0,"mean":0,"median":0,"min":0,"max":0,"std_dev":0,)"
      R"("growth_pct":null}},"insights":["up"],"narrative":"It rose.",)"
      R"("metadata":{"chart_type":"bar_chart_vertical","title":"T","generation_method":"gnuplot",)"
      R"("data_source":"","llm_provider":"","format":"png","width":800,"height":500,)"
      R"("generation_time_ms":0}}})");
  // The frame's data is the same with response.chart added.
  std::string frame_data = protocol::write_data(done, "\x89PNG");
  CHECK(frame_data.find(R"("chart":"data:image/png;base64,iVBORw==",)") != std::string::npos);
  CHECK(w.response_json.find("base64") == std::string::npos);
  CHECK(frame_data.size() ==
        w.response_json.size() +
            std::string(R"("chart":"data:image/png;base64,iVBORw==",)").size());

  protocol::completed_event failed;
  failed.status = protocol::run_status::timeout;
  failed.duration_ms = 3;
  failed.code = protocol::error_code::timeout;
  failed.message = "too slow";
  auto f = actors::history_completed("alice", run, 7, failed);
  CHECK(f.status == "timeout");
  CHECK(f.response_json ==
        R"({"status":"timeout","duration_ms":3,"error":{"code":"TIMEOUT","message":"too slow"}})");
}
