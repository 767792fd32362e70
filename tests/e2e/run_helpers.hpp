// Checks on the event stream one connection received (PROTOCOL.md section 4).
#pragma once

#include <string>
#include <vector>

#include "support/ws_client.hpp"

namespace aw::test {

// Event frames (those with a seq) of one correlation_id, in arrival order.
std::vector<const frame*> run_events(const std::vector<frame>& frames, const std::string& cid);

// Empty when the run is complete and well ordered; otherwise what is wrong.
std::string check_run(const std::vector<frame>& frames, const std::string& cid);

// Empty when seq values on this connection increase by exactly one.
std::string check_seq(const std::vector<frame>& frames);

bool completed(const std::vector<frame>& frames, const std::string& cid);

std::string base64_decode(const std::string& in);

std::string request_json(const std::string& cid, const std::string& content,
                         const std::string& extra_payload = "");

}  // namespace aw::test
