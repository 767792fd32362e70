#include "app/token_command.hpp"

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string_view>

#include "auth/jwt.hpp"

namespace aw::app {
namespace {

constexpr std::int64_t default_ttl_s = 3600;
constexpr std::int64_t max_ttl_s = 31536000;  // one year

const char usage[] =
    "usage: agentwire token --user U [--ttl SECONDS] [--secret S]\n"
    "\n"
    "Prints an HS256 JWT for user U, for the `token` query parameter or an\n"
    "`Authorization: Bearer` header.\n"
    "\n"
    "  --user U       1-128 chars of [A-Za-z0-9_.:@-] (required)\n"
    "  --ttl SECONDS  lifetime, 1..31536000 (default 3600)\n"
    "  --secret S     signing secret; default: env AUTH_SECRET. Prefer the\n"
    "                 environment: a flag is visible to other local users.\n"
    "  --help         this text\n";

int usage_error(const std::string& message) {
  std::cerr << "agentwire token: " << message << "\n"
            << "see agentwire token --help\n";
  return 2;
}

bool valid_user(std::string_view user) {
  if (user.empty() || user.size() > 128) return false;
  for (char c : user) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '.' || c == ':' || c == '@' || c == '-';
    if (!ok) return false;
  }
  return true;
}

// Whole-string decimal, no sign, no spaces; nullopt otherwise or on overflow.
std::optional<std::int64_t> parse_seconds(const std::string& text) {
  if (text.empty() || text.size() > 12) return std::nullopt;
  std::int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

}  // namespace

int run_token_command(const std::vector<std::string>& args) {
  std::optional<std::string> user, ttl_text, secret;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--help" || arg == "-h") {
      std::cout << usage;
      return 0;
    }
    std::optional<std::string>* target = nullptr;
    std::string name = arg;
    std::optional<std::string> inline_value;
    if (auto eq = arg.find('='); arg.rfind("--", 0) == 0 && eq != std::string::npos) {
      name = arg.substr(0, eq);
      inline_value = arg.substr(eq + 1);
    }
    if (name == "--user") target = &user;
    if (name == "--ttl") target = &ttl_text;
    if (name == "--secret") target = &secret;
    if (target == nullptr) {
      // Name only: a mistyped flag or a stray word might be the secret.
      if (arg.rfind("-", 0) == 0) return usage_error("unknown option '" + name + "'");
      return usage_error("unexpected argument (options are --user, --ttl, --secret)");
    }
    if (inline_value) {
      *target = *inline_value;
    } else if (i + 1 < args.size()) {
      *target = args[++i];
    } else {
      return usage_error(name + " needs a value");
    }
  }

  if (!user) return usage_error("--user is required");
  if (!valid_user(*user)) return usage_error("--user must be 1-128 chars of [A-Za-z0-9_.:@-]");

  std::int64_t ttl = default_ttl_s;
  if (ttl_text) {
    auto parsed = parse_seconds(*ttl_text);
    if (!parsed || *parsed < 1 || *parsed > max_ttl_s)
      return usage_error("--ttl must be a whole number of seconds from 1 to 31536000");
    ttl = *parsed;
  }

  if (!secret) {
    const char* env = std::getenv("AUTH_SECRET");
    if (env != nullptr) secret = std::string(env);
  }
  if (!secret || secret->empty())
    return usage_error("no secret: pass --secret S or set AUTH_SECRET");

  std::int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
  std::cout << aw::auth::mint_hs256(*secret, *user, now + ttl, now) << "\n";
  return 0;
}

}  // namespace aw::app
