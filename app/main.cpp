// agentwire: the service binary.
//   agentwire [flags]                 serve (see --help)
//   agentwire render --all --out DIR  render every chart type (gallery)
//   agentwire render --bench N         charts/s through the render pool
//   agentwire token --user U          print an auth token (see token --help)
//   agentwire eval [--set dev|heldout|all]  accuracy of the built-in request parser
//   agentwire check-config [flags]    the effective settings and their source
//   agentwire check-token TOKEN       verify a token with AUTH_SECRET
//   agentwire version | --version     the version
#include <csignal>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <caf/all.hpp>

#include "actors/durable_log.hpp"
#include "actors/services.hpp"
#include "actors/step_errors.hpp"
#include "actors/supervisor.hpp"
#include "cluster/cluster.hpp"
#include "cluster/gateway_services.hpp"
#include "cluster/node_main.hpp"
#include "cluster/tls.hpp"
#include "app/check_commands.hpp"
#include "app/eval_command.hpp"
#include "app/gallery.hpp"
#include "app/preflight.hpp"
#include "app/render_bench.hpp"
#include "app/token_command.hpp"
#include "core/config.hpp"
#include "core/log.hpp"
#include "core/resources.hpp"
#include "core/version.hpp"
#include "gateway/server.hpp"

namespace {

int serve(const std::vector<std::string>& args) {
  auto loaded = aw::core::load_config(args);
  if (loaded.help) {
    std::cout << aw::core::config_help();
    return 0;
  }
  for (const auto& w : loaded.warnings) std::cerr << "agentwire: warning: " << w << "\n";
  if (!loaded.errors.empty()) {
    for (const auto& e : loaded.errors) std::cerr << "agentwire: " << e << "\n";
    std::cerr << "agentwire: " << loaded.errors.size()
              << " bad configuration value(s); see agentwire --help\n";
    return 2;
  }
  aw::log::level level = aw::log::level::info;
  aw::log::parse_level(loaded.cfg.log_level, &level);
  aw::log::set_level(level);
  // Pool and cache sizes from what the container may use (cgroup v2), not the host.
  auto set_explicitly = [&](const char* name) {
    for (const auto& [n, from] : loaded.sources)
      if (n == name) return from != "default";
    return false;
  };
  auto limits = aw::core::read_cgroup_limits();
  auto sizes =
      aw::core::choose_sizes(loaded.cfg, std::thread::hardware_concurrency(), limits,
                             set_explicitly("CHART_CACHE_MB"), set_explicitly("RENDER_CACHE_MB"));
  loaded.cfg.render_pool_size = sizes.render_pool_size;
  loaded.cfg.worker_threads = sizes.worker_threads;
  loaded.cfg.chart_cache_mb = sizes.chart_cache_mb;
  loaded.cfg.render_cache_mb = sizes.render_cache_mb;
  aw::log::info(
      "app", "sizes chosen",
      {{"cpus", std::to_string(sizes.cpus)},
       {"basis", sizes.basis},
       {"memory_limit_mb",
        limits.memory_bytes ? std::to_string(*limits.memory_bytes >> 20) : std::string("none")},
       {"render_pool_size", std::to_string(sizes.render_pool_size)},
       {"worker_threads", std::to_string(sizes.worker_threads)},
       {"chart_cache_mb", std::to_string(sizes.chart_cache_mb)},
       {"render_cache_mb", std::to_string(sizes.render_cache_mb)}});
  auto cfg = std::make_shared<const aw::core::config>(loaded.cfg);
  aw::log::info(
      "app", "starting",
      {{"version", aw::core::version},
       {"role", cfg->role},
       {"listen", cfg->role == "worker" ? cfg->worker_host + ":" + std::to_string(cfg->worker_port)
                                        : cfg->host + ":" + std::to_string(cfg->port)},
       {"data_dir", cfg->data_dir},
       {"store", cfg->store_url.rfind("postgres", 0) == 0 ? "postgresql" : "sqlite (DATA_DIR)"},
       {"llm_provider", cfg->llm_provider},
       {"llm_model", cfg->llm_provider == "builtin" ? std::string("-") : cfg->llm_model},
       {"auth", cfg->auth_secret.empty() ? "off" : "on"},
       {"metrics_token", cfg->metrics_token.empty() ? "off" : "on"},
       {"render_pool_size", std::to_string(cfg->render_pool_size)},
       {"worker_threads", std::to_string(cfg->worker_threads)},
       {"png_path", cfg->png_path}});
  // Fail fast on a broken environment, before anything listens.
  if (auto problems = aw::app::preflight_problems(*cfg); !problems.empty()) {
    if (!cfg->start_degraded) {
      for (const auto& p : problems) std::cerr << "agentwire: " << p << "\n";
      std::cerr << "agentwire: not starting; fix the above, or pass --start-degraded "
                   "(START_DEGRADED=1) to start anyway\n";
      return 2;
    }
    for (const auto& p : problems)
      aw::log::warn("app", "starting degraded (START_DEGRADED=1)", {{"problem", p}});
  }
  // Unlike the above, never skipped: a node must not run with broken cluster TLS.
  if (auto problems = aw::cluster::cluster_tls_problems(*cfg); !problems.empty()) {
    for (const auto& p : problems) std::cerr << "agentwire: " << p << "\n";
    std::cerr << "agentwire: not starting; fix the cluster TLS files (see docs/security.md)\n";
    return 2;
  }
  if (cfg->role == "gateway" && !cfg->cluster_tls())
    aw::log::warn("app", "cluster TLS is off: traffic to the workers is plaintext and "
                         "unauthenticated (set CLUSTER_TLS_CERT, CLUSTER_TLS_KEY, CLUSTER_TLS_CA)");
  if (cfg->role == "worker" && !cfg->cluster_tls() && cfg->insecure_cluster)
    aw::log::error("app", "--insecure-cluster: this worker serves anyone who reaches " +
                              cfg->worker_host + ":" + std::to_string(cfg->worker_port) +
                              " without TLS; anyone there can run steps and spend the model quota");
  if (cfg->auth_secret.empty() && cfg->allow_anonymous && cfg->role != "worker")
    aw::log::error("app", "ALLOW_ANONYMOUS=1 and no AUTH_SECRET: anyone who reaches " + cfg->host +
                              " can act as any user, read any user's charts and history, and start "
                              "runs as them");
  else if (cfg->auth_secret.empty())
    aw::log::warn("app", "AUTH_SECRET is not set: any user_id is accepted (development mode)");

  std::signal(SIGPIPE, SIG_IGN);
  caf::actor_system_config caf_cfg;
  aw::actors::add_error_categories(caf_cfg);  // so CAF prints agentwire's errors by name
  caf_cfg.set("scheduler.max-threads", static_cast<size_t>(cfg->worker_threads));
  // Work sharing wakes an idle worker at once; work stealing lets idle workers
  // sleep between polls (up to 10 ms), which showed as tail latency on events.
  caf_cfg.set("scheduler.policy", caf::atom("sharing"));
  if (cfg->role != "all") {
    aw::cluster::configure_cluster(caf_cfg, cfg->worker_timeout_s);
    aw::cluster::configure_cluster_tls(caf_cfg, *cfg);
  }
  if (cfg->role == "worker") {
    // Blocked before CAF starts its threads, so only sigwait sees them.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
    caf::actor_system system{caf_cfg};
    return aw::cluster::run_cluster_node(system, cfg, stop_signals);
  }
  caf::actor_system system{caf_cfg};

  int code = 0;
  {
    aw::gateway::server gateway(system, cfg);
    aw::actors::supervisor services_supervisor(system);
    aw::actors::services svc;
    try {
      svc = cfg->role == "gateway"
                ? aw::cluster::start_gateway_services(system, cfg, &gateway.outbox(),
                                                      services_supervisor)
                : aw::actors::start_services(system, cfg, &gateway.outbox(), services_supervisor);
    } catch (const std::exception& e) {  // the durable event log cannot be opened or read
      aw::log::error("app", "cannot start the services", {{"error", e.what()}});
      services_supervisor.stop_all();
      return 1;
    }
    code = gateway.run(svc);  // returns once the sessions are told to stop
    if (svc.durable) svc.durable->stop();  // what is queued is written first
    services_supervisor.stop_all();
  }
  aw::log::info("app", "exiting", {{"code", std::to_string(code)}});
  return code;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (!args.empty() && (args[0] == "version" || args[0] == "--version")) {
    std::cout << "agentwire " << aw::core::version << "\n";
    return 0;
  }
  if (!args.empty() && args[0] == "check-config")
    return aw::app::run_check_config(std::vector<std::string>(args.begin() + 1, args.end()));
  if (!args.empty() && args[0] == "check-token")
    return aw::app::run_check_token(std::vector<std::string>(args.begin() + 1, args.end()));
  if (!args.empty() && args[0] == "render")
    for (const auto& a : args)
      if (a == "--help" || a == "-h") {
        std::cout << aw::app::render_help();
        return 0;
      }
  if (args.size() > 1 && args[0] == "render" && args[1] == "--bench")
    return aw::app::run_render_bench(std::vector<std::string>(args.begin() + 1, args.end()));
  if (!args.empty() && args[0] == "render")
    return aw::app::run_gallery_command(std::vector<std::string>(args.begin() + 1, args.end()));
  if (!args.empty() && args[0] == "eval")
    return aw::app::run_eval_command(std::vector<std::string>(args.begin() + 1, args.end()));
  if (!args.empty() && args[0] == "token")
    return aw::app::run_token_command(std::vector<std::string>(args.begin() + 1, args.end()));
  return serve(args);
}
