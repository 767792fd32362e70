// `agentwire token --user U [--ttl 3600] [--secret S]`: prints an HS256 token
// for U, signed with --secret or env AUTH_SECRET (PROTOCOL.md section 1).
#pragma once

#include <string>
#include <vector>

namespace aw::app {

// `args` are the words after "token". Returns the process exit code:
// 0 token printed, 2 bad usage or no secret.
int run_token_command(const std::vector<std::string>& args);

}  // namespace aw::app
