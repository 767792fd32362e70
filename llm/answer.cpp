#include "llm/answer.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include <rapidjson/document.h>

#include "analytics/statistics.hpp"
#include "encoding/utf8.hpp"
#include "analytics/user_data.hpp"

namespace aw::llm {
namespace {

// Printable text only, at most `max` bytes, cut on a UTF-8 boundary.
std::string clean_text(std::string_view in, std::size_t max) {
  std::string out;
  for (char c : in) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20) c = ' ';
    out.push_back(c);
  }
  out.resize(encoding::utf8_cut_bytes(out, max).size());
  auto b = out.find_first_not_of(' ');
  auto e = out.find_last_not_of(' ');
  return b == std::string::npos ? std::string() : out.substr(b, e - b + 1);
}

std::string get_string(const rapidjson::Value& obj, const char* key, std::size_t max,
                       model_answer& a) {
  auto it = obj.FindMember(key);
  if (it == obj.MemberEnd()) return {};
  if (!it->value.IsString()) {
    a.repairs.push_back(std::string(key) + " was not a string");
    return {};
  }
  std::string_view raw(it->value.GetString(), it->value.GetStringLength());
  if (raw.size() > max) a.repairs.push_back(std::string(key) + " truncated");
  return clean_text(raw, max);
}

// A number, or a string holding one; nullopt for anything else or non-finite/huge.
std::optional<double> to_number(const rapidjson::Value& v) {
  double d;
  if (v.IsNumber()) {
    d = v.GetDouble();
  } else if (v.IsString()) {
    const char* s = v.GetString();
    char* end = nullptr;
    d = std::strtod(s, &end);
    if (end == s || *end != '\0') return std::nullopt;
  } else {
    return std::nullopt;
  }
  if (!std::isfinite(d) || std::fabs(d) > max_abs_value) return std::nullopt;
  return d;
}

// Values with nullopt where the model wrote something unusable.
std::vector<std::optional<double>> get_numbers(const rapidjson::Value& arr, std::size_t max) {
  std::vector<std::optional<double>> out;
  if (!arr.IsArray()) return out;
  for (const auto& v : arr.GetArray()) {
    if (out.size() == max) break;
    out.push_back(to_number(v));
  }
  return out;
}

void read_labels(const rapidjson::Value& doc, model_answer& a) {
  auto it = doc.FindMember("labels");
  if (it == doc.MemberEnd() || !it->value.IsArray()) return;
  for (const auto& v : it->value.GetArray()) {
    if (a.labels.size() == max_answer_labels) {
      a.repairs.push_back("labels clamped to " + std::to_string(max_answer_labels));
      break;
    }
    if (v.IsString())
      a.labels.push_back(clean_text(v.GetString(), protocol::max_label_chars));
    else if (v.IsNumber())
      a.labels.push_back(clean_text(std::to_string(v.GetDouble()), 32));
    else
      a.labels.push_back("Item " + std::to_string(a.labels.size() + 1));
  }
}

// Lines labels and numbers up: the labels name the points (numbers beyond them
// are dropped; labels are made up when the model gave none), and a point whose
// number is unusable in any column is removed with its label.
void align(model_answer& a, std::vector<std::vector<std::optional<double>>>& columns) {
  std::size_t longest = 0;
  for (const auto& c : columns) longest = std::max(longest, c.size());
  if (longest == 0) {
    a.labels.clear();
    return;
  }
  if (a.labels.empty()) {
    a.repairs.push_back("labels made up");
    for (std::size_t i = 0; i < longest; ++i) a.labels.push_back("Item " + std::to_string(i + 1));
  }
  const std::size_t n = a.labels.size();
  for (auto& c : columns)
    if (c.size() != n) {
      a.repairs.push_back(c.size() > n ? "extra values dropped" : "missing values dropped");
      c.resize(n);  // missing ones are nullopt: dropped below
    }
  std::vector<std::string> labels;
  std::vector<std::vector<std::optional<double>>> kept(columns.size());
  for (std::size_t i = 0; i < n; ++i) {
    bool ok = true;
    for (const auto& c : columns) ok = ok && c[i].has_value();
    if (!ok) {
      a.repairs.push_back("point " + std::to_string(i) + " dropped (not a finite number)");
      continue;
    }
    labels.push_back(a.labels[i]);
    for (std::size_t k = 0; k < columns.size(); ++k) kept[k].push_back(columns[k][i]);
  }
  a.labels = std::move(labels);
  columns = std::move(kept);
}

std::vector<double> unwrap(const std::vector<std::optional<double>>& c) {
  std::vector<double> out;
  for (const auto& v : c) out.push_back(*v);
  return out;
}

void read_data(const rapidjson::Value& doc, model_answer& a) {
  read_labels(doc, a);
  std::vector<std::vector<std::optional<double>>> columns;
  std::vector<std::string> names;
  auto series = doc.FindMember("series");
  if (series != doc.MemberEnd() && series->value.IsArray() && !series->value.Empty()) {
    for (const auto& s : series->value.GetArray()) {
      if (columns.size() == max_answer_series) {
        a.repairs.push_back("series clamped to " + std::to_string(max_answer_series));
        break;
      }
      if (!s.IsObject() || !s.HasMember("values")) continue;
      columns.push_back(get_numbers(s["values"], max_answer_labels));
      std::string name = s.HasMember("name") && s["name"].IsString()
                             ? clean_text(s["name"].GetString(), protocol::max_label_chars)
                             : "";
      names.push_back(name.empty() ? "Series " + std::to_string(names.size() + 1) : name);
    }
  } else if (auto values = doc.FindMember("values"); values != doc.MemberEnd()) {
    columns.push_back(get_numbers(values->value, max_answer_labels));
  }
  align(a, columns);
  if (a.labels.empty()) return;
  if (names.empty()) {
    a.values = unwrap(columns.front());
  } else {
    for (std::size_t k = 0; k < columns.size(); ++k)
      a.series.push_back({names[k], unwrap(columns[k])});
  }
}

}  // namespace

result<model_answer> parse_answer(std::string_view text) {
  constexpr auto unusable = protocol::error_code::llm_unavailable;
  auto open = text.find('{');
  auto close = text.rfind('}');
  if (open == std::string_view::npos || close == std::string_view::npos || close < open) {
    return {unusable, "the answer holds no JSON object"};
  }
  std::string json(text.substr(open, close - open + 1));
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseNanAndInfFlag>(json.c_str());
  if (doc.HasParseError() || !doc.IsObject()) {
    return {unusable, "the answer is not a valid JSON object"};
  }
  model_answer a;
  a.title = get_string(doc, "title", max_title_chars, a);
  a.x_label = get_string(doc, "x_label", protocol::max_label_chars, a);
  a.y_label = get_string(doc, "y_label", protocol::max_label_chars, a);
  a.chart_type = get_string(doc, "chart_type", 40, a);
  a.narrative = get_string(doc, "narrative", max_narrative_chars, a);
  if (auto it = doc.FindMember("insights"); it != doc.MemberEnd() && it->value.IsArray()) {
    for (const auto& v : it->value.GetArray()) {
      if (a.insights.size() == max_answer_insights) {
        a.repairs.push_back("insights clamped");
        break;
      }
      if (!v.IsString()) continue;
      auto s = clean_text(v.GetString(), max_insight_chars);
      if (!s.empty()) a.insights.push_back(std::move(s));
    }
  }
  read_data(doc, a);
  if (a.title.empty() && a.narrative.empty() && a.insights.empty() && a.labels.empty()) {
    return {unusable, "the answer holds no usable field"};
  }
  return a;
}

std::optional<protocol::chart_type> decide_type(const protocol::analytics_payload& payload,
                                                protocol::chart_type planned,
                                                const model_answer& answer, std::string* why) {
  auto chosen = protocol::parse_chart_type(answer.chart_type);
  if (!chosen) {
    *why = answer.chart_type.empty()
               ? "named no chart type"
               : "named no valid chart type (\"" + answer.chart_type.substr(0, 40) + "\")";
    return std::nullopt;
  }
  if (*chosen == planned) return chosen;
  // The data the type would be drawn from: the user's, else the model's own.
  protocol::chart_data d;
  if (payload.data) {
    d = *payload.data;
  } else {
    d.labels = answer.labels;
    d.values = answer.values;
    d.series = answer.series;
  }
  if (d.labels.empty() && !payload.data) {
    *why = "chose " + answer.chart_type + " without data for it";
    return std::nullopt;
  }
  analytics::complete_user_data(*chosen, d, answer.y_label.empty() ? "Value" : answer.y_label);
  if (auto misfit = analytics::check_data_fits(*chosen, d); !misfit.ok()) {
    *why = "chose " + answer.chart_type + ", which does not fit the data (" +
           misfit.message().substr(0, 120) + ")";
    return std::nullopt;
  }
  return chosen;
}

analytics::generation build_generation(const protocol::analytics_payload& payload,
                                       protocol::chart_type planned, const model_answer& answer) {
  // Who decides the type: the user's chart_preference always, else the model when its
  // answer names a valid type that fits the data, else the built-in plan.
  protocol::chart_type type = planned;
  std::string decided_by = payload.chart_preference ? "user" : "builtin";
  std::string why;
  if (!payload.chart_preference) {
    if (auto chosen = decide_type(payload, planned, answer, &why)) {
      type = *chosen;
      decided_by = "model";
    }
  }
  // The builtin result gives the defaults: the user's data completed for the type,
  // or synthetic data, plus texts for whatever the model left out.
  analytics::generation g = analytics::builtin_generate(payload, type);
  g.chart_type = type;
  g.decided_by = decided_by;
  bool model_data = false;
  if (!payload.data && !answer.labels.empty()) {
    protocol::chart_data d;
    d.labels = answer.labels;
    d.values = answer.values;
    d.series = answer.series;
    analytics::complete_user_data(type, d, answer.y_label.empty() ? "Value" : answer.y_label);
    if (analytics::check_data_fits(type, d).ok()) {
      g.data = std::move(d);
      model_data = true;
    }
  }
  if (!payload.title && !answer.title.empty()) g.title = answer.title;
  if (!answer.x_label.empty()) g.x_label = answer.x_label;
  if (!answer.y_label.empty()) g.y_label = answer.y_label;
  g.stats = analytics::compute_statistics(analytics::headline_values(g.data));
  g.series_stats.clear();
  for (const auto& s : g.data.series)
    g.series_stats.push_back(analytics::compute_statistics(s.values));
  // Texts of the model describe the model's numbers (or the user's): keep them
  // unless the data they describe was replaced by builtin synthetic data.
  bool texts_match = model_data || payload.data.has_value();
  if (texts_match && !answer.insights.empty()) g.insights = answer.insights;
  if (texts_match && !answer.narrative.empty()) g.narrative = answer.narrative;
  g.thoughts.clear();
  if (decided_by == "model" && type != planned)
    g.thoughts.push_back("The model chose " + std::string(protocol::to_string(type)) +
                         " over the built-in plan " + std::string(protocol::to_string(planned)));
  else if (decided_by == "builtin")
    g.thoughts.push_back("The model's answer " + why + "; keeping the built-in plan " +
                         std::string(protocol::to_string(planned)));
  else if (decided_by == "user" && !answer.chart_type.empty() &&
           answer.chart_type != protocol::to_string(type))
    g.thoughts.push_back("The model suggested " + answer.chart_type + "; keeping " +
                         std::string(protocol::to_string(type)) + " as the user asked");
  if (!payload.data && !model_data)
    g.thoughts.push_back("The model's data did not fit " + std::string(protocol::to_string(type)) +
                         "; using generated sample data instead");
  if (!answer.repairs.empty())
    g.thoughts.push_back("Repaired " + std::to_string(answer.repairs.size()) +
                         " problem(s) in the model's answer");
  g.synthetic = !payload.data.has_value();
  return g;
}

}  // namespace aw::llm
