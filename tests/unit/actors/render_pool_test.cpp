// The render pool against real gnuplot: jobs are served round-robin across
// users, so one user's long queue does not hold up another user's chart.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include <caf/all.hpp>

#include "actors/messages.hpp"
#include "actors/render_pool.hpp"

using namespace aw;

namespace {

render::chart_spec bar_spec(const std::string& title, int width) {
  render::chart_spec spec;
  spec.kind = aw::render::chart_kind::bar_chart_vertical;
  spec.title = title;
  spec.data.labels = {"a", "b", "c"};
  spec.data.values = {1, 2, 3};
  spec.width = width;
  spec.height = 200;
  return spec;
}

// Width from the PNG's IHDR chunk: tells whose chart a reply is.
unsigned png_width(const std::string& png) {
  if (png.size() < 24) return 0;
  auto b = [&](int i) { return static_cast<unsigned>(static_cast<unsigned char>(png[i])); };
  return (b(16) << 24) | (b(17) << 16) | (b(18) << 8) | b(19);
}

}  // namespace

TEST_CASE("the render pool serves users round-robin, not first come first served") {
  caf::actor_system_config cfg;
  caf::actor_system system{cfg};
  auto pool = actors::spawn_render_pool(system, 1, render::renderer_options{}, 0);
  caf::scoped_actor self{system};
  constexpr unsigned heavy_width = 300;
  constexpr unsigned light_width = 320;
  // One user queues eight charts, then another user asks for one.
  for (int i = 0; i < 8; ++i)
    self->send(pool, actors::render_atom::value, std::string("heavy"),
               bar_spec("heavy " + std::to_string(i), heavy_width));
  self->send(pool, actors::render_atom::value, std::string("light"),
             bar_spec("light", light_width));
  std::vector<unsigned> order;
  for (int i = 0; i < 9; ++i)
    self->receive(
        [&](render::render_output& out) {
          REQUIRE_MESSAGE(out.ok, out.error);
          order.push_back(png_width(out.bytes));
        },
        caf::after(std::chrono::seconds(60)) >> [&] { FAIL("no render within 60 s"); });
  std::size_t light_at = 0;
  while (light_at < order.size() && order[light_at] != light_width) ++light_at;
  REQUIRE(light_at < order.size());
  // First come first served would put it last (9th); round-robin gives it the
  // second or third turn of the one gnuplot process.
  CHECK(light_at <= 2);
  caf::anon_send_exit(pool, caf::exit_reason::user_shutdown);
}
