// `agentwire-load idle`: open N connections (paced), hold them S seconds with
// a JSON ping now and then, and measure connect times and the server's RSS
// per connection.
#pragma once

#include "load/cli.hpp"
#include "load/results.hpp"

namespace aw::load {

run_result idle_load(const options& o);

}  // namespace aw::load
