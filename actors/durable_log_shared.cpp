// The durable log's part that only a shared store (PostgreSQL, several
// gateways) uses: claiming a user before its session starts, the node's lease,
// and handing users back to the gateway that asked for them (issue #18).
#include <caf/send.hpp>

#include "actors/durable_log.hpp"
#include "actors/ids.hpp"
#include "core/log.hpp"
#include "protocol/server_messages.hpp"

namespace aw::actors {

using steady = std::chrono::steady_clock;

void durable_log::claim(const caf::actor& session, std::string user_id, std::string new_epoch) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    claims_.push_back({session, std::move(user_id), std::move(new_epoch)});
  }
  wake_.notify_one();
}

std::shared_ptr<claim_reply> durable_log::do_claim(const claim_item& c) {
  auto reply = std::make_shared<claim_reply>();
  try {
    auto found = db_->claim(c.user_id, c.new_epoch);
    using outcome = store::claim_result::outcome;
    reply->from_node = found.from_node;
    if (found.result == outcome::owned_elsewhere) {
      reply->result = claim_reply::outcome::refused;
      stats_->durable_claims_refused++;
      log::info("durable_log", "user refused: its session is live on another gateway",
                {{"user", c.user_id}, {"owner", found.from_node}});
      return reply;
    }
    reply->owner_epoch = found.user.owner_epoch;
    if (found.result != outcome::fresh) {
      std::size_t total = 0;
      std::size_t not_loaded = 0;
      reply->user =
          to_recovered(found.user, protocol::now_unix_ms(), total, not_loaded, reply->ended);
      stats_->durable_rows += static_cast<std::int64_t>(reply->ended.size());
    }
    reply->result = claim_reply::outcome::ready;
    if (found.result == outcome::handed_over) {
      stats_->durable_handoffs++;
      log::info("durable_log", "user handed over by a live gateway that released it",
                {{"user", c.user_id},
                 {"from", found.from_node},
                 {"last_seq", std::to_string(found.user.last_seq)}});
    }
    if (found.result == outcome::taken_over) {
      reply->taken_over = true;
      stats_->durable_takeovers++;
      stats_->recovered_runs += static_cast<std::int64_t>(reply->ended.size());
      log::warn("durable_log", "user taken over from a gateway whose lease expired",
                {{"user", c.user_id},
                 {"from", found.from_node},
                 {"last_seq", std::to_string(found.user.last_seq)},
                 {"runs_ended_gateway_lost", std::to_string(reply->ended.size())},
                 {"runs_to_repeat", std::to_string(reply->user->rerun.size())}});
    }
  } catch (const std::exception& e) {
    if_fenced(e);
    reply = std::make_shared<claim_reply>();  // failed
    stats_->durable_write_failures++;
    log::error("durable_log", "claiming a user in the durable event log failed",
               {{"user", c.user_id}, {"error", e.what()}});
  }
  // A session claimed its user: a history adopted for it meanwhile
  // (adopt_orphans) is what this claim just read again, no longer to take().
  if (c.session && reply->result == claim_reply::outcome::ready) {
    std::lock_guard<std::mutex> lock(recovered_mutex_);
    recovered_.erase(c.user_id);
  }
  return reply;
}

void durable_log::set_adopter(adopter adopt) {
  std::lock_guard<std::mutex> lock(adopter_mutex_);
  adopt_ = std::move(adopt);
}

void durable_log::adopt_orphans() {
  {
    std::lock_guard<std::mutex> lock(adopter_mutex_);
    if (!adopt_) return;
  }
  std::vector<std::string> users;
  try {
    users = db_->orphans(100);
  } catch (const std::exception& e) {
    if_fenced(e);
    log::warn("durable_log", "reading the users of dead gateways failed", {{"error", e.what()}});
    return;
  }
  for (const auto& user : users) {
    auto reply = do_claim(claim_item{caf::actor(), user, random_tag("e")});
    if (reply->result != claim_reply::outcome::ready || !reply->user) continue;
    log::info("durable_log", "user of a dead gateway adopted, no one connected",
              {{"user", user},
               {"from", reply->from_node},
               {"runs_to_repeat", std::to_string(reply->user->rerun.size())}});
    {
      std::lock_guard<std::mutex> lock(recovered_mutex_);
      recovered_[user] = std::move(*reply->user);
    }
    std::lock_guard<std::mutex> lock(adopter_mutex_);
    if (adopt_) adopt_(user, std::move(reply->ended));
  }
}

void durable_log::serving(const std::string& user_id, const caf::actor& session) {
  std::lock_guard<std::mutex> lock(recovered_mutex_);
  serving_[user_id] = session;
}

void durable_log::leaving(const std::string& user_id, const caf::actor& session, bool release,
                          std::int64_t owner_epoch) {
  {
    std::lock_guard<std::mutex> lock(recovered_mutex_);
    if (auto it = serving_.find(user_id); it != serving_.end() && it->second == session)
      serving_.erase(it);
  }
  if (!release) return;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    claims_.push_back({session, user_id, {}, true, owner_epoch});
  }
  wake_.notify_one();
}

void durable_log::serve_claims(std::unique_lock<std::mutex>& lock) {
  while (!claims_.empty()) {
    auto c = std::move(claims_.front());
    claims_.pop_front();
    if (!c.release && forget_pending(c.user_id)) {
      // The user's last session here retired a moment ago and its rows are
      // not removed yet: claimed now, they would be removed under the new
      // session. This connection is refused (1013); the client's next try
      // comes after the removal.
      auto reply = std::make_shared<claim_reply>();
      reply->result = claim_reply::outcome::failed;
      caf::anon_send(c.session, claimed_atom::value, std::move(reply));
      continue;
    }
    lock.unlock();
    if (c.release) {
      try {
        db_->release(c.user_id, c.owner_epoch);
        log::info("durable_log", "user released for the gateway that asked for it",
                  {{"user", c.user_id}});
      } catch (const std::exception& e) {  // the user stays ours; its next session claims it
        if_fenced(e);
        stats_->durable_write_failures++;
        log::warn("durable_log", "releasing a user failed",
                  {{"user", c.user_id}, {"error", e.what()}});
      }
      lock.lock();
      continue;
    }
    auto reply = do_claim(c);
    caf::anon_send(c.session, claimed_atom::value, std::move(reply));
    lock.lock();
  }
}

bool durable_log::forget_pending(const std::string& user_id) const {
  for (const auto& it : queue_)
    if (it.forget && *it.user_id == user_id) return true;
  return false;
}

void durable_log::maybe_renew(steady::time_point now) {
  if (!shared_ || now - last_renew_ < opt_.renew_every) return;
  last_renew_ = now;
  try {
    db_->renew();
    if (!stats_->durable_up.exchange(true))
      log::info("durable_log", "the durable event log writes again");
  } catch (const std::exception& e) {
    if_fenced(e);
    stats_->durable_write_failures++;
    if (stats_->durable_up.exchange(false))
      log::error("durable_log", "the durable event log cannot renew this node's lease",
                 {{"error", e.what()}});
  }
}

// Users another gateway asked for: their session here hands them over when
// idle; one loaded at start-up that no session took is released at once.
void durable_log::maybe_hand_off(steady::time_point now) {
  if (!shared_ || now - last_wanted_ < opt_.renew_every) return;
  last_wanted_ = now;
  adopt_orphans();
  std::vector<std::string> users;
  try {
    users = db_->wanted();
  } catch (const std::exception& e) {
    if_fenced(e);
    log::warn("durable_log", "reading the users other gateways asked for failed",
              {{"error", e.what()}});
    return;
  }
  for (const auto& user : users) {
    caf::actor session;
    std::optional<std::int64_t> unserved;
    {
      std::lock_guard<std::mutex> lock(recovered_mutex_);
      if (auto it = serving_.find(user); it != serving_.end()) {
        session = it->second;
      } else if (auto r = recovered_.find(user); r != recovered_.end()) {
        unserved = r->second.owner_epoch;
        recovered_.erase(r);
      }
    }
    if (session) caf::anon_send(session, handoff_atom::value);
    if (!unserved) continue;
    try {
      db_->release(user, *unserved);
    } catch (const std::exception& e) {
      if_fenced(e);
      log::warn("durable_log", "releasing a user failed", {{"user", user}, {"error", e.what()}});
    }
  }
}

}  // namespace aw::actors
