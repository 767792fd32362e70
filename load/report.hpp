// The report: an aligned table for humans and JSON (RapidJSON) for scripts.
#pragma once

#include <ostream>
#include <string>

#include "load/results.hpp"

namespace aw::load {

void print_table(std::ostream& out, const run_result& r);
std::string to_json(const run_result& r);

void print_ramp_step(std::ostream& out, const ramp_step& s);
void print_ramp(std::ostream& out, const ramp_result& r);
std::string to_json(const ramp_result& r);

// Writes text to path; false (and a message on stderr) when it cannot.
bool write_file(const std::string& path, const std::string& text);

}  // namespace aw::load
