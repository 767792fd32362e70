#include "actors/emitter.hpp"

#include <algorithm>

#include "actors/durable_log.hpp"
#include "actors/ids.hpp"
#include "core/log.hpp"

namespace aw::actors {

emitter::emitter(std::string user_id, std::string epoch, event_log_limits limits, outbox* out,
                 counters* stats)
    : user_id_(std::make_shared<const std::string>(std::move(user_id))),
      epoch_(std::make_shared<const std::string>(std::move(epoch))),
      out_(out),
      stats_(stats),
      log_(limits) {}

event_ptr emitter::emit(const std::shared_ptr<const run_identity>& run, protocol::event_data data,
                        std::int64_t now_ms, std::string_view image,
                        std::shared_ptr<const std::string> resume) {
  auto record = std::make_shared<event_record>();
  auto& ev = record->event;
  ev.seq = ++last_seq_;
  ev.event_id = make_id("evt");
  ev.run = run;
  ev.user_id = user_id_;
  ev.unix_ms = now_ms;
  ev.data = std::move(data);
  record->frame = protocol::write_frame(ev, image);
  const auto type = ev.type();
  const auto seq = ev.seq;
  event_ptr shared = std::move(record);
  frame_ptr frame = shared_frame(shared);
  log_.append(seq, now_ms, frame);
  if (durable_ != nullptr) {
    durable_->append(session_, user_id_, epoch_, !epoch_written_, seq, now_ms, std::move(frame),
                     std::move(resume));
    epoch_written_ = true;
    undelivered_.push_back(shared);
  } else if (!conns_.empty()) {
    out_->send_event(conns_, shared);
  }
  if (log::enabled(log::level::debug))
    log::debug("emitter", "event",
               {{"user", *user_id_},
                {"run", run->run_id},
                {"event", protocol::to_string(type)},
                {"seq", std::to_string(seq)}});
  stats_->events_by_type[static_cast<std::size_t>(type)].fetch_add(1, std::memory_order_relaxed);
  return shared;
}

void emitter::make_durable(durable_log* log, caf::actor session) {
  durable_ = log;
  session_ = std::move(session);
  durable_seq_ = last_seq_;
}

void emitter::restore(recovered_user& user) {
  for (auto& e : user.events) log_.append(e.seq, e.at_ms, std::move(e.frame));
  last_seq_ = user.last_seq;
  durable_seq_ = user.last_seq;
  epoch_written_ = true;
}

void emitter::delivered(std::uint64_t upto, const std::vector<frame_ptr>& frames) {
  durable_seq_ = std::max(durable_seq_, upto);
  auto pending = [&] { return undelivered_head_ < undelivered_.size(); };
  auto front = [&]() -> event_ptr& { return undelivered_[undelivered_head_]; };
  auto pop = [&] {
    front().reset();
    if (++undelivered_head_ == undelivered_.size()) {
      undelivered_.clear();
      undelivered_head_ = 0;
    }
  };
  // `frames` are the frames of our own records, in order: each goes out as
  // its record (typed, for AG-UI). A frame that is not (never expected) goes
  // out as it is.
  for (const auto& f : frames) {
    while (pending() && &front()->frame != f.get() && front()->event.seq <= upto) pop();
    event_ptr ev;
    if (pending() && &front()->frame == f.get()) {
      ev = std::move(front());
      pop();
    }
    if (conns_.empty()) continue;
    if (ev)
      out_->send_event(conns_, std::move(ev));
    else
      out_->send_all(conns_, f);
  }
  while (pending() && front()->event.seq <= upto) pop();
}

void emitter::attach(conn_id conn) {
  if (std::find(conns_.begin(), conns_.end(), conn) == conns_.end()) conns_.push_back(conn);
}

void emitter::detach(conn_id conn) {
  conns_.erase(std::remove(conns_.begin(), conns_.end(), conn), conns_.end());
}

void emitter::replay(conn_id conn, std::uint64_t after, const std::string& client_epoch,
                     std::int64_t now_ms) {
  bool epoch_matches = client_epoch.empty() || client_epoch == *epoch_;
  log_.prune(now_ms);
  std::uint64_t oldest = log_.empty() ? last_seq_ + 1 : log_.oldest_seq();
  const std::uint64_t visible = visible_seq();
  bool gap = !epoch_matches || after > visible || after + 1 < oldest;
  std::vector<frame_ptr> frames;
  if (gap) {
    std::string why = !epoch_matches
                          ? "you sent epoch " + client_epoch.substr(0, 64) +
                                ", this server holds epoch " + *epoch_ +
                                " (it restarted, or this is another node): your events are not here"
                      : after > visible ? "last_seq is ahead of this user's history"
                                        : "events after last_seq are no longer held";
    frames.push_back(std::make_shared<const std::string>(
        protocol::write_resume_gap(oldest, *epoch_, why, now_ms)));
    after = oldest - 1;
  }
  log_.for_each_between(after, visible, [&](const frame_ptr& frame) { frames.push_back(frame); });
  if (!frames.empty()) out_->send_replay(conn, std::move(frames));
}

}  // namespace aw::actors
