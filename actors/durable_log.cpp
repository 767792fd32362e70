#include "actors/durable_log.hpp"

#include <pthread.h>

#include <algorithm>

#include <caf/send.hpp>

#include "core/log.hpp"
#include "protocol/server_messages.hpp"
#include "store/history_store.hpp"  // store_error

namespace aw::actors {
namespace {

using steady = std::chrono::steady_clock;

double ms_since(steady::time_point t) {
  return std::chrono::duration<double, std::milli>(steady::now() - t).count();
}

}  // namespace

durable_log::durable_log(std::unique_ptr<store::event_log_store> db,
                         std::shared_ptr<counters> stats, durable_log_options options,
                         durable_notify notify)
    : db_(std::move(db)), stats_(std::move(stats)), opt_(options), notify_(std::move(notify)) {
  opt_.batch_events = std::max<std::size_t>(1, opt_.batch_events);
  stats_->durable_enabled = true;
  shared_ = db_->shared();
}

durable_log::~durable_log() {
  stop();
}

recovered_user durable_log::to_recovered(store::stored_user& u, std::int64_t now_ms,
                                         std::size_t& total_bytes, std::size_t& not_loaded,
                                         std::vector<ended_run>& ended) {
  auto before = u.events.size();
  std::vector<resumable_run> rerun;
  ended = end_open_runs(u, now_ms, &rerun);
  if (!ended.empty()) {
    // The endings are durable before anyone can see them, like every event.
    std::vector<store::event_log_row> tail;
    for (auto i = before; i < u.events.size(); ++i)
      tail.push_back({u.user_id, u.events[i].seq, u.events[i].at_ms, u.events[i].frame, {}});
    db_->append({{u.user_id, u.epoch, u.last_seq, false}}, tail);
  }
  // Each re-run is counted before it starts (run_record.hpp: max_reruns).
  for (auto& r : rerun)
    db_->set_resume(u.user_id, r.started_seq,
                    encode_run_record(r.record.payload, r.record.refined_from,
                                      r.record.refined_synthetic, ++r.record.reruns));
  // Newest first within the byte limits; a user keeps at least its newest event.
  std::size_t keep_from = u.events.size();
  std::size_t user_bytes = 0;
  while (keep_from > 0) {
    auto size = u.events[keep_from - 1].frame.size();
    bool first = keep_from == u.events.size();
    if (!first &&
        (user_bytes + size > opt_.max_user_bytes || total_bytes + size > opt_.max_total_bytes))
      break;
    user_bytes += size;
    total_bytes += size;
    --keep_from;
  }
  not_loaded += keep_from;
  recovered_user rec;
  rec.epoch = u.epoch;
  rec.last_seq = u.last_seq;
  rec.owner_epoch = u.owner_epoch;
  rec.rerun = std::move(rerun);
  rec.events.reserve(u.events.size() - keep_from);
  for (auto i = keep_from; i < u.events.size(); ++i)
    rec.events.push_back({u.events[i].seq, u.events[i].at_ms,
                          std::make_shared<const std::string>(std::move(u.events[i].frame))});
  return rec;
}

std::vector<std::pair<std::string, ended_run>> durable_log::recover(std::int64_t now_ms) {
  auto users = db_->load();
  std::vector<std::pair<std::string, ended_run>> ended;
  std::int64_t rows = 0;
  // Idle longer than resume promises (EVENT_BUFFER_S) when the node stopped
  // (its newest event is the last sign of life; the outage itself does not
  // count): that session would have retired, so its history is over.
  std::int64_t last_alive = 0;
  for (const auto& u : users)
    if (!u.events.empty()) last_alive = std::max(last_alive, u.events.back().at_ms);
  std::size_t expired = 0;
  std::size_t total_bytes = 0;
  std::size_t not_loaded = 0;  // over the byte limits
  std::size_t reruns = 0;
  // The most recently active users first: when the total runs out, the idlest give up events.
  std::sort(users.begin(), users.end(), [](const auto& a, const auto& b) {
    auto at = [](const store::stored_user& u) {
      return u.events.empty() ? 0 : u.events.back().at_ms;
    };
    return at(a) > at(b);
  });
  for (auto& u : users) {
    if (u.events.empty() || u.events.back().at_ms < last_alive - opt_.keep_ms) {
      db_->forget(u.user_id);
      ++expired;
      continue;
    }
    std::vector<ended_run> runs;
    auto rec = to_recovered(u, now_ms, total_bytes, not_loaded, runs);
    reruns += rec.rerun.size();
    for (auto& r : runs) {
      log::warn(
          "durable_log", "a run was in flight when the node stopped: ended GATEWAY_LOST",
          {{"user", u.user_id}, {"run", r.id.run_id}, {"correlation_id", r.id.correlation_id}});
      ended.emplace_back(u.user_id, std::move(r));
    }
    rows += static_cast<std::int64_t>(u.events.size());
    std::lock_guard<std::mutex> lock(recovered_mutex_);
    recovered_[u.user_id] = std::move(rec);
  }
  stats_->durable_rows = rows;
  stats_->recovered_users += static_cast<std::int64_t>(users.size() - expired);
  stats_->recovered_runs += static_cast<std::int64_t>(ended.size());
  if (!users.empty())
    log::info("durable_log", "histories recovered from the durable event log",
              {{"users", std::to_string(users.size() - expired)},
               {"expired_users", std::to_string(expired)},
               {"events_not_loaded", std::to_string(not_loaded)},
               {"events", std::to_string(rows)},
               {"runs_ended_gateway_lost", std::to_string(ended.size())},
               {"runs_to_repeat", std::to_string(reruns)}});
  return ended;
}

std::vector<std::string> durable_log::users_with_reruns() {
  std::lock_guard<std::mutex> lock(recovered_mutex_);
  std::vector<std::string> out;
  for (const auto& [user, rec] : recovered_)
    if (!rec.rerun.empty()) out.push_back(user);
  return out;
}

void durable_log::start() {
  if (!writer_.joinable()) writer_ = std::thread([this] { run(); });
}

void durable_log::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (writer_.joinable()) writer_.join();
}

std::optional<recovered_user> durable_log::take(const std::string& user_id) {
  std::lock_guard<std::mutex> lock(recovered_mutex_);
  auto it = recovered_.find(user_id);
  if (it == recovered_.end()) return std::nullopt;
  auto out = std::move(it->second);
  recovered_.erase(it);
  return out;
}

void durable_log::if_fenced(const std::exception& e) {
  if (opt_.on_fenced && dynamic_cast<const store::fenced_error*>(&e) != nullptr)
    opt_.on_fenced(e.what());
}

void durable_log::append(const caf::actor& session, std::shared_ptr<const std::string> user_id,
                         std::shared_ptr<const std::string> epoch, bool new_epoch,
                         std::uint64_t seq, std::int64_t at_ms, frame_ptr frame,
                         std::shared_ptr<const std::string> resume) {
  auto bytes = static_cast<std::int64_t>(frame->size() + (resume ? resume->size() : 0));
  bool was_empty = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    was_empty = queue_.empty();
    // Counted before the writer can take it, so the gauges never go below 0.
    stats_->durable_pending_events.fetch_add(1, std::memory_order_relaxed);
    stats_->durable_pending_bytes.fetch_add(bytes, std::memory_order_relaxed);
    queue_.push_back(item{session, false, std::move(user_id), std::move(epoch), new_epoch, seq,
                          at_ms, std::move(frame), steady::now(), std::move(resume)});
  }
  // The writer looks at the queue again after each batch: only an empty queue
  // can have it asleep.
  if (was_empty) wake_.notify_one();
}

void durable_log::forget(const std::string& user_id) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    item it;
    it.forget = true;
    it.user_id = std::make_shared<const std::string>(user_id);
    queue_.push_back(std::move(it));
  }
  // Removed from the recovered users too: that history is over.
  {
    std::lock_guard<std::mutex> lock(recovered_mutex_);
    recovered_.erase(user_id);
  }
  wake_.notify_one();
}

// One transaction for the batch: per user, its mark (epoch, newest seq) once,
// then its rows; a forget in the batch is its own step, in queue order.
bool durable_log::write(std::vector<item>& batch) {
  auto start = steady::now();
  try {
    std::vector<store::event_log_user> users;
    std::vector<store::event_log_row> rows;
    std::unordered_map<std::string_view, std::size_t> user_at;  // index in `users`
    auto flush = [&] {
      if (!rows.empty() || !users.empty()) db_->append(users, rows);
      users.clear();
      rows.clear();
      user_at.clear();
    };
    for (auto& it : batch) {
      if (it.forget) {  // what came before it is written first
        flush();
        db_->forget(*it.user_id);
        continue;
      }
      auto found = user_at.find(*it.user_id);
      if (found == user_at.end() || it.new_epoch) {
        if (found != user_at.end()) flush();  // a new history after one in this batch
        user_at[*it.user_id] = users.size();
        users.push_back({*it.user_id, *it.epoch, it.seq, it.new_epoch});
      } else {
        auto& u = users[found->second];
        u.last_seq = std::max(u.last_seq, it.seq);
        u.epoch = *it.epoch;
      }
      rows.push_back({*it.user_id, it.seq, it.at_ms, *it.frame,
                      it.resume ? std::string_view(*it.resume) : std::string_view()});
    }
    flush();
  } catch (const std::exception& e) {
    if_fenced(e);
    stats_->durable_write_failures++;
    if (stats_->durable_up.exchange(false))
      log::error("durable_log",
                 "the durable event log cannot write: delivery waits and the batch is retried",
                 {{"error", e.what()}, {"events", std::to_string(batch.size())}});
    return false;
  }
  stats_->durable_commit_ms.observe(ms_since(start));
  if (!stats_->durable_up.exchange(true))
    log::info("durable_log", "the durable event log writes again");
  return true;
}

void durable_log::deliver(std::vector<item>& batch) {
  struct notice {
    caf::actor session;
    std::uint64_t upto = 0;
    std::vector<frame_ptr> frames;
  };
  std::vector<notice> notices;
  std::unordered_map<std::string_view, std::size_t> at;  // by user
  std::int64_t events = 0;
  std::int64_t bytes = 0;
  for (auto& it : batch) {
    if (it.forget) continue;
    ++events;
    bytes += static_cast<std::int64_t>(it.bytes());
    auto found = at.find(*it.user_id);
    if (found == at.end() || notices[found->second].session != it.session) {
      // A user's session can change (retired, then back): each gets its own.
      at[*it.user_id] = notices.size();
      notices.push_back({it.session, 0, {}});
      found = at.find(*it.user_id);
    }
    auto& n = notices[found->second];
    n.upto = it.seq;
    n.frames.push_back(std::move(it.frame));
  }
  stats_->durable_events_written += events;
  stats_->durable_rows += events;
  stats_->durable_pending_events.fetch_sub(events, std::memory_order_relaxed);
  stats_->durable_pending_bytes.fetch_sub(bytes, std::memory_order_relaxed);
  for (auto& n : notices) notify_(n.session, n.upto, std::move(n.frames));
}

void durable_log::maybe_prune(steady::time_point now) {
  if (now - last_prune_ < opt_.prune_every) return;
  last_prune_ = now;
  try {
    db_->prune(protocol::now_unix_ms() - opt_.keep_ms, opt_.keep_events);
    stats_->durable_rows = db_->count();
  } catch (const std::exception& e) {
    if_fenced(e);
    log::warn("durable_log", "pruning the durable event log failed; it runs again later",
              {{"error", e.what()}});
  }
}

void durable_log::run() {
  // Named, so that top -H and perf (and bench/durable_log/run) show its CPU apart.
  pthread_setname_np(pthread_self(), "aw.durable_log");
  last_prune_ = steady::now();
  last_renew_ = last_prune_;
  last_wanted_ = last_prune_;
  auto backoff = std::chrono::milliseconds(0);
  std::vector<item> batch;
  std::unique_lock<std::mutex> lock(mutex_);
  auto idle_wait = shared_ ? std::min(opt_.prune_every, opt_.renew_every) : opt_.prune_every;
  for (;;) {
    wake_.wait_for(lock, idle_wait,
                   [&] { return stopping_ || !queue_.empty() || !claims_.empty(); });
    serve_claims(lock);
    if (queue_.empty()) {
      if (stopping_) return;
      lock.unlock();
      maybe_renew(steady::now());
      maybe_hand_off(steady::now());
      maybe_prune(steady::now());
      lock.lock();
      continue;
    }
    std::size_t bytes = 0;
    while (!queue_.empty() && batch.size() < opt_.batch_events &&
           (batch.empty() || bytes < opt_.batch_bytes)) {
      bytes += queue_.front().bytes();
      batch.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
    lock.unlock();
    auto oldest = batch.front().queued;
    bool ok = write(batch);
    if (ok) {
      if (shared_) last_renew_ = steady::now();  // the write renewed the lease
      stats_->durable_lag_ms.observe(ms_since(oldest));
      deliver(batch);
      batch.clear();
      backoff = std::chrono::milliseconds(0);
      maybe_hand_off(steady::now());
      maybe_prune(steady::now());
      lock.lock();
      continue;
    }
    lock.lock();
    // Back at the head, in order, and tried again after a pause (a stop ends the pause).
    for (auto it = batch.rbegin(); it != batch.rend(); ++it) queue_.push_front(std::move(*it));
    batch.clear();
    if (stopping_) {
      log::error("durable_log", "stopping with events that are not durable (never sent)",
                 {{"events", std::to_string(queue_.size())}});
      return;
    }
    backoff = backoff.count() == 0 ? opt_.first_retry : std::min(backoff * 2, opt_.max_retry);
    wake_.wait_for(lock, backoff, [&] { return stopping_ || !claims_.empty(); });
  }
}

}  // namespace aw::actors
