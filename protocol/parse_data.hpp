// Parsing of payload.data (PROTOCOL.md 2.1 and the extra shapes documented in
// chart_data.hpp). Internal to protocol/.
#pragma once

#include <string>
#include <string_view>

#include <rapidjson/document.h>

#include "protocol/chart_data.hpp"
#include "protocol/result.hpp"

namespace aw::protocol {

// `v` is the non-null value of the data field found at `path`. Fails with
// VALIDATION_FAILED, naming the offending field, when it does not fit; *out is
// written only when it fits.
status parse_chart_data(const rapidjson::Value& v, std::string_view path, chart_data* out);

}  // namespace aw::protocol
