#include "app/check_commands.hpp"

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <iostream>

#include "app/preflight.hpp"
#include "auth/jwt.hpp"
#include "cluster/tls.hpp"
#include "core/config.hpp"

namespace aw::app {
namespace {

std::int64_t now_s() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The `exp` claim of a token already verified, or -1.
std::int64_t expiry_of(const std::string& token) {
  auto first = token.find('.');
  auto second = token.find('.', first + 1);
  if (first == std::string::npos || second == std::string::npos) return -1;
  auto payload = auth::base64url_decode(token.substr(first + 1, second - first - 1));
  if (!payload) return -1;
  auto at = payload->find("\"exp\":");
  if (at == std::string::npos) return -1;
  return std::strtoll(payload->c_str() + at + 6, nullptr, 10);
}

}  // namespace

int run_check_config(const std::vector<std::string>& args) {
  auto loaded = core::load_config(args);
  if (loaded.help) {
    std::cout << "usage: agentwire check-config [flags]\n\n"
                 "Prints every setting as the service would use it with these flags, the\n"
                 "environment and ./.env, with where each value came from; then what would\n"
                 "stop it from starting. Exit 0 when it would start, 2 otherwise.\n";
    return 0;
  }
  std::cout << core::describe_config(loaded);
  for (const auto& w : loaded.warnings) std::cout << "warning: " << w << "\n";
  for (const auto& e : loaded.errors) std::cout << "error: " << e << "\n";
  std::vector<std::string> problems;
  if (loaded.errors.empty()) problems = preflight_problems(loaded.cfg);
  for (const auto& p : problems)
    std::cout << (loaded.cfg.start_degraded ? "degraded: " : "error: ") << p << "\n";
  std::vector<std::string> tls_problems;
  if (loaded.errors.empty()) tls_problems = cluster::cluster_tls_problems(loaded.cfg);
  for (const auto& p : tls_problems) std::cout << "error: " << p << "\n";
  bool starts = loaded.errors.empty() && tls_problems.empty() &&
                (problems.empty() || loaded.cfg.start_degraded);
  std::cout << (starts ? "ok: the service would start\n" : "not ok: the service would not start\n");
  return starts ? 0 : 2;
}

int run_check_token(const std::vector<std::string>& args) {
  if (args.size() != 1 || args[0] == "--help" || args[0] == "-h") {
    std::cout << "usage: agentwire check-token TOKEN\n\n"
                 "Verifies TOKEN with AUTH_SECRET (environment or ./.env) as the server does\n"
                 "on the handshake and on HTTP; prints its user and expiry.\n";
    return args.size() == 1 ? 0 : 2;
  }
  auto loaded = core::load_config({});
  if (loaded.cfg.auth_secret.empty()) {
    std::cerr << "agentwire check-token: AUTH_SECRET is not set (environment or ./.env): the "
                 "server accepts any user_id without a token\n";
    return 1;
  }
  auto check = auth::verify_hs256(loaded.cfg.auth_secret, args[0], now_s());
  if (!check.ok) {
    std::cerr << "agentwire check-token: refused: " << check.error << "\n";
    return 1;
  }
  std::cout << "ok: user " << check.subject;
  if (auto exp = expiry_of(args[0]); exp > 0)
    std::cout << ", expires in " << (exp - now_s()) << " s (exp " << exp << ")";
  std::cout << "\n";
  return 0;
}

}  // namespace aw::app
