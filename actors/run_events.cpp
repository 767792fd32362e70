#include "actors/run_events.hpp"

#include <rapidjson/stringbuffer.h>

#include "encoding/json_writer.hpp"
#include "encoding/utf8.hpp"

namespace aw::actors::run_events {
namespace {

// Small JSON objects for tool args/results.
class json_object {
 public:
  json_object() { w_.StartObject(); }
  json_object& str(const char* key, std::string_view value) {
    w_.Key(key);
    encoding::write_string(w_, value);
    return *this;
  }
  json_object& num(const char* key, double value) {
    w_.Key(key);
    encoding::write_number(w_, value);
    return *this;
  }
  json_object& integer(const char* key, std::int64_t value) {
    w_.Key(key);
    w_.Int64(value);
    return *this;
  }
  json_object& boolean(const char* key, bool value) {
    w_.Key(key);
    w_.Bool(value);
    return *this;
  }
  std::string done() {
    w_.EndObject();
    return encoding::take(buf_);
  }

 private:
  rapidjson::StringBuffer buf_;
  encoding::json_writer w_{buf_};
};

}  // namespace

std::string plan_args(const protocol::analytics_payload& payload) {
  return json_object()
      .str("content", encoding::utf8_cut_bytes(payload.content, 200))
      .str("chart_preference",
           payload.chart_preference ? protocol::to_string(*payload.chart_preference) : "")
      .done();
}

std::string plan_result(const analytics::chart_plan& plan) {
  return json_object()
      .str("chart_type", protocol::to_string(plan.type))
      .boolean("from_preference", plan.type_from_user)
      .str("decided_by", plan.type_from_user ? "user" : "builtin")
      .done();
}

std::string model_plan_result(protocol::chart_type chosen, const std::string& decided_by,
                              protocol::chart_type builtin_plan) {
  return json_object()
      .str("chart_type", protocol::to_string(chosen))
      .boolean("from_preference", false)
      .str("decided_by", decided_by)
      .str("builtin_plan", protocol::to_string(builtin_plan))
      .done();
}

const char* generate_tool(const protocol::analytics_payload& payload) {
  return payload.data.has_value() ? "prepare_data" : "generate_data";
}

std::string generate_args(const protocol::analytics_payload& payload, protocol::chart_type type,
                          const core::config& cfg) {
  bool model = cfg.llm_provider != "builtin";
  return json_object()
      .str("chart_type", protocol::to_string(type))
      .str("data_source", payload.data.has_value() ? "user" : "synthetic")
      .str("provider", cfg.llm_provider)
      .str("model", model ? cfg.llm_model : "builtin")
      .done();
}

std::string generate_result(const analytics::generation& gen) {
  json_object result;
  result.str("title", gen.title)
      .integer("labels", static_cast<std::int64_t>(gen.data.labels.size()))
      .integer("insights", static_cast<std::int64_t>(gen.insights.size()))
      .str("provider", gen.provider)
      .str("model", gen.model)
      .integer("tokens_in", gen.tokens_in)
      .integer("tokens_out", gen.tokens_out)
      .boolean("tokens_estimated", gen.tokens_estimated)
      .integer("attempts", gen.attempts)
      .num("llm_ms", gen.llm_ms);
  if (!gen.fallback_reason.empty())
    result.str("fallback_reason", gen.fallback_reason.substr(0, 200));
  return result.done();
}

std::string render_args(const protocol::analytics_payload& payload, protocol::chart_type type) {
  return json_object()
      .str("chart_type", protocol::to_string(type))
      .str("format", protocol::to_string(payload.format))
      .integer("width", payload.width)
      .integer("height", payload.height)
      .str("theme", payload.theme.name)
      .done();
}

std::string render_result(const render::render_output& image) {
  return json_object()
      .integer("bytes", static_cast<std::int64_t>(image.bytes.size()))
      .num("render_ms", image.duration_ms)
      .done();
}

}  // namespace aw::actors::run_events
