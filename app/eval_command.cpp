#include "app/eval_command.hpp"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>

#include <rapidjson/document.h>

#include "analytics/builtin_llm.hpp"
#include "analytics/planner.hpp"
#include "analytics/text.hpp"
#include "protocol/chart_types.hpp"

#ifndef AW_EVAL_DIR
#define AW_EVAL_DIR "eval"
#endif

namespace aw::app {
namespace {

constexpr std::size_t kMaxFileBytes = 4 * 1024 * 1024;
constexpr std::size_t kMaxLineBytes = 4096;
constexpr std::size_t kMaxCases = 20000;

struct eval_case {
  std::string q;
  std::vector<protocol::chart_type> types;
  std::optional<std::size_t> labels;
  std::vector<std::string> series;
};

struct totals {
  std::size_t cases = 0, type_ok = 0;
  std::size_t label_cases = 0, label_ok = 0;
  std::size_t series_cases = 0, series_ok = 0;
  std::map<std::string, std::vector<std::string>> confusions;  // "want -> got" : requests
  std::vector<std::string> label_misses;
  std::vector<std::string> series_misses;
};

std::optional<std::vector<eval_case>> load(const std::string& path, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot read " + path;
    return std::nullopt;
  }
  std::vector<eval_case> out;
  std::string line;
  std::size_t bytes = 0, number = 0;
  while (std::getline(in, line)) {
    ++number;
    bytes += line.size() + 1;
    if (bytes > kMaxFileBytes || out.size() >= kMaxCases) {
      error = path + ": larger than the limit";
      return std::nullopt;
    }
    if (line.empty()) continue;
    std::string where = path + ":" + std::to_string(number);
    if (line.size() > kMaxLineBytes) {
      error = where + ": line too long";
      return std::nullopt;
    }
    rapidjson::Document doc;
    doc.Parse(line.c_str(), line.size());
    if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("q") || !doc["q"].IsString() ||
        !doc.HasMember("types") || !doc["types"].IsArray() || doc["types"].Empty()) {
      error = where + ": needs \"q\" (string) and \"types\" (non-empty array)";
      return std::nullopt;
    }
    eval_case c;
    c.q = doc["q"].GetString();
    for (const auto& t : doc["types"].GetArray()) {
      auto type = t.IsString() ? protocol::parse_chart_type(t.GetString()) : std::nullopt;
      if (!type) {
        error = where + ": unknown chart type in \"types\"";
        return std::nullopt;
      }
      c.types.push_back(*type);
    }
    if (doc.HasMember("labels")) {
      if (!doc["labels"].IsUint() || doc["labels"].GetUint() > 10000) {
        error = where + ": \"labels\" must be a count";
        return std::nullopt;
      }
      c.labels = doc["labels"].GetUint();
    }
    if (doc.HasMember("series")) {
      if (!doc["series"].IsArray()) {
        error = where + ": \"series\" must be an array of names";
        return std::nullopt;
      }
      for (const auto& s : doc["series"].GetArray()) {
        if (!s.IsString()) {
          error = where + ": \"series\" must be an array of names";
          return std::nullopt;
        }
        c.series.push_back(analytics::to_lower(s.GetString()));
      }
    }
    out.push_back(std::move(c));
  }
  return out;
}

// Every expected name is found (case-insensitive, as part of) in a different generated name.
bool series_match(const std::vector<std::string>& want,
                  const std::vector<protocol::named_series>& got) {
  if (want.size() != got.size()) return false;
  std::vector<bool> used(got.size(), false);
  for (const auto& w : want) {
    bool found = false;
    for (std::size_t i = 0; i < got.size() && !found; ++i)
      if (!used[i] && analytics::to_lower(got[i].name).find(w) != std::string::npos)
        used[i] = found = true;
    if (!found) return false;
  }
  return true;
}

totals evaluate(const std::vector<eval_case>& cases) {
  totals t;
  for (const auto& c : cases) {
    protocol::analytics_payload payload;
    payload.content = c.q;
    const auto plan = analytics::make_plan(payload);
    const auto gen = analytics::builtin_generate(payload, plan.type);
    ++t.cases;
    const bool type_ok = std::find(c.types.begin(), c.types.end(), plan.type) != c.types.end();
    if (type_ok) {
      ++t.type_ok;
    } else {
      std::string key = std::string(protocol::to_string(c.types.front())) + " -> " +
                        std::string(protocol::to_string(plan.type));
      t.confusions[key].push_back(c.q);
    }
    if (c.labels) {
      ++t.label_cases;
      if (gen.data.labels.size() == *c.labels)
        ++t.label_ok;
      else
        t.label_misses.push_back(c.q + "  (want " + std::to_string(*c.labels) + ", got " +
                                 std::to_string(gen.data.labels.size()) + ")");
    }
    if (!c.series.empty()) {
      ++t.series_cases;
      if (series_match(c.series, gen.data.series)) {
        ++t.series_ok;
      } else {
        std::string got;
        for (const auto& s : gen.data.series) got += (got.empty() ? "" : ", ") + s.name;
        t.series_misses.push_back(c.q + "  (got: " + got + ")");
      }
    }
  }
  return t;
}

double pct(std::size_t ok, std::size_t n) {
  return n == 0 ? 100.0 : 100.0 * static_cast<double>(ok) / static_cast<double>(n);
}

void print(const std::string& name, const totals& t, bool details) {
  char line[256];
  std::snprintf(line, sizeof line,
                "%-8s %4zu requests  type %5.1f%% (%zu/%zu)  labels %5.1f%% (%zu/%zu)  series "
                "%5.1f%% (%zu/%zu)\n",
                name.c_str(), t.cases, pct(t.type_ok, t.cases), t.type_ok, t.cases,
                pct(t.label_ok, t.label_cases), t.label_ok, t.label_cases,
                pct(t.series_ok, t.series_cases), t.series_ok, t.series_cases);
  std::cout << line;
  if (!details) return;
  std::vector<std::pair<std::string, std::vector<std::string>>> sorted(t.confusions.begin(),
                                                                       t.confusions.end());
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto& a, const auto& b) { return a.second.size() > b.second.size(); });
  if (!sorted.empty()) std::cout << "  confusions (expected -> chosen):\n";
  for (const auto& [key, requests] : sorted) {
    std::cout << "    " << requests.size() << "x " << key << "\n";
    for (const auto& q : requests) std::cout << "        " << q << "\n";
  }
  if (!t.label_misses.empty()) std::cout << "  label counts missed:\n";
  for (const auto& m : t.label_misses) std::cout << "        " << m << "\n";
  if (!t.series_misses.empty()) std::cout << "  series names missed:\n";
  for (const auto& m : t.series_misses) std::cout << "        " << m << "\n";
}

std::optional<double> percent_arg(const std::string& v) {
  try {
    std::size_t used = 0;
    double d = std::stod(v, &used);
    if (used != v.size() || d < 0 || d > 100) return std::nullopt;
    return d;
  } catch (...) {
    return std::nullopt;
  }
}

}  // namespace

const char* eval_help() {
  return "usage: agentwire eval [--set dev|heldout|all] [--dir DIR] [--quiet]\n"
         "                      [--min-type P] [--min-labels P]\n"
         "\n"
         "Plans and generates a chart for every request of the corpus with the built-in\n"
         "provider (offline, deterministic) and prints the share of requests whose chart\n"
         "type is one of the acceptable ones, whose label count and series names are right\n"
         "(where the corpus fixes them), and the confusions.\n"
         "\n"
         "  --set S         dev, heldout or all (default all)\n"
         "  --dir DIR       where dev.jsonl and heldout.jsonl are (default: the source tree's "
         "eval/)\n"
         "  --quiet         figures only, no confusion list\n"
         "  --min-type P    exit 1 when type accuracy of any set is below P percent\n"
         "  --min-labels P  exit 1 when label-count accuracy of any set is below P percent\n";
}

int run_eval_command(const std::vector<std::string>& args) {
  std::string set = "all", dir = AW_EVAL_DIR;
  bool quiet = false;
  double min_type = 0, min_labels = 0;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&]() -> std::optional<std::string> {
      if (i + 1 >= args.size()) return std::nullopt;
      return args[++i];
    };
    if (a == "--help" || a == "-h") {
      std::cout << eval_help();
      return 0;
    } else if (a == "--quiet") {
      quiet = true;
    } else if (a == "--set") {
      auto v = value();
      if (!v || (*v != "dev" && *v != "heldout" && *v != "all")) {
        std::cerr << "eval: --set takes dev, heldout or all\n";
        return 2;
      }
      set = *v;
    } else if (a == "--dir") {
      auto v = value();
      if (!v || v->empty()) {
        std::cerr << "eval: --dir takes a directory\n";
        return 2;
      }
      dir = *v;
    } else if (a == "--min-type" || a == "--min-labels") {
      auto v = value();
      auto p = v ? percent_arg(*v) : std::nullopt;
      if (!p) {
        std::cerr << "eval: " << a << " takes a percentage 0..100\n";
        return 2;
      }
      (a == "--min-type" ? min_type : min_labels) = *p;
    } else {
      std::cerr << "eval: unknown argument " << a << "\n" << eval_help();
      return 2;
    }
  }
  std::vector<std::string> sets;
  if (set == "dev" || set == "all") sets.push_back("dev");
  if (set == "heldout" || set == "all") sets.push_back("heldout");
  bool below = false;
  for (const auto& name : sets) {
    std::string error;
    auto cases = load(dir + "/" + name + ".jsonl", error);
    if (!cases) {
      std::cerr << "eval: " << error << "\n";
      return 2;
    }
    totals t = evaluate(*cases);
    print(name, t, !quiet);
    if (pct(t.type_ok, t.cases) < min_type || pct(t.label_ok, t.label_cases) < min_labels) {
      std::cout << name << ": below the threshold (type >= " << min_type
                << "%, labels >= " << min_labels << "%)\n";
      below = true;
    }
  }
  return below ? 1 : 0;
}

}  // namespace aw::app
