#include "cluster/node_dispatcher.hpp"

#include <algorithm>
#include <optional>
#include <set>

#include <caf/all.hpp>
#include <caf/io/middleman.hpp>
#include <caf/openssl/manager.hpp>

#include "actors/messages.hpp"
#include "actors/step_errors.hpp"
#include "actors/step_timeouts.hpp"
#include "cluster/reply_checks.hpp"
#include "core/log.hpp"
#include "protocol/server_messages.hpp"

namespace aw::cluster {
namespace {

using namespace actors;

using dispatcher_self = dispatcher_actor_type::stateful_base<dispatcher_state>;

constexpr auto tick = std::chrono::seconds(1);
constexpr auto connect_timeout = std::chrono::seconds(5);
constexpr int max_attempts = 2;  // a step whose node dies is retried once

std::int64_t now_ms() {
  return protocol::now_unix_ms();
}

std::int64_t backoff_ms(int failures) {
  return std::min<std::int64_t>(5000, std::int64_t{250} << std::min(failures, 5));
}

// The live node with the fewest steps from this gateway, then the fewest
// reported by the node itself (other gateways' steps); ties go round-robin.
std::optional<std::size_t> pick_node(dispatcher_state& st, std::optional<std::size_t> avoid) {
  std::optional<std::size_t> best;
  auto n = st.nodes.size();
  for (std::size_t k = 0; k < n; ++k) {
    auto i = (st.round_robin + k) % n;
    const auto& w = st.nodes[i];
    if (!w.live() || (avoid && *avoid == i)) continue;
    if (!best) {
      best = i;
      continue;
    }
    const auto& b = st.nodes[*best];
    if (std::make_pair(w.in_flight, w.reported_active) <
        std::make_pair(b.in_flight, b.reported_active))
      best = i;
  }
  if (best) st.round_robin = *best + 1;
  return best;
}

void fail_step(dispatcher_self* self, std::uint64_t id, const std::string& why) {
  auto it = self->state.steps.find(id);
  if (it == self->state.steps.end()) return;
  it->second.promise.deliver(actors::make_error(protocol::error_code::worker_lost, why));
  self->state.steps.erase(it);
}

// Sends the step to a live node other than `avoid`; with none, fails it.
void start_attempt(dispatcher_self* self, std::uint64_t id, std::optional<std::size_t> avoid) {
  auto& st = self->state;
  auto it = st.steps.find(id);
  if (it == st.steps.end()) return;
  auto& step = it->second;
  auto w = pick_node(st, avoid);
  if (!w) {
    return fail_step(self, id,
                     std::string("the ") + step.what +
                         (step.attempts == 0 ? " step found no live worker node"
                                             : " step lost its worker node and no other is live"));
  }
  if (step.attempts > 0) st.stats->worker_retried_steps.fetch_add(1, std::memory_order_relaxed);
  step.node = *w;
  step.attempts++;
  step.attempt = ++st.next_attempt;
  st.nodes[*w].in_flight++;
  step.send(*w, step.attempt);
}

// The step's node is gone (or refused it as gone): once more elsewhere.
void retry_or_fail(dispatcher_self* self, std::uint64_t id, std::size_t lost_node) {
  auto& st = self->state;
  auto it = st.steps.find(id);
  if (it == st.steps.end()) return;
  st.stats->worker_lost_steps.fetch_add(1, std::memory_order_relaxed);
  if (it->second.attempts >= max_attempts)
    return fail_step(self, id,
                     std::string("the ") + it->second.what + " step lost its worker node twice (" +
                         st.nodes[lost_node].address + ")");
  start_attempt(self, id, lost_node);
}

void node_lost(dispatcher_self* self, std::size_t i, const std::string& why) {
  auto& st = self->state;
  auto& w = st.nodes[i];
  if (!w.live()) return;
  log::warn("cluster", "worker lost",
            {{"worker", w.address},
             {"node", w.node},
             {"error", why},
             {"steps_in_flight", std::to_string(w.in_flight)}});
  self->demonitor(w.front.address());
  w.front = nullptr;
  w.incarnation++;
  w.in_flight = 0;
  w.reported_active = 0;
  w.failures = 0;
  w.next_attempt_ms = now_ms();  // it may be back at once (a restart)
  st.stats->workers_live.fetch_sub(1, std::memory_order_relaxed);
  std::vector<std::uint64_t> orphans;
  for (const auto& [id, step] : st.steps)
    if (step.node == i) orphans.push_back(id);
  for (auto id : orphans) retry_or_fail(self, id, i);
}

// A reply is network input: one that fails `check` fails the step (with
// invalid_reply, which the run maps to the step's protocol error) and is
// logged; the node stays in use.
template <class Reply, class Check>
void on_answer(dispatcher_self* self, std::uint64_t id, std::uint64_t attempt, Reply& reply,
               const Check& check) {
  auto& st = self->state;
  auto it = st.steps.find(id);
  if (it == st.steps.end() || it->second.attempt != attempt) return;  // answered or moved on
  auto& w = st.nodes[it->second.node];
  w.in_flight = std::max(0, w.in_flight - 1);
  w.steps_done++;
  if (auto why = check(reply); !why.empty()) {
    log::error(
        "cluster", "invalid reply from worker",
        {{"worker", w.address}, {"node", w.node}, {"step", it->second.what}, {"error", why}});
    it->second.promise.deliver(make_error(
        cluster_error::invalid_reply, std::string("the ") + it->second.what + " reply of worker " +
                                          w.address + " is invalid: " + why));
  } else {
    it->second.promise.deliver(std::move(reply));
  }
  st.steps.erase(it);
}

void on_failure(dispatcher_self* self, std::uint64_t id, std::uint64_t attempt, caf::error& err) {
  auto& st = self->state;
  auto it = st.steps.find(id);
  if (it == st.steps.end() || it->second.attempt != attempt) return;
  auto node = it->second.node;
  auto& w = st.nodes[node];
  w.in_flight = std::max(0, w.in_flight - 1);
  // The node's proxy bounced the request: the node is going away.
  if (err == caf::sec::request_receiver_down) return retry_or_fail(self, id, node);
  // Anything else is the step's own answer (a timeout, a status such as LLM_UNAVAILABLE).
  it->second.promise.deliver(std::move(err));
  st.steps.erase(it);
}

// Registers the step and sends it; the request is built again for a retry.
template <class Reply, class Check, class... Ts>
caf::delegated<Reply> dispatch(dispatcher_self* self, const char* what, Check check,
                               std::chrono::seconds timeout, Ts&&... xs) {
  auto& st = self->state;
  auto id = ++st.next_step;
  dispatched_step step;
  step.promise = self->make_response_promise();
  step.what = what;
  step.send = [self, id, timeout, check, xs...](std::size_t w, std::uint64_t attempt) {
    self->request(self->state.nodes[w].front, timeout, xs...)
        .then([self, id, attempt,
               check](Reply& reply) { on_answer(self, id, attempt, reply, check); },
              [self, id, attempt](caf::error& err) { on_failure(self, id, attempt, err); });
  };
  st.steps.emplace(id, std::move(step));
  start_attempt(self, id, std::nullopt);
  return {};
}

void connect_failed(dispatcher_self* self, std::size_t i, const std::string& why, bool refused) {
  auto& w = self->state.nodes[i];
  w.connecting = false;
  w.failures++;
  w.next_attempt_ms = now_ms() + backoff_ms(w.failures);
  // A refusal is a misconfiguration and always said; an absent node only
  // on the first failure and then every ~minute, not every attempt.
  if (refused)
    log::error("cluster", "worker refused this gateway", {{"worker", w.address}, {"error", why}});
  else if (w.failures == 1 || w.failures % 12 == 0)
    log::warn("cluster", "worker not reachable, retrying",
              {{"worker", w.address}, {"error", why}, {"attempts", std::to_string(w.failures)}});
}

void greet(dispatcher_self* self, std::size_t i, node_front_api front) {
  const auto& cfg = *self->state.cfg;
  self->request(front, connect_timeout, hello_atom::value, cluster_version(*self->state.cfg),
                cfg.node_id)
      .then(
          [self, i, front](std::uint32_t version, std::string& node) {
            auto& st = self->state;
            auto& w = st.nodes[i];
            if (version != cluster_version(*self->state.cfg))
              return connect_failed(self, i,
                                    "cluster protocol version " + std::to_string(version) +
                                        " differs from this gateway's " +
                                        std::to_string(cluster_version(*self->state.cfg)),
                                    true);
            w.connecting = false;
            w.failures = 0;
            w.front = front;
            w.node = std::move(node);
            self->monitor(front);
            st.stats->workers_live.fetch_add(1, std::memory_order_relaxed);
            log::info("cluster", "worker connected", {{"worker", w.address}, {"node", w.node}});
          },
          [self, i](caf::error& err) {
            bool refused = is_cluster_error(err);
            connect_failed(self, i, error_text(err), refused);
          });
}

void connect_missing(dispatcher_self* self) {
  auto& st = self->state;
  auto now = now_ms();
  // With TLS, CAF's OpenSSL middleman: the same interface, TLS connections.
  auto mm = st.cfg->cluster_tls() ? self->home_system().openssl_manager().actor_handle()
                                  : self->home_system().middleman().actor_handle();
  for (std::size_t i = 0; i < st.nodes.size(); ++i) {
    auto& w = st.nodes[i];
    if (w.live() || w.connecting || now < w.next_attempt_ms) continue;
    w.connecting = true;
    self->request(mm, connect_timeout, caf::connect_atom::value, w.host, w.port)
        .then(
            [self, i](caf::node_id&, caf::strong_actor_ptr& ptr, std::set<std::string>&) {
              auto front = caf::actor_cast<node_front_api>(ptr);
              if (!front) return connect_failed(self, i, "no actor is published there", false);
              greet(self, i, std::move(front));
            },
            [self, i](caf::error& err) { connect_failed(self, i, caf::to_string(err), false); });
  }
}

void heartbeat(dispatcher_self* self) {
  auto& st = self->state;
  auto timeout = std::chrono::seconds(st.cfg->worker_timeout_s);
  for (std::size_t i = 0; i < st.nodes.size(); ++i) {
    auto& w = st.nodes[i];
    if (!w.live()) continue;
    auto incarnation = w.incarnation;
    self->request(w.front, timeout, heartbeat_atom::value)
        .then(
            [self, i, incarnation](std::int64_t active) {
              auto& w = self->state.nodes[i];
              if (w.incarnation == incarnation) w.reported_active = active;
            },
            [self, i, incarnation](caf::error& err) {
              if (self->state.nodes[i].incarnation != incarnation) return;
              node_lost(self, i, "no heartbeat answer: " + caf::to_string(err));
            });
  }
}

std::vector<node_link> parse_nodes(const std::string& list) {
  std::vector<node_link> out;
  for (const auto& item : core::split_worker_addresses(list)) {
    auto colon = item.rfind(':');
    node_link w;
    w.address = item;
    w.host = item.substr(0, colon);
    if (w.host.size() > 2 && w.host.front() == '[' && w.host.back() == ']')
      w.host = w.host.substr(1, w.host.size() - 2);  // [::1]:9100
    w.port = static_cast<std::uint16_t>(std::stoi(item.substr(colon + 1)));
    out.push_back(std::move(w));
  }
  return out;
}

}  // namespace

dispatcher_actor_type::behavior_type node_dispatcher(dispatcher_self* self,
                                                     std::shared_ptr<const core::config> cfg,
                                                     std::shared_ptr<counters> stats) {
  auto& st = self->state;
  st.cfg = std::move(cfg);
  st.stats = std::move(stats);
  st.nodes = parse_nodes(st.cfg->workers);
  log::info("cluster", "gateway dispatching to workers",
            {{"workers", st.cfg->workers}, {"tls", st.cfg->cluster_tls() ? "on" : "off"}});
  self->set_down_handler([self](caf::down_msg& dm) {
    auto& nodes = self->state.nodes;
    for (std::size_t i = 0; i < nodes.size(); ++i)
      if (nodes[i].live() && nodes[i].front.address() == dm.source)
        node_lost(self, i, "node down: " + caf::to_string(dm.reason));
  });
  self->send(self, reconnect_atom::value);
  const auto& c = *self->state.cfg;
  return {
      [self, &c](plan_atom a, protocol::analytics_payload& payload) {
        return dispatch<analytics::chart_plan>(self, "plan", check_plan_reply, plan_timeout(c), a,
                                               std::move(payload));
      },
      [self, &c](generate_atom a, protocol::analytics_payload& payload, protocol::chart_type type,
                 caf::actor& stream_to) {
        return dispatch<analytics::generation>(self, "generate", check_generation_reply,
                                               generate_timeout(c), a, std::move(payload), type,
                                               std::move(stream_to));
      },
      [self, &c](render_atom a, std::string& user, render::chart_spec& spec) {
        auto max_bytes = static_cast<std::size_t>(c.max_chart_size_mb) << 20;
        auto check = [max_bytes, format = spec.format, width = spec.width,
                      height = spec.height](const render::render_output& out) {
          render::chart_spec asked;
          asked.format = format;
          asked.width = width;
          asked.height = height;
          return check_render_reply(out, asked, max_bytes);
        };
        return dispatch<render::render_output>(self, "render", check, render_timeout(c), a,
                                               std::move(user), std::move(spec));
      },
      [self](reconnect_atom) {
        connect_missing(self);
        heartbeat(self);
        self->delayed_send(self, tick, reconnect_atom::value);
      },
  };
}

}  // namespace aw::cluster
