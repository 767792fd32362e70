#include "core/config.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <map>
#include <sstream>

#include "core/config_options.hpp"
#include "core/config_validate.hpp"
#include "core/env_file.hpp"

namespace aw::core {
namespace {

// Optimal string alignment distance (a swap of two neighbours is one edit).
std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i)
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.size()][b.size()];
}

std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

void apply(const option& opt, const std::string& raw, const std::string& source, config& cfg,
           std::vector<std::string>& errors) {
  if (opt.set_str) {
    opt.set_str(cfg, raw);
    return;
  }
  errno = 0;
  char* end = nullptr;
  long long v = std::strtoll(raw.c_str(), &end, 10);
  if (raw.empty() || errno != 0 || *end != '\0') {
    errors.push_back(source + ": '" + raw + "' is not an integer");
    return;
  }
  if (v < opt.min || v > opt.max) {
    errors.push_back(source + ": " + raw + " is out of range " + std::to_string(opt.min) + ".." +
                     std::to_string(opt.max));
    return;
  }
  opt.set_int(cfg, v);
}

}  // namespace

std::vector<std::string> split_worker_addresses(const std::string& list) {
  std::vector<std::string> out;
  std::stringstream in(list);
  std::string item;
  while (std::getline(in, item, ',')) {
    item = trim(item);
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

std::string nearest_name(const std::string& word, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_d = 3;  // at most two edits
  for (const auto& c : candidates) {
    std::size_t d = edit_distance(upper(word), upper(c));
    if (d < best_d && d * 2 < word.size()) {
      best = c;
      best_d = d;
    }
  }
  return best;
}

config_result load_config(const std::vector<std::string>& args, const std::string& env_file) {
  config_result result;
  auto file = read_env_file(env_file);
  for (const auto& p : file.problems) result.errors.push_back(p);
  std::map<std::string, std::string> source;
  std::vector<std::string> env_names;
  std::vector<std::string> flag_names;
  for (const auto& opt : options()) {
    env_names.push_back(opt.env);
    flag_names.push_back(opt.flag);
    source[opt.env] = "default";
    if (const char* v = std::getenv(opt.env)) {
      apply(opt, v, opt.env, result.cfg, result.errors);
      source[opt.env] = "environment";
    } else if (auto it = file.values.find(opt.env); it != file.values.end()) {
      apply(opt, it->second, std::string(env_file) + ": " + opt.env, result.cfg, result.errors);
      source[opt.env] = env_file;
    }
  }
  // A key of the file that is no setting: a typo when it is near one.
  for (const auto& key : file.keys) {
    if (source.count(key)) continue;
    std::string near = nearest_name(key, env_names);
    if (!near.empty())
      result.warnings.push_back(env_file + ": " + key +
                                " is not a setting (ignored); did you mean " + near + "?");
  }
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string arg = args[i];
    if (arg == "--help" || arg == "-h") {
      result.help = true;
      continue;
    }
    std::string value;
    bool has_value = false;
    if (auto eq = arg.find('='); eq != std::string::npos) {
      value = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
      has_value = true;
    }
    const option* found = nullptr;
    for (const auto& opt : options())
      if (arg == opt.flag) found = &opt;
    if (!found) {
      std::string near = nearest_name(arg, flag_names);
      result.errors.push_back("unknown argument '" + args[i] + "'" +
                              (near.empty() ? "" : " (did you mean " + near + "?)") +
                              " (see --help)");
      // Its value, if it has one, is not a second mistake.
      if (!has_value && i + 1 < args.size() && args[i + 1].rfind("-", 0) != 0) ++i;
      continue;
    }
    // Switches: the flag alone means 1.
    if (!has_value && (arg == "--start-degraded" || arg == "--insecure-cluster")) {
      value = "1";
      has_value = true;
    }
    if (!has_value) {
      if (i + 1 >= args.size()) {
        result.errors.push_back(arg + " needs a value");
        continue;
      }
      value = args[++i];
    }
    apply(*found, value, arg + " (" + found->env + ")", result.cfg, result.errors);
    source[found->env] = "flag " + arg;
  }
  validate_config(result.cfg, result.errors);
  for (const auto& opt : options()) result.sources.emplace_back(opt.env, source[opt.env]);
  return result;
}

std::string describe_config(const config_result& r) {
  std::ostringstream out;
  for (const auto& opt : options()) {
    std::string where;
    for (const auto& [name, from] : r.sources)
      if (name == opt.env) where = from;
    std::string line = std::string(opt.env) + "=" + opt.show(r.cfg);
    out << line;
    for (std::size_t n = line.size(); n < 44; ++n) out << ' ';
    out << " (" << where << ")\n";
  }
  return out.str();
}

namespace {

// --help's sections: the env name of each section's first option.
const std::map<std::string, const char*>& help_sections() {
  static const std::map<std::string, const char*> sections = {
      {"HOST", "Network"},
      {"MAX_CONNECTIONS_PER_USER", "Limits (PROTOCOL.md section 5)"},
      {"RENDER_POOL_SIZE", "Rendering and scheduling"},
      {"GNUPLOT_PATH", "Rendering and scheduling"},
      {"LLM_PROVIDER", "Model"},
      {"AUTH_SECRET", "Security"},
      {"DATA_DIR", "History and charts"},
      {"CORS_ORIGINS", "Browsers (CORS)"},
      {"ROLE", "Cluster"},
      {"LOG_LEVEL", "Logs and start-up"},
  };
  return sections;
}

}  // namespace

std::string config_help() {
  std::ostringstream out;
  out << "agentwire: streams AI agent runs to chat frontends over WebSocket\n\n"
         "usage: agentwire [flags]                  run the service\n"
         "       agentwire check-config [flags]     print the effective settings and their source\n"
         "       agentwire check-token TOKEN        verify a token with AUTH_SECRET\n"
         "       agentwire token --user U [--ttl S]  a test JWT signed with AUTH_SECRET\n"
         "       agentwire render --all --out DIR   render every chart type (PNG and SVG)\n"
         "       agentwire render --bench N         charts/s through the render pool (every PNG "
         "path)\n"
         "       agentwire version | --version      the version\n\n"
         "Every flag has an environment variable (also read from ./.env); flags win over\n"
         "the environment, which wins over .env.\n";
  config defaults;
  std::string current;
  for (const auto& opt : options()) {
    if (auto it = help_sections().find(opt.env);
        it != help_sections().end() && current != it->second) {
      current = it->second;
      out << "\n" << current << ":\n";
    }
    out << "  " << opt.flag;
    for (std::size_t n = std::string(opt.flag).size(); n < 30; ++n) out << ' ';
    out << opt.env << "\n      " << opt.help;
    // PORT states its own range (0 or 1024..65535).
    if (opt.set_int && std::string(opt.env) != "PORT")
      out << " (" << opt.min << ".." << opt.max << ")";
    out << "; default " << (opt.show(defaults).empty() ? "\"\"" : opt.show(defaults)) << "\n";
  }
  return out.str();
}

}  // namespace aw::core
