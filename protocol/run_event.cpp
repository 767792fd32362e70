// The encoders of typed run events: the WebSocket frame and the history's
// data object (protocol/run_event.hpp).
#include "protocol/run_event.hpp"

#include "protocol/base64.hpp"
#include "protocol/writers.hpp"

namespace aw::protocol {
namespace {

using encoding::json_writer;
using encoding::write_number;
using encoding::write_raw;
using encoding::write_string;

// Writes one data object. `image` as for write_frame; null: no response.chart.
struct data_writer {
  json_writer& w;
  rapidjson::StringBuffer& buffer;
  const std::string_view* image;

  void operator()(const started_event& e) const {
    w.StartObject();
    w.Key("agent");
    write_string(w, e.agent);
    w.Key("content");
    write_string(w, e.content);
    w.Key("progress");
    w.Int(0);
    w.EndObject();
  }
  void operator()(const thinking_event& e) const {
    w.StartObject();
    w.Key("stage");
    write_string(w, to_string(e.stage));
    w.Key("thought");
    write_string(w, e.thought);
    w.Key("progress");
    write_number(w, e.progress);
    if (e.partial) {
      w.Key("partial");
      w.Bool(true);
    }
    w.EndObject();
  }
  void operator()(const tool_executing_event& e) const {
    w.StartObject();
    w.Key("tool");
    write_string(w, e.tool);
    w.Key("tool_call_id");
    write_string(w, e.tool_call_id);
    w.Key("args");
    write_raw(w, e.args_json, rapidjson::kObjectType);
    w.Key("progress");
    write_number(w, e.progress);
    w.EndObject();
  }
  void operator()(const tool_completed_event& e) const {
    w.StartObject();
    w.Key("tool");
    write_string(w, e.tool);
    w.Key("tool_call_id");
    write_string(w, e.tool_call_id);
    w.Key("status");
    w.String(e.success ? "success" : "error");
    w.Key("duration_ms");
    write_number(w, e.duration_ms);
    w.Key("result");
    write_raw(w, e.result_json, rapidjson::kObjectType);
    w.EndObject();
  }
  void operator()(const completed_event& e) const {
    w.StartObject();
    if (e.status == run_status::success) {
      w.Key("status");
      w.String("success");
      w.Key("duration_ms");
      write_number(w, e.duration_ms);
      w.Key("response");
      if (e.result) {
        const run_result& r = *e.result;
        write_response_object(
            w, buffer, image,
            {r.chart_url, r.data, r.stats, r.series_stats, r.insights, r.narrative, r.metadata});
      } else {
        w.StartObject();
        w.EndObject();
      }
    } else {
      w.Key("status");
      write_string(w, to_string(e.status));
      w.Key("duration_ms");
      write_number(w, e.duration_ms);
      w.Key("error");
      w.StartObject();
      w.Key("code");
      write_string(w, to_string(e.code));
      w.Key("message");
      write_string(w, e.message);
      w.EndObject();
    }
    w.EndObject();
  }
};

// Room for the image's base64 when there is one, so the buffer grows once.
std::size_t reserve_for(const event_data& d, std::string_view image) {
  const auto* done = std::get_if<completed_event>(&d);
  return done != nullptr && done->status == run_status::success ? base64_size(image.size()) + 4096
                                                                : 256;
}

}  // namespace

event_type type_of(const event_data& d) {
  static_assert(std::variant_size_v<event_data> == 5, "one alternative per event_type");
  return static_cast<event_type>(d.index());
}

std::string write_frame(const run_event& e, std::string_view image) {
  static const run_ids kNoRun;
  static const std::string kNoUser;
  const run_ids& run = e.run ? *e.run : kNoRun;
  event_envelope env;
  env.type = e.type();
  env.seq = e.seq;
  env.event_id = e.event_id;
  env.run_id = run.run_id;
  env.correlation_id = run.correlation_id;
  env.conversation_id = run.conversation_id;
  env.user_id = e.user_id ? *e.user_id : kNoUser;
  env.message_id = run.message_id;
  env.unix_ms = e.unix_ms;
  rapidjson::StringBuffer buffer(nullptr, 384 + reserve_for(e.data, image));
  json_writer w(buffer);
  w.StartObject();
  write_envelope_members(w, env);
  w.Key("data");
  std::visit(data_writer{w, buffer, &image}, e.data);
  w.EndObject();
  return encoding::take(buffer);
}

std::string write_data(const event_data& d, std::string_view image) {
  rapidjson::StringBuffer buffer(nullptr, reserve_for(d, image));
  json_writer w(buffer);
  std::visit(data_writer{w, buffer, &image}, d);
  return encoding::take(buffer);
}

std::string write_stored_data(const event_data& d) {
  rapidjson::StringBuffer buffer;
  json_writer w(buffer);
  std::visit(data_writer{w, buffer, nullptr}, d);
  return encoding::take(buffer);
}

}  // namespace aw::protocol
