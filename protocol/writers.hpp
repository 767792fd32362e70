// Inside protocol/: writer pieces shared by the string-returning writers
// (server_messages.hpp) and the typed event encoders (run_event.hpp), so each
// part of a frame has one writer.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <rapidjson/stringbuffer.h>

#include "encoding/json_writer.hpp"
#include "protocol/server_messages.hpp"

namespace aw::protocol {

struct response_parts {
  const std::string& chart_url;
  const chart_data& data;
  const statistics& stats;
  const std::vector<statistics>& series_stats;
  const std::vector<std::string>& insights;
  const std::string& narrative;
  const response_metadata& metadata;
};

// Writes the response object into `w`, whose buffer is `buffer`. `image`: the
// raw image bytes, base64-encoded as "chart" (a data URI); null: no "chart".
void write_response_object(encoding::json_writer& w, rapidjson::StringBuffer& buffer,
                           const std::string_view* image, const response_parts& r);

// The members of the section 3 envelope, "type" to "timestamp" (not "data").
void write_envelope_members(encoding::json_writer& w, const event_envelope& env);

}  // namespace aw::protocol
