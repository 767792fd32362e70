#include "e2e/fake_worker.hpp"

#include <atomic>
#include <stdexcept>
#include <string>

#include <caf/all.hpp>
#include <caf/io/middleman.hpp>

#include "actors/messages.hpp"
#include "actors/step_errors.hpp"
#include "analytics/builtin_llm.hpp"
#include "analytics/planner.hpp"
#include "cluster/cluster.hpp"

// Under LeakSanitizer this test process runs a CAF node itself: the same
// narrow CAF-remoting suppressions as its gateway and worker children
// (caf_remoting_exit.supp says why). Unused in other builds.
extern "C" const char* __lsan_default_suppressions() {
  return "leak:libcaf_io.so\nleak:libcaf_core.so\n";
}

namespace aw::test {
namespace {

using mode_ptr = std::shared_ptr<std::atomic<int>>;

std::string png_header_1x1() {
  std::string s("\x89PNG\r\n\x1a\n", 8);
  s += std::string("\0\0\0\x0dIHDR", 8);
  s += std::string("\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0", 13);
  s += std::string("\0\0\0\0", 4);  // CRC: not checked by anyone here
  return s;
}

cluster::node_front_api::behavior_type fake_front(cluster::node_front_api::pointer, mode_ptr mode) {
  auto how = [mode] { return static_cast<fake_reply>(mode->load()); };
  return {
      [](cluster::hello_atom, std::uint32_t,
         const std::string&) -> caf::result<std::uint32_t, std::string> {
        return {cluster::cluster_protocol_version, std::string("fake-worker")};
      },
      [](cluster::heartbeat_atom) { return std::int64_t{0}; },
      [how](actors::plan_atom, protocol::analytics_payload& payload) {
        auto plan = analytics::make_plan(payload);
        if (how() == fake_reply::bad_plan) plan.type = static_cast<protocol::chart_type>(99);
        return plan;
      },
      [how](actors::generate_atom, protocol::analytics_payload& payload, protocol::chart_type type,
            caf::actor& stream_to) -> caf::result<analytics::generation> {
        if (how() == fake_reply::model_down)
          return actors::make_error(protocol::error_code::llm_unavailable,
                                    "the fake model is down (HTTP 503)");
        if (how() == fake_reply::huge_partials)
          for (int i = 0; i < 10; ++i)
            caf::anon_send(stream_to, actors::llm_partial_atom::value, std::string(100 << 10, 'x'));
        if (how() == fake_reply::model_choice) {
          auto gen = analytics::builtin_generate(payload, protocol::chart_type::pie_chart);
          gen.decided_by = "model";
          return gen;
        }
        auto gen = analytics::builtin_generate(payload, type);
        if (how() == fake_reply::bad_generation) gen.narrative = "caf\xc3\x28 not UTF-8";
        return gen;
      },
      [how](actors::render_atom, std::string&, render::chart_spec& spec) {
        render::render_output out;
        out.ok = true;
        out.duration_ms = 1;
        switch (how()) {
          case fake_reply::not_an_image:
            out.bytes = "GIF89a this is no chart";
            break;
          case fake_reply::wrong_size:
            out.bytes = png_header_1x1();
            break;
          default:
            out.bytes = "<?xml version=\"1.0\"?>\n<svg width=\"" + std::to_string(spec.width) +
                        "\" height=\"" + std::to_string(spec.height) +
                        "\" xmlns=\"http://www.w3.org/2000/svg\"><rect width=\"10\" "
                        "height=\"10\"/></svg>\n";
        }
        return out;
      },
  };
}

caf::actor_system_config& cluster_config(caf::actor_system_config& cfg) {
  cluster::configure_cluster(cfg, 5);
  actors::add_error_categories(cfg);
  cfg.set("scheduler.max-threads", std::size_t{2});
  return cfg;
}

}  // namespace

struct fake_worker::impl {
  caf::actor_system_config cfg;
  caf::actor_system system{cluster_config(cfg)};
  mode_ptr mode = std::make_shared<std::atomic<int>>(0);
  cluster::node_front_api front;
  int port = 0;
};

fake_worker::fake_worker() : impl_(std::make_unique<impl>()) {
  impl_->front = impl_->system.spawn(fake_front, impl_->mode);
  auto port = impl_->system.middleman().publish(impl_->front, 0, "127.0.0.1", true);
  if (!port) throw std::runtime_error("fake worker: " + impl_->system.render(port.error()));
  impl_->port = *port;
}

fake_worker::~fake_worker() {
  caf::anon_send_exit(impl_->front, caf::exit_reason::user_shutdown);
}

int fake_worker::port() const {
  return impl_->port;
}

void fake_worker::answer(fake_reply how) {
  impl_->mode->store(static_cast<int>(how));
}

}  // namespace aw::test
