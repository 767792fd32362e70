// agentwire eval: accuracy of the built-in understanding on the request
// corpus in eval/ (dev.jsonl, heldout.jsonl). Each line:
//   {"q": "...", "types": ["pie_chart", ...], "labels": 5, "series": ["2023", "2024"]}
// "labels" and "series" are present only where the words fix them.
#pragma once

#include <string>
#include <vector>

namespace aw::app {

const char* eval_help();
// Exit code 0, or 1 when a --min-* threshold is not met, 2 on bad usage or input.
int run_eval_command(const std::vector<std::string>& args);

}  // namespace aw::app
