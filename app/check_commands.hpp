// `agentwire check-config [flags]`: the effective settings, where each came
// from, and what would stop the service from starting; exit 0 when it would
// start, 2 otherwise.
// `agentwire check-token TOKEN`: verifies TOKEN with AUTH_SECRET (environment
// or .env) as the server would; prints the user and expiry, exit 0, or why
// not, exit 1.
#pragma once

#include <string>
#include <vector>

namespace aw::app {

int run_check_config(const std::vector<std::string>& args);
int run_check_token(const std::vector<std::string>& args);

}  // namespace aw::app
