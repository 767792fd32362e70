// The render pool: one dispatcher and N detached render threads, each the only owner
// of one persistent gnuplot process (with PNG_PATH=svg, its thread also draws
// and encodes the PNGs in process). Jobs wait in one queue per user and are
// handed out round-robin across users, so one user with many charts cannot
// starve the others.
#pragma once

#include <memory>
#include <vector>

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>

#include "actors/counters.hpp"
#include "actors/interfaces.hpp"
#include "render/renderer.hpp"

namespace aw::actors {

// renderer_api: (render_atom, std::string user_id, chart_spec) -> render_output
// Each of the `size` render threads starts its gnuplot on its own thread; this
// returns once each has tried (at most 3 s, all at once). Rendered images are kept
// (up to `cache_bytes`) by everything that affects them, so an identical
// request is answered without drawing again. With `stats`, the pool keeps
// render_workers and render_workers_up (whose gnuplot runs) up to date.
renderer_api spawn_render_pool(caf::actor_system& system, int size,
                               const render::renderer_options& options, std::size_t cache_bytes,
                               std::shared_ptr<counters> stats = nullptr);

}  // namespace aw::actors
