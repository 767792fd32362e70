#include "actors/render_pool.hpp"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <deque>
#include <string>
#include <unordered_map>

#include <caf/all.hpp>

#include "actors/lru_cache.hpp"
#include "actors/messages.hpp"
#include "actors/render_key.hpp"
#include "core/log.hpp"

namespace aw::actors {
namespace {

// A render thread blocks while gnuplot draws; that is why it is detached (own thread).
// Whether one render thread's gnuplot runs, counted into counters::render_workers_up
// (GET /health); shared with the render thread's exit hook, which outlives its state.
struct liveness {
  std::shared_ptr<counters> stats;
  std::atomic<bool> up{false};
  void set(bool now) {
    if (stats && up.exchange(now) != now) stats->render_workers_up += now ? 1 : -1;
  }
};

struct render_thread_state {
  std::shared_ptr<render::chart_renderer> renderer;
  std::shared_ptr<liveness> alive;
};

caf::behavior render_thread(caf::stateful_actor<render_thread_state>* self,
                            std::shared_ptr<render::chart_renderer> renderer,
                            std::shared_ptr<counters> stats) {
  self->state.renderer = std::move(renderer);
  self->state.alive = std::make_shared<liveness>();
  self->state.alive->stats = std::move(stats);
  self->attach_functor([alive = self->state.alive](const caf::error&) { alive->set(false); });
  // The svg_raster PNG path draws and encodes on this thread (a detached
  // actor's own): like gnuplot, it runs at nice 10 so that a busy renderer
  // yields the CPU to the event path. On Linux a thread id names one thread.
  if (setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), 10) != 0) {
    // keep going at normal priority
  }
  std::string error;
  bool started = self->state.renderer->start(&error);
  if (!started)
    log::error("render", "gnuplot did not start; renders will retry", {{"error", error}});
  self->state.alive->set(started);
  return {
      [self](render_atom, const render::chart_spec& spec) -> render::render_output {
        auto out = self->state.renderer->render(spec);
        self->state.alive->set(self->state.renderer->gnuplot_pid() >= 0);
        return out;
      },
      [self](ready_atom) { return self->state.alive->up.load(); },
  };
}

struct render_job {
  std::string key;
  render::chart_spec spec;
};

struct output_size {
  std::size_t operator()(const render::render_output& out) const { return out.bytes.size(); }
};

// A render thread and its renderer: the pool's exit hook abandons the
// renderer first, so that a thread blocked on a hung gnuplot takes its exit
// message at once instead of after the render timeout.
struct render_thread_handle {
  caf::actor thread;
  std::shared_ptr<render::chart_renderer> renderer;
};

struct pool_state {
  render::renderer_options options;
  std::shared_ptr<counters> stats;                                    // may be null
  std::shared_ptr<std::vector<render_thread_handle>> render_threads;  // shared with the exit hook
  std::vector<bool> busy;
  std::unordered_map<std::string, std::deque<render_job>> queues;  // per user
  std::deque<std::string> turn;  // users with queued jobs, in round-robin order
  // Finished images by render_key, and who waits for an image being drawn:
  // identical requests share one render.
  std::unique_ptr<lru_cache<render::render_output, output_size>> cache;
  std::unordered_map<std::string, std::vector<caf::response_promise>> waiting;
};

using pool_actor = renderer_api::stateful_base<pool_state>;

// Longer than any render (the gnuplot process enforces its own timeout),
// so that a wedged render thread still frees its slot.
constexpr auto thread_request_timeout = std::chrono::seconds(90);

// gnuplot starts on the render thread itself, so a slow or broken gnuplot never
// holds up the start of the service (its child closes every inherited socket).
std::shared_ptr<render::chart_renderer> make_renderer(const render::renderer_options& options) {
  return std::make_shared<render::chart_renderer>(options);
}

void dispatch(pool_actor* self);

void finish(pool_actor* self, std::size_t render_thread, const std::string& key,
            render::render_output& out) {
  auto& st = self->state;
  st.busy[render_thread] = false;
  if (out.ok) st.cache->put(key, out);
  auto it = st.waiting.find(key);
  if (it != st.waiting.end()) {
    auto promises = std::move(it->second);
    st.waiting.erase(it);
    for (auto& p : promises) p.deliver(out);
  }
  dispatch(self);
}

void assign(pool_actor* self, std::size_t render_thread, render_job job) {
  self->state.busy[render_thread] = true;
  auto key = job.key;
  self->request((*self->state.render_threads)[render_thread].thread, thread_request_timeout,
                render_atom::value, std::move(job.spec))
      .then([self, render_thread,
             key](render::render_output& out) { finish(self, render_thread, key, out); },
            [self, render_thread, key](caf::error& err) {
              render::render_output out;
              out.error = "render worker failed: " + caf::to_string(err);
              finish(self, render_thread, key, out);
            });
}

void dispatch(pool_actor* self) {
  auto& st = self->state;
  for (std::size_t i = 0; i < st.render_threads->size() && !st.turn.empty(); ++i) {
    if (st.busy[i]) continue;
    std::string user = std::move(st.turn.front());
    st.turn.pop_front();
    auto& queue = st.queues[user];
    render_job job = std::move(queue.front());
    queue.pop_front();
    if (queue.empty())
      st.queues.erase(user);
    else
      st.turn.push_back(std::move(user));
    assign(self, i, std::move(job));
  }
}

render_thread_handle spawn_render_thread(caf::actor_system& system,
                                         const render::renderer_options& options,
                                         const std::shared_ptr<counters>& stats) {
  auto renderer = make_renderer(options);
  return {system.spawn<caf::detached>(render_thread, renderer, stats), renderer};
}

renderer_api::behavior_type render_pool(pool_actor* self,
                                        std::vector<render_thread_handle> render_threads,
                                        render::renderer_options options, std::size_t cache_bytes,
                                        std::shared_ptr<counters> stats) {
  self->state.options = options;
  self->state.stats = stats;
  self->state.cache = std::make_unique<lru_cache<render::render_output, output_size>>(cache_bytes);
  self->state.render_threads =
      std::make_shared<std::vector<render_thread_handle>>(std::move(render_threads));
  self->state.busy.assign(self->state.render_threads->size(), false);
  for (auto& w : *self->state.render_threads) self->monitor(w.thread);
  // Render threads are detached (threads of their own): they go when the pool goes.
  self->attach_functor([render_threads = self->state.render_threads](const caf::error& reason) {
    for (auto& w : *render_threads) {
      w.renderer->abandon();
      caf::anon_send_exit(w.thread, caf::exit_reason::user_shutdown);
    }
  });
  self->set_down_handler([self](caf::down_msg& msg) {
    auto& st = self->state;
    for (std::size_t i = 0; i < st.render_threads->size(); ++i) {
      if ((*st.render_threads)[i].thread.address() != msg.source) continue;
      log::warn("render", "render worker died; starting a new one",
                {{"reason", caf::to_string(msg.reason)}});
      (*st.render_threads)[i] = spawn_render_thread(self->system(), st.options, st.stats);
      self->monitor((*st.render_threads)[i].thread);
    }
  });
  return {
      [self](render_atom, const std::string& user,
             render::chart_spec& spec) -> caf::result<render::render_output> {
        auto& st = self->state;
        std::string key = render_key(spec);
        if (const auto* hit = st.cache->get(key)) {
          render::render_output out = *hit;
          out.duration_ms = 0;
          return out;
        }
        auto& waiters = st.waiting[key];
        waiters.push_back(self->make_response_promise());
        if (waiters.size() == 1) {  // the first asks for it; the others wait for it
          auto& queue = st.queues[user];
          if (queue.empty()) st.turn.push_back(user);
          queue.push_back(render_job{std::move(key), std::move(spec)});
          dispatch(self);
        }
        return caf::delegated<render::render_output>();
      },
  };
}

// Detached render threads start gnuplot on their own threads; waiting (a few
// seconds at most, for all at once) for each one's first answer means that
// once the gateway listens, /health already counts the pool as it is rather
// than as "not started yet". A gnuplot that hangs delays the start by the
// limit only; it then counts as down until it answers.
void await_threads_started(caf::actor_system& system,
                           const std::vector<render_thread_handle>& render_threads) {
  constexpr auto limit = std::chrono::seconds(3);
  caf::scoped_actor self{system};
  using handle = decltype(self->request(render_threads.front().thread, limit, ready_atom::value));
  std::vector<handle> answers;  // all asked first: the waits overlap
  for (const auto& w : render_threads)
    answers.push_back(self->request(w.thread, limit, ready_atom::value));
  int up = 0;
  int late = 0;
  for (auto& a : answers)
    a.receive([&](bool started) { up += started ? 1 : 0; }, [&](const caf::error&) { ++late; });
  if (late > 0)
    log::warn("render",
              "render pool started; some gnuplot did not answer yet, counted down until it does",
              {{"workers", std::to_string(render_threads.size())},
               {"gnuplot_up", std::to_string(up)},
               {"not_answered", std::to_string(late)}});
  else
    log::info(
        "render", "render pool started",
        {{"workers", std::to_string(render_threads.size())}, {"gnuplot_up", std::to_string(up)}});
}

}  // namespace

renderer_api spawn_render_pool(caf::actor_system& system, int size,
                               const render::renderer_options& options, std::size_t cache_bytes,
                               std::shared_ptr<counters> stats) {
  if (stats) stats->render_workers = size;
  std::vector<render_thread_handle> render_threads;
  for (int i = 0; i < size; ++i)
    render_threads.push_back(spawn_render_thread(system, options, stats));
  if (!render_threads.empty()) await_threads_started(system, render_threads);
  return system.spawn(render_pool, std::move(render_threads), options, cache_bytes,
                      std::move(stats));
}

}  // namespace aw::actors
