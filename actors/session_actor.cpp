#include "actors/session_actor.hpp"

#include <algorithm>

#include <caf/all.hpp>

#include "actors/history_record.hpp"
#include "actors/history_writer.hpp"  // the history_write message
#include "actors/ids.hpp"
#include "actors/session_state.hpp"
#include "core/log.hpp"

namespace aw::actors {
namespace session {
namespace {

using protocol::error_code;

void on_connect(session_self* self, conn_id conn, std::string& session_id, std::int64_t last_seq,
                const std::string& epoch) {
  auto& st = self->state;
  auto now = now_ms();
  st.handing_off = false;  // the user is back here: it stays
  protocol::connection_ack ack;
  ack.user_id = st.user_id;
  ack.session_id = session_id;
  ack.node = st.svc.cfg->node_id;
  ack.heartbeat_s = st.svc.cfg->heartbeat_s;
  ack.last_seq = st.events->visible_seq();
  ack.epoch = st.events->epoch();
  st.svc.out->send(conn, std::make_shared<const std::string>(protocol::write_connection_ack(ack)));
  // Replay strictly before live events: both happen inside this one handler.
  if (last_seq >= 0) st.events->replay(conn, static_cast<std::uint64_t>(last_seq), epoch, now);
  st.events->attach(conn);
  // The gateway owns the user's connection registry and its cap: it sends
  // disconnect_atom for a connection it supersedes.
  st.conns.push_back(connection_info{conn, std::move(session_id)});
}

void on_disconnect(session_self* self, conn_id conn) {
  auto& st = self->state;
  st.events->detach(conn);
  for (auto it = st.conns.begin(); it != st.conns.end(); ++it) {
    if (it->id == conn) {
      st.conns.erase(it);
      break;
    }
  }
  schedule_idle_check(self);
}

// Handlers shared by every state of the session.
caf::message_handler common_handlers(session_self* self) {
  return {
      [self](connect_atom, conn_id conn, std::string& session_id, std::int64_t last_seq,
             const std::string& epoch) { on_connect(self, conn, session_id, last_seq, epoch); },
      [self](disconnect_atom, conn_id conn) { on_disconnect(self, conn); },
      [self](watch_atom, conn_id conn) {
        auto& st = self->state;
        st.watchers.push_back(conn);
        st.events->attach(conn);
      },
      [self](unwatch_atom, conn_id conn) {
        auto& st = self->state;
        st.watchers.erase(std::remove(st.watchers.begin(), st.watchers.end(), conn),
                          st.watchers.end());
        st.events->detach(conn);
      },
      [self](cancel_atom, conn_id conn, const std::string& correlation_id) {
        auto& st = self->state;
        auto it = st.run_by_correlation.find(correlation_id);
        if (auto waiting = st.recalling.find(correlation_id);
            it == st.run_by_correlation.end() && waiting != st.recalling.end()) {
          waiting->second = true;  // it starts and ends at once when the read is back
          return;
        }
        if (it == st.run_by_correlation.end())
          return send_error(self, conn, error_code::not_found,
                            "no running run has correlation_id " + correlation_id, correlation_id);
        std::string run_id = it->second;
        end_run(self, run_id, protocol::run_status::cancelled, error_code::cancelled,
                "the run was cancelled by the client");
      },
      [self](admin_cancel_atom, const std::string& correlation_id) {
        auto& st = self->state;
        auto it = st.run_by_correlation.find(correlation_id);
        if (it == st.run_by_correlation.end()) return false;
        std::string run_id = it->second;
        end_run(self, run_id, protocol::run_status::cancelled, error_code::cancelled,
                "the run was cancelled by an operator");
        return true;
      },
      [self](admin_info_atom) {
        auto& st = self->state;
        std::string runs;
        for (const auto& [cid, run_id] : st.run_by_correlation)
          runs += std::string(runs.empty() ? "" : ",") + "{\"correlation_id\":\"" + cid +
                  "\",\"run_id\":\"" + run_id + "\"}";
        // Ids are checked at the protocol's charset ([A-Za-z0-9_.:@-]): no escaping needed.
        return "{\"user_id\":\"" + st.user_id + "\",\"epoch\":\"" + st.events->epoch() +
               "\",\"last_seq\":" + std::to_string(st.events->visible_seq()) +
               ",\"oldest_seq\":" + std::to_string(st.events->oldest_seq()) +
               ",\"connections\":" + std::to_string(st.conns.size()) + ",\"runs\":[" + runs + "]}";
      },
      [self](resume_atom, conn_id conn, std::uint64_t last_seq) {
        self->state.events->replay(conn, last_seq, std::string(), now_ms());
      },
      [self](emit_atom, pending_event& ev) { on_run_event(self, ev); },
      [self](durable_atom, std::uint64_t upto, const std::vector<frame_ptr>& frames) {
        self->state.events->delivered(upto, frames);
        maybe_drained(self);
      },
      [self](run_timeout_atom, const std::string& run_id) {
        auto secs = std::to_string(self->state.svc.cfg->chart_generation_timeout_s);
        end_run(self, run_id, protocol::run_status::timeout, error_code::timeout,
                "the run took longer than CHART_GENERATION_TIMEOUT_S (" + secs + " s)");
      },
      [self](idle_check_atom) {
        auto& st = self->state;
        auto idle_ms = now_ms() - st.idle_since_ms;
        if (st.conns.empty() && st.runs.empty() &&
            idle_ms >= static_cast<std::int64_t>(st.svc.cfg->event_buffer_s) * 1000)
          st.svc.out->retire(st.user_id, caf::actor_cast<caf::actor>(self));
      },
      [self](retire_atom) {
        auto& st = self->state;
        if (!st.conns.empty() || !st.runs.empty()) return;
        if (st.svc.durable && st.svc.durable->shared())
          st.svc.durable->leaving(st.user_id, caf::actor_cast<caf::actor>(self), st.handing_off,
                                  st.owner_epoch);
        if (st.handing_off) {
          log::info("session", "user handed over to the gateway that asked for it",
                    {{"user", st.user_id}});
        } else {
          log::debug("session", "user forgotten after idle time", {{"user", st.user_id}});
          if (st.svc.durable) st.svc.durable->forget(st.user_id);
        }
        self->quit();
      },
      [self](handoff_atom) {
        auto& st = self->state;
        if (!st.conns.empty() || !st.runs.empty() || !st.watchers.empty() || st.draining) return;
        st.handing_off = true;
        st.svc.out->retire(st.user_id, caf::actor_cast<caf::actor>(self));
      },
  };
}

caf::behavior draining(session_self* self);

// Normal operation: requests start runs.
caf::behavior live(session_self* self) {
  return caf::message_handler{
      [self](request_atom, conn_id conn, protocol::analytics_request& req) {
        on_request(self, conn, req);
      },
      [self](drain_atom) {
        auto& st = self->state;
        st.draining = true;
        maybe_drained(self);
        self->become(draining(self));
      },
  }
      .or_else(common_handlers(self));
}

// The node is shutting down: runs in flight may finish, new ones are refused,
// and shutdown_atom ends whatever is still running.
caf::behavior draining(session_self* self) {
  return caf::message_handler{
      [self](request_atom, conn_id conn, protocol::analytics_request& req) {
        send_error(self, conn, error_code::shutting_down,
                   "the server is shutting down; reconnect and send the request again",
                   req.correlation_id);
      },
      [](drain_atom) {},
      [self](shutdown_atom) {
        std::vector<std::string> ids;
        for (const auto& [run_id, run] : self->state.runs) ids.push_back(run_id);
        for (const auto& id : ids)
          end_run(self, id, protocol::run_status::error, error_code::shutting_down,
                  "the server shut down before the run finished");
      },
  }
      .or_else(common_handlers(self));
}

// The user's history: recovered (a restart, a takeover) or new with `epoch`.
void open_history(session_self* self, std::optional<recovered_user>& recovered,
                  const std::string& epoch) {
  auto& st = self->state;
  const auto& cfg = *st.svc.cfg;
  event_log_limits limits{static_cast<std::size_t>(cfg.event_buffer_events),
                          static_cast<std::int64_t>(cfg.event_buffer_s) * 1000,
                          static_cast<std::size_t>(cfg.event_buffer_bytes),
                          st.svc.stats ? &st.svc.stats->event_buffer_bytes : nullptr,
                          static_cast<std::int64_t>(cfg.event_buffer_total_mb) << 20};
  st.events = std::make_unique<emitter>(st.user_id, recovered ? recovered->epoch : epoch, limits,
                                        st.svc.out, st.svc.stats.get());
  if (recovered) st.events->restore(*recovered);
  if (st.svc.durable)
    st.events->make_durable(st.svc.durable.get(), caf::actor_cast<caf::actor>(self));
  if (st.svc.durable && st.svc.durable->shared()) {
    if (recovered) st.owner_epoch = recovered->owner_epoch;
    st.svc.durable->serving(st.user_id, caf::actor_cast<caf::actor>(self));
  }
  if (recovered)
    for (auto& run : recovered->rerun) repeat_run(self, run);
}

// The user's session is live on another gateway (or the store did not
// answer the claim): every connection that reaches this session is closed
// (1013, try again later) and the session goes once none is left.
caf::behavior refusing(session_self* self) {
  auto leave = [self] {
    auto& st = self->state;
    st.svc.out->retire(st.user_id, caf::actor_cast<caf::actor>(self));
  };
  leave();
  return {
      [self](connect_atom, conn_id conn, std::string&, std::int64_t, const std::string&) {
        self->state.svc.out->close(conn, close_reason::owned_elsewhere);
      },
      [self](watch_atom, conn_id conn) {
        self->state.svc.out->close(conn, close_reason::owned_elsewhere);
      },
      [leave](disconnect_atom, conn_id) { leave(); },
      [](unwatch_atom, conn_id) {},
      [](request_atom, conn_id, protocol::analytics_request&) {},
      [](drain_atom) {},
      [self](retire_atom) { self->quit(); },
  };
}

// Several gateways share the durable log: the session waits for its user's
// claim (durable_log::claim) before anything else; messages wait in the mailbox.
caf::behavior claiming(session_self* self, std::string epoch) {
  self->set_default_handler(caf::skip);
  return {
      [self, epoch](claimed_atom, std::shared_ptr<claim_reply>& reply) {
        auto& st = self->state;
        self->set_default_handler(caf::print_and_drop);
        if (reply->result != claim_reply::outcome::ready) {
          log::warn("session",
                    "user not served here: its session is live on another gateway, or the "
                    "durable log did not answer; its connections are closed 1013",
                    {{"user", st.user_id}, {"owner", reply->from_node}});
          self->become(refusing(self));
          return;
        }
        st.owner_epoch = reply->owner_epoch;
        open_history(self, reply->user, epoch);
        auto now = now_ms();
        for (const auto& run : reply->ended)  // ended GATEWAY_LOST by the takeover, durable
          account_lost_run(st.svc, st.user_id, run, now);
        self->become(live(self));
      },
  };
}

caf::behavior session_actor(session_self* self, services svc, std::string user_id) {
  auto& st = self->state;
  st.svc = std::move(svc);
  st.user_id = std::move(user_id);
  std::optional<recovered_user> recovered;
  if (st.svc.durable) recovered = st.svc.durable->take(st.user_id);
  auto epoch = random_tag("e");
  bool claim = !recovered && st.svc.durable && st.svc.durable->shared();
  if (claim)
    st.svc.durable->claim(caf::actor_cast<caf::actor>(self), st.user_id, epoch);
  else
    open_history(self, recovered, epoch);
  self->set_down_handler([self](caf::down_msg& msg) {
    auto& st = self->state;
    for (auto& [run_id, run] : st.runs) {
      if (run.actor.address() != msg.source) continue;
      std::string id = run_id;  // end_run erases the entry
      log::warn("session", "run actor stopped before completing",
                {{"user", st.user_id}, {"run", id}, {"reason", caf::to_string(msg.reason)}});
      end_run(self, id, protocol::run_status::error, error_code::generation_failed,
              "the run stopped unexpectedly");
      return;
    }
  });
  return claim ? claiming(self, epoch) : live(self);
}

}  // namespace
}  // namespace session

caf::actor spawn_session(caf::actor_system& system, const services& svc, std::string user_id) {
  return system.spawn(session::session_actor, svc, std::move(user_id));
}

}  // namespace aw::actors
