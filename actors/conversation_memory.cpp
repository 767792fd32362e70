#include "actors/conversation_memory.hpp"

#include <algorithm>
#include <cmath>

#include <rapidjson/document.h>

namespace aw::actors {
namespace {

constexpr std::size_t max_response_json = 1 << 20;  // bigger rows are not read back
constexpr std::size_t max_request_json = 16 << 10;

std::string string_member(const rapidjson::Value& o, const char* key, std::size_t limit) {
  if (!o.IsObject()) return {};
  auto it = o.FindMember(key);
  if (it == o.MemberEnd() || !it->value.IsString()) return {};
  return std::string(it->value.GetString(),
                     std::min<std::size_t>(it->value.GetStringLength(), limit));
}

int int_member(const rapidjson::Value& o, const char* key, int fallback, int lo, int hi) {
  if (!o.IsObject()) return fallback;
  auto it = o.FindMember(key);
  if (it == o.MemberEnd() || !it->value.IsInt()) return fallback;
  int v = it->value.GetInt();
  return v < lo || v > hi ? fallback : v;
}

bool numbers(const rapidjson::Value& a, std::vector<double>* out) {
  if (!a.IsArray() || a.Size() > protocol::max_data_points) return false;
  for (const auto& v : a.GetArray()) {
    if (!v.IsNumber() || !std::isfinite(v.GetDouble())) return false;
    out->push_back(v.GetDouble());
  }
  return true;
}

// Cuts at max bytes on a UTF-8 character boundary.
std::string cut(std::string_view s, std::size_t max) {
  if (s.size() <= max) return std::string(s);
  std::size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return std::string(s.substr(0, n)) + "...";
}

std::size_t turn_bytes(const conversation_turn& t) {
  return t.request.size() + t.answer.size() + 64;
}

std::string request_content(std::string_view request_json) {
  if (request_json.size() > max_request_json) return {};
  rapidjson::Document req;
  req.Parse(request_json.data(), request_json.size());
  if (req.HasParseError()) return {};
  return string_member(req, "content", 4000);
}

conversation_turn make_turn(std::string_view request_json, bool success,
                            const std::optional<analytics::prior_chart>& chart,
                            std::string_view response_json) {
  conversation_turn t;
  t.request = cut(request_content(request_json), conversation_memory::max_turn_request_bytes);
  if (chart) {
    t.answer =
        std::string(protocol::to_string(chart->type)) + " \"" + cut(chart->title, 120) + "\"";
  } else if (success && response_json.size() <= max_response_json) {
    rapidjson::Document d;
    d.Parse(response_json.data(), response_json.size());
    std::string type, title;
    if (!d.HasParseError() && d.IsObject() && d.HasMember("response")) {
      const auto& md = d["response"];
      if (md.IsObject() && md.HasMember("metadata")) {
        type = string_member(md["metadata"], "chart_type", 40);
        title = string_member(md["metadata"], "title", 120);
      }
    }
    t.answer = type.empty() ? "a chart" : type + " \"" + title + "\"";
  } else {
    t.answer = success ? "a chart" : "no chart (the run failed)";
  }
  return t;
}

}  // namespace

std::optional<analytics::prior_chart> prior_chart_from_json(const std::string& run_id,
                                                            std::string_view request_json,
                                                            std::string_view response_json) {
  if (request_json.size() > max_request_json || response_json.size() > max_response_json)
    return std::nullopt;
  rapidjson::Document req, done;
  req.Parse(request_json.data(), request_json.size());
  done.Parse(response_json.data(), response_json.size());
  if (req.HasParseError() || done.HasParseError() || !req.IsObject() || !done.IsObject())
    return std::nullopt;
  if (string_member(done, "status", 16) != "success") return std::nullopt;
  auto r = done.FindMember("response");
  if (r == done.MemberEnd() || !r->value.IsObject()) return std::nullopt;
  const auto& resp = r->value;
  auto m = resp.FindMember("metadata");
  auto dt = resp.FindMember("data");
  if (m == resp.MemberEnd() || dt == resp.MemberEnd() || !dt->value.IsObject()) return std::nullopt;
  const auto& md = m->value;
  const auto& data = dt->value;

  analytics::prior_chart c;
  c.run_id = run_id;
  c.content = string_member(req, "subject", 4000);
  if (c.content.empty()) c.content = string_member(req, "content", 4000);
  auto type = protocol::parse_chart_type(string_member(md, "chart_type", 40));
  if (!type) return std::nullopt;
  c.type = *type;
  c.title = string_member(md, "title", 200);
  c.synthetic = string_member(md, "data_source", 16) != "user";
  c.format = string_member(md, "format", 8) == "svg" ? protocol::image_format::svg
                                                     : protocol::image_format::png;
  c.width = int_member(md, "width", 800, 200, 4000);
  c.height = int_member(md, "height", 500, 200, 4000);
  std::string theme = string_member(req, "theme", 16);
  c.theme = protocol::is_theme_name(theme) && theme != "custom" ? theme : "modern";

  auto labels = data.FindMember("labels");
  if (labels == data.MemberEnd() || !labels->value.IsArray() ||
      labels->value.Size() > protocol::max_data_points)
    return std::nullopt;
  for (const auto& l : labels->value.GetArray()) {
    if (!l.IsString() || l.GetStringLength() > protocol::max_label_chars) return std::nullopt;
    c.data.labels.emplace_back(l.GetString(), l.GetStringLength());
  }
  if (auto v = data.FindMember("values"); v != data.MemberEnd()) {
    if (!numbers(v->value, &c.data.values) || c.data.values.size() != c.data.labels.size())
      return std::nullopt;
  } else if (auto s = data.FindMember("series"); s != data.MemberEnd()) {
    if (!s->value.IsArray() || s->value.Size() > protocol::max_series) return std::nullopt;
    for (const auto& one : s->value.GetArray()) {
      if (!one.IsObject()) return std::nullopt;
      protocol::named_series ns;
      ns.name = string_member(one, "name", protocol::max_label_chars);
      auto vals = one.FindMember("values");
      if (vals == one.MemberEnd() || !numbers(vals->value, &ns.values) ||
          ns.values.size() != c.data.labels.size())
        return std::nullopt;
      c.data.series.push_back(std::move(ns));
    }
  } else {
    return std::nullopt;
  }
  if (!analytics::refinable(c) ||
      analytics::prior_chart_bytes(c) > conversation_memory::max_chart_bytes)
    return std::nullopt;
  return c;
}

bool conversation_memory::known(const std::string& conversation) const {
  return entries_.count(conversation) != 0;
}

const analytics::prior_chart* conversation_memory::last_chart(const std::string& conversation) {
  auto it = entries_.find(conversation);
  if (it == entries_.end()) return nullptr;
  touch(conversation);
  return it->second.chart ? &*it->second.chart : nullptr;
}

conversation_memory::entry& conversation_memory::touch(const std::string& conversation) {
  auto it = entries_.find(conversation);
  if (it != entries_.end()) {
    order_.remove(conversation);  // at most max_conversations long
    order_.push_back(conversation);
    return it->second;
  }
  order_.push_back(conversation);
  auto& e = entries_[conversation];
  e.bytes = conversation.size() + 64;
  bytes_ += e.bytes;
  return e;
}

void conversation_memory::account(entry& e, std::size_t before) {
  std::size_t now = 64;
  if (e.chart) now += analytics::prior_chart_bytes(*e.chart);
  for (const auto& t : e.turns) now += turn_bytes(t);
  e.bytes = now;
  bytes_ = bytes_ - std::min(bytes_, before) + now;
}

void conversation_memory::evict() {
  while (!order_.empty() && (order_.size() > max_conversations || bytes_ > max_bytes)) {
    auto it = entries_.find(order_.front());
    if (it != entries_.end()) {
      bytes_ -= std::min(bytes_, it->second.bytes);
      entries_.erase(it);
    }
    order_.pop_front();
  }
}

void conversation_memory::remember(const std::string& conversation, const std::string& run_id,
                                   std::string_view request_json, bool success,
                                   std::string_view response_json) {
  auto& e = touch(conversation);
  std::size_t before = e.bytes;
  std::optional<analytics::prior_chart> chart;
  if (success) chart = prior_chart_from_json(run_id, request_json, response_json);
  e.turns.push_back(make_turn(request_json, success, chart, response_json));
  while (e.turns.size() > max_turns) e.turns.pop_front();
  if (success) e.chart = std::move(chart);  // a chart that cannot be kept clears the older one
  account(e, before);
  evict();
}

void conversation_memory::recall(const std::string& conversation,
                                 const std::vector<store::message_record>& rows) {
  auto& e = touch(conversation);
  std::size_t before = e.bytes;
  e.turns.clear();
  e.chart.reset();
  // Oldest first: the newest successful run is the last chart.
  std::size_t first = rows.size() > max_turns ? rows.size() - max_turns : 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& row = rows[i];
    if (row.status.empty()) continue;  // still going
    bool success = row.status == "success";
    std::optional<analytics::prior_chart> chart;
    if (success) chart = prior_chart_from_json(row.run_id, row.request_json, row.response_json);
    if (success) e.chart = chart;
    if (i >= first)
      e.turns.push_back(make_turn(row.request_json, success, chart, row.response_json));
  }
  account(e, before);
  evict();
}

std::string conversation_memory::context(const std::string& conversation) const {
  auto it = entries_.find(conversation);
  if (it == entries_.end() || it->second.turns.empty()) return {};
  // The newest turns that fit, listed oldest first.
  std::vector<std::string> lines;
  std::size_t bytes = 0;
  for (auto t = it->second.turns.rbegin(); t != it->second.turns.rend(); ++t) {
    std::string line = "- user: " + t->request + "\n  answered with: " + t->answer + "\n";
    if (bytes + line.size() > max_context_bytes) break;
    bytes += line.size();
    lines.push_back(std::move(line));
  }
  std::string out;
  for (auto l = lines.rbegin(); l != lines.rend(); ++l) out += *l;
  return out;
}

}  // namespace aw::actors
