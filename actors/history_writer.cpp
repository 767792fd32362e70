#include "actors/history_writer.hpp"

#include <algorithm>
#include <deque>
#include <string>
#include <vector>

#include <caf/all.hpp>

#include "core/log.hpp"

namespace aw::actors {
namespace {

using steady = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr int attempts_before_isolating = 3;  // then a refused batch goes row by row
constexpr int batches_per_turn = 10;          // then the mailbox gets a turn
constexpr auto drop_warning_every = std::chrono::minutes(1);

struct history_writer_state {
  history_store_opener open;
  std::shared_ptr<counters> stats;
  history_writer_options opt;
  std::unique_ptr<store::history_store> db;
  std::deque<store::history_write> queue;
  bool flush_timer = false;  // a flush is scheduled
  bool backing_off = false;  // a retry is scheduled after a failure
  milliseconds backoff{0};
  int head_failures = 0;  // consecutive failures of the batch at the head
  std::int64_t dropped_unreported = 0;
  steady::time_point last_drop_warning{};
  bool open_failure_logged = false;
  static inline const char* name = "history_writer";
};

using writer_self = caf::stateful_actor<history_writer_state>;

std::int64_t wall_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

void set_up(writer_self* self, bool up, const std::string& why = {}) {
  auto& st = self->state;
  if (st.stats->store_up.exchange(up) == up) return;
  if (up)
    log::info("history", "history store is up", {{"queued", std::to_string(st.queue.size())}});
  else
    log::warn("history", "history store is down: history is queued and retried, events go on",
              {{"error", why}, {"queued", std::to_string(st.queue.size())}});
}

void run_retention(writer_self* self) {
  auto& st = self->state;
  if (!st.db) return;
  std::int64_t cutoff = wall_ms() - static_cast<std::int64_t>(st.opt.retention_days) * 86400000;
  try {
    auto removed = st.db->remove_older_than(cutoff);
    if (removed > 0)
      log::info("history", "retention removed old history",
                {{"rows", std::to_string(removed)},
                 {"retention_days", std::to_string(st.opt.retention_days)}});
  } catch (const std::exception& e) {
    log::warn("history", "retention failed; it runs again later", {{"error", e.what()}});
  }
}

bool ensure_open(writer_self* self) {
  auto& st = self->state;
  if (st.db) return true;
  try {
    st.db = st.open();
    log::info("history", "history store opened", {{"backend", st.db->backend()}});
    st.open_failure_logged = false;
    set_up(self, true);
    run_retention(self);
    return true;
  } catch (const std::exception& e) {
    if (!st.open_failure_logged)
      log::error("history",
                 "cannot open the history store: events are served, history waits in memory "
                 "(bounded) and the store is tried again",
                 {{"error", e.what()}});
    st.open_failure_logged = true;
    set_up(self, false, e.what());
    return false;
  }
}

void schedule_retry(writer_self* self) {
  auto& st = self->state;
  if (st.backing_off) return;
  st.backoff =
      st.backoff.count() == 0 ? st.opt.first_retry : std::min(st.backoff * 2, st.opt.max_retry);
  st.backing_off = true;
  self->delayed_send(self, st.backoff, history_retry_atom::value);
}

void drop_oldest(writer_self* self) {
  auto& st = self->state;
  st.queue.pop_front();
  st.head_failures = 0;
  st.stats->store_dropped++;
  st.dropped_unreported++;
  auto now = steady::now();
  if (now - st.last_drop_warning >= drop_warning_every) {
    log::warn("history", "history queue full: the oldest rows are dropped",
              {{"dropped", std::to_string(st.dropped_unreported)},
               {"max_queued_rows", std::to_string(st.opt.max_queued_rows)}});
    st.last_drop_warning = now;
    st.dropped_unreported = 0;
  }
}

// The database answers but refuses this batch: a row it cannot take. Each row
// on its own; those refused again are dropped.
void write_row_by_row(writer_self* self, std::size_t n) {
  auto& st = self->state;
  for (std::size_t i = 0; i < n && !st.queue.empty(); ++i) {
    store::history_write row = std::move(st.queue.front());
    st.queue.pop_front();
    try {
      st.db->write({row});
      st.stats->store_writes++;
    } catch (const std::exception& e) {
      st.stats->store_dropped++;
      log::warn("history", "the history store refused a row; it is dropped",
                {{"user", row.user_id}, {"run", row.run_id}, {"error", e.what()}});
    }
  }
}

// Writes the batch at the head of the queue; false when the store failed.
bool write_head(writer_self* self) {
  auto& st = self->state;
  std::size_t n = std::min(st.queue.size(), st.opt.batch_rows);
  auto head_end = st.queue.begin() + static_cast<std::ptrdiff_t>(n);
  std::vector<store::history_write> batch(st.queue.begin(), head_end);
  auto start = steady::now();
  try {
    st.db->write(batch);
    st.stats->store_write_ms.observe(
        std::chrono::duration<double, std::milli>(steady::now() - start).count());
    st.stats->store_writes += static_cast<std::int64_t>(n);
    st.queue.erase(st.queue.begin(), head_end);
    st.head_failures = 0;
    st.backoff = milliseconds{0};
    set_up(self, true);
    return true;
  } catch (const std::exception& e) {
    st.stats->store_write_failures++;
    // Only refusals while the database answers count towards isolating rows.
    bool answers = st.db->ping();
    st.head_failures = answers ? st.head_failures + 1 : 0;
    if (st.head_failures >= attempts_before_isolating) {
      write_row_by_row(self, n);
      st.head_failures = 0;
      return true;
    }
    set_up(self, false, e.what());
    return false;
  }
}

void flush(writer_self* self) {
  auto& st = self->state;
  if (st.backing_off || st.queue.empty()) return;  // the retry timer flushes
  if (!ensure_open(self)) return schedule_retry(self);
  for (int i = 0; i < batches_per_turn && !st.queue.empty(); ++i)
    if (!write_head(self)) return schedule_retry(self);
  if (!st.queue.empty()) self->send(self, history_flush_atom::value);  // after the mailbox
}

// Stopping: one try to write what is queued, unless the store is down.
void final_flush(writer_self* self) {
  auto& st = self->state;
  if (st.db && !st.backing_off) {
    while (!st.queue.empty())
      if (!write_head(self)) break;
  }
  if (!st.queue.empty()) {
    st.stats->store_dropped += static_cast<std::int64_t>(st.queue.size());
    log::warn("history", "stopping with unwritten history rows",
              {{"rows", std::to_string(st.queue.size())}});
    st.queue.clear();
  }
}

caf::behavior history_writer(writer_self* self, history_store_opener open,
                             std::shared_ptr<counters> stats, history_writer_options opt,
                             caf::actor stop_with) {
  auto& st = self->state;
  st.open = std::move(open);
  st.stats = std::move(stats);
  st.opt = opt;
  st.opt.batch_rows = std::max<std::size_t>(1, st.opt.batch_rows);
  if (!ensure_open(self)) schedule_retry(self);
  self->set_exit_handler([self](caf::exit_msg& msg) {
    final_flush(self);
    self->quit(msg.reason);
  });
  if (stop_with) {
    self->monitor(stop_with);
    self->set_down_handler([self](caf::down_msg&) {
      final_flush(self);
      self->quit();
    });
  }
  self->delayed_send(self, st.opt.ping_every, history_ping_atom::value);
  self->delayed_send(self, st.opt.retention_every, history_retain_atom::value);
  return {
      [self](store::history_write& w) {
        auto& st = self->state;
        st.queue.push_back(std::move(w));
        if (st.queue.size() > st.opt.max_queued_rows) drop_oldest(self);
        if (st.queue.size() >= st.opt.batch_rows) {
          flush(self);
        } else if (!st.flush_timer) {
          st.flush_timer = true;
          self->delayed_send(self, st.opt.flush_every, history_flush_atom::value);
        }
      },
      [self](history_flush_atom) {
        self->state.flush_timer = false;
        flush(self);
      },
      [self](history_retry_atom) {
        auto& st = self->state;
        st.backing_off = false;
        if (!ensure_open(self)) return schedule_retry(self);
        flush(self);
      },
      [self](history_ping_atom) {
        auto& st = self->state;
        if (!st.db ? ensure_open(self) : st.db->ping()) {
          if (!st.stats->store_up.load() || st.backing_off) {
            // Back: write now rather than when the backoff ends.
            set_up(self, true);
            st.backing_off = false;
            st.backoff = milliseconds{0};
          }
          flush(self);
        } else {
          set_up(self, false, "ping failed");
        }
        self->delayed_send(self, st.opt.ping_every, history_ping_atom::value);
      },
      [self](history_recall_atom, const std::string& user, const std::string& conversation) {
        auto& st = self->state;
        history_rows rows;
        if (!st.backing_off && ensure_open(self)) {
          // So that the rows read include the newest runs; bounded like a flush
          // (a backlog beyond it is read as it stands).
          for (int i = 0; i < batches_per_turn && !st.queue.empty(); ++i)
            if (!write_head(self)) {
              schedule_retry(self);
              break;
            }
          try {
            store::page p;
            p.limit = history_recall_rows;
            if (auto found = st.db->messages(user, conversation, p)) rows.rows = std::move(*found);
          } catch (const std::exception& e) {
            log::warn("history", "conversation not read back", {{"error", e.what()}});
          }
        }
        return rows;
      },
      [self](history_retain_atom) {
        run_retention(self);
        self->delayed_send(self, self->state.opt.retention_every, history_retain_atom::value);
      },
  };
}

}  // namespace

caf::actor spawn_history_writer(caf::actor_system& system, history_store_opener open,
                                std::shared_ptr<counters> stats, history_writer_options options,
                                caf::actor stop_with) {
  return system.spawn<caf::detached>(history_writer, std::move(open), std::move(stats), options,
                                     std::move(stop_with));
}

caf::actor spawn_history_writer(caf::actor_system& system, const core::config& cfg,
                                std::shared_ptr<counters> stats, caf::actor stop_with) {
  history_writer_options options;
  options.retention_days = cfg.retention_days;
  auto open = [url = cfg.store_url, dir = cfg.data_dir] {
    return store::open_history_store(url, dir);
  };
  return spawn_history_writer(system, std::move(open), std::move(stats), options,
                              std::move(stop_with));
}

}  // namespace aw::actors
