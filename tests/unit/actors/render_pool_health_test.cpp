// The render pool reports its size and how many workers have gnuplot running
// (counters::render_workers, render_workers_up: GET /health).
#include <doctest/doctest.h>

#include <chrono>
#include <functional>
#include <thread>

#include <caf/all.hpp>

#include "actors/counters.hpp"
#include "actors/messages.hpp"
#include "actors/render_pool.hpp"

using namespace aw;

namespace {

bool eventually(const std::function<bool()>& pred) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return pred();
}

}  // namespace

TEST_CASE("workers count as up once their gnuplot runs, and down when they stop") {
  auto stats = std::make_shared<actors::counters>();
  caf::actor_system_config cfg;
  caf::actor_system system{cfg};
  auto pool = actors::spawn_render_pool(system, 2, render::renderer_options{}, 0, stats);
  CHECK(stats->render_workers == 2);
  // spawn_render_pool returns after each worker tried its start: no waiting here.
  CHECK(stats->render_workers_up == 2);
  caf::anon_send_exit(pool, caf::exit_reason::user_shutdown);
  CHECK(eventually([&] { return stats->render_workers_up == 0; }));
}

TEST_CASE("a worker whose gnuplot cannot start does not count as up") {
  auto stats = std::make_shared<actors::counters>();
  caf::actor_system_config cfg;
  caf::actor_system system{cfg};
  render::renderer_options options;
  options.gnuplot_path = "/nonexistent/gnuplot";
  options.timeout = std::chrono::seconds(2);
  auto pool = actors::spawn_render_pool(system, 1, options, 0, stats);
  CHECK(stats->render_workers == 1);
  CHECK(stats->render_workers_up == 0);
  // A render is answered with an error, and the worker still does not count.
  caf::scoped_actor self{system};
  render::chart_spec spec;
  spec.kind = aw::render::chart_kind::bar_chart_vertical;
  spec.data.labels = {"a"};
  spec.data.values = {1};
  self->request(pool, std::chrono::seconds(30), actors::render_atom::value, std::string("u"), spec)
      .receive([](render::render_output& out) { CHECK(!out.ok); },
               [](caf::error& err) { FAIL(caf::to_string(err)); });
  CHECK(stats->render_workers_up == 0);
  caf::anon_send_exit(pool, caf::exit_reason::user_shutdown);
}
