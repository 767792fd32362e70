// `agentwire-load run`: N users, C connections each, R requests per user with
// at most K in flight; every frame goes through the stream checker.
#pragma once

#include <string>

#include "load/cli.hpp"
#include "load/results.hpp"

namespace aw::load {

// Runs one load run with o.users users, bounded by o.duration_max_s.
run_result run_load(const options& o);

// Helpers shared with idle mode.
std::string random_tag();
std::string connect_url(const std::string& base, const std::string& user,
                        const std::string& session);
// unique_title: a title of its own, so no two charts are alike.
std::string request_json(const std::string& cid, int index, const std::string& chart, int width,
                         int height, bool unique_title = true);

}  // namespace aw::load
