// The table of settings: each one's env name, flag, help, range and where it
// lives in `config`, in --help order. Internal to core/ (config.cpp reads it).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/config.hpp"

namespace aw::core {

// One configurable value: its env name, flag, range and where it lives in `config`.
struct option {
  const char* env;
  const char* flag;
  const char* help;
  std::int64_t min;
  std::int64_t max;
  std::function<void(config&, std::int64_t)> set_int;        // integer options
  std::function<void(config&, const std::string&)> set_str;  // string options
  std::function<std::string(const config&)> show;
};

const std::vector<option>& options();

}  // namespace aw::core
