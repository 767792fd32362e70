// The checks on a whole configuration that no single setting's range covers:
// names from a fixed set, settings that need each other, and listening on a
// network without authentication or TLS. Internal to core/ (load_config).
#pragma once

#include <string>
#include <vector>

#include "core/config.hpp"

namespace aw::core {

// Appends one line per problem to `errors`, naming the setting. Normalises
// LOG_LEVEL to lower case.
void validate_config(config& cfg, std::vector<std::string>& errors);

}  // namespace aw::core
