#include "gateway/agui_bridge.hpp"

#include <cmath>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>

#include "encoding/json_writer.hpp"

namespace aw::gateway {
namespace {

using encoding::json_writer;
using rapidjson::Value;

constexpr unsigned kParseFlags = rapidjson::kParseIterativeFlag;

const Value* member(const Value& obj, const char* name) {
  if (!obj.IsObject()) return nullptr;
  auto it = obj.FindMember(name);
  return it == obj.MemberEnd() || it->value.IsNull() ? nullptr : &it->value;
}

std::string_view text(const Value& obj, const char* name) {
  const Value* v = member(obj, name);
  return v != nullptr && v->IsString() ? std::string_view(v->GetString(), v->GetStringLength())
                                       : std::string_view();
}

void put(json_writer& w, std::string_view s) {
  encoding::write_string(w, s);
}

// One AG-UI event object, written field by field.
class event {
 public:
  explicit event(const char* type) : w_(buffer_) {
    w_.StartObject();
    field("type", type);
  }
  event& field(const char* key, std::string_view value) {
    w_.Key(key);
    put(w_, value);
    return *this;
  }
  event& value(const char* key, const Value& v) {
    w_.Key(key);
    v.Accept(w_);
    return *this;
  }
  json_writer& writer() { return w_; }
  std::string done() {
    w_.EndObject();
    return {buffer_.GetString(), buffer_.GetSize()};
  }

 private:
  rapidjson::StringBuffer buffer_;
  json_writer w_;
};

std::string run_error(std::string_view code, std::string_view message) {
  return event("RUN_ERROR").field("message", message).field("code", code).done();
}

// The narrative, then the insights as a list: the assistant's answer in words.
std::vector<std::string> answer_text(std::string_view narrative,
                                     const std::vector<std::string_view>& insights) {
  std::vector<std::string> pieces;
  if (!narrative.empty()) pieces.emplace_back(narrative);
  std::string list;
  for (std::string_view i : insights) {
    list += list.empty() && pieces.empty() ? "- " : "\n- ";
    list.append(i.data(), i.size());
  }
  if (!list.empty()) pieces.push_back(pieces.empty() ? list : "\n" + list);
  return pieces;
}

// The same from a response read back from the history store.
std::vector<std::string> answer_text(const Value& response) {
  std::vector<std::string_view> insights;
  if (const Value* list = member(response, "insights"); list && list->IsArray())
    for (const auto& i : list->GetArray())
      if (i.IsString()) insights.emplace_back(i.GetString(), i.GetStringLength());
  return answer_text(text(response, "narrative"), insights);
}

// TOOL_CALL_RESULT's content: {tool, status, duration_ms, result} as JSON text.
std::string tool_result_content(const protocol::tool_completed_event& t) {
  rapidjson::StringBuffer buffer;
  json_writer w(buffer);
  w.StartObject();
  w.Key("tool");
  put(w, t.tool);
  w.Key("status");
  w.String(t.success ? "success" : "error");
  if (std::isfinite(t.duration_ms)) {  // the frame's null: left out, as a missing member
    w.Key("duration_ms");
    encoding::write_number(w, t.duration_ms);
  }
  if (!t.result_json.empty()) {
    w.Key("result");
    encoding::write_raw(w, t.result_json, rapidjson::kObjectType);
  }
  w.EndObject();
  return {buffer.GetString(), buffer.GetSize()};
}

}  // namespace

agui_bridge::agui_bridge(std::string thread_id, std::string run_id, std::string message_token)
    : thread_id_(std::move(thread_id)),
      run_id_(std::move(run_id)),
      token_(std::move(message_token)) {}

std::string agui_bridge::next_id(std::string_view kind) {
  return token_ + "-" + std::string(kind) + "-" + std::to_string(++counter_);
}

void agui_bridge::close_reasoning(std::vector<std::string>& out) {
  if (open_reasoning_.empty()) return;
  out.push_back(event("REASONING_MESSAGE_END").field("messageId", open_reasoning_).done());
  out.push_back(event("REASONING_END").field("messageId", open_reasoning_).done());
  open_reasoning_.clear();
}

void agui_bridge::close_step(std::vector<std::string>& out) {
  if (open_step_.empty()) return;
  out.push_back(event("STEP_FINISHED").field("stepName", open_step_).done());
  open_step_.clear();
}

std::vector<std::string> agui_bridge::on_error(const protocol::protocol_error& e) {
  std::vector<std::string> out;
  event_seq_ = 0;
  if (ended_) return out;
  // Errors go only to the connection whose request caused them.
  if (!e.correlation_id.empty() && e.correlation_id != run_id_) return out;
  ended_ = run_over_ = true;
  out.push_back(run_error(protocol::to_string(e.code), e.message));
  return out;
}

std::vector<std::string> agui_bridge::on_event(const protocol::run_event& e) {
  using protocol::event_type;
  std::vector<std::string> out;
  event_seq_ = 0;
  if (ended_ || !e.run) return out;
  // The user's other runs reach this connection too.
  if (e.run->message_id != token_ || e.run->correlation_id != run_id_) return out;
  event_seq_ = e.seq;
  if (e.type() == event_type::agent_started) {
    started(e, out);
    return out;
  }
  if (!started_) return out;  // agent_started always comes first; be safe anyway
  if (const auto* t = std::get_if<protocol::thinking_event>(&e.data)) {
    thinking(*t, out);
    return out;
  }
  close_reasoning(out);
  if (const auto* t = std::get_if<protocol::tool_executing_event>(&e.data)) tool_executing(*t, out);
  if (const auto* t = std::get_if<protocol::tool_completed_event>(&e.data)) tool_completed(*t, out);
  if (const auto* c = std::get_if<protocol::completed_event>(&e.data)) completed(*c, out);
  return out;
}

void agui_bridge::started(const protocol::run_event& e, std::vector<std::string>& out) {
  if (started_) return;
  started_ = true;
  event ev("RUN_STARTED");
  ev.field("threadId", thread_id_).field("runId", run_id_);
  ev.writer().Key("metadata");
  ev.writer().StartObject();
  ev.field("agentwire_run_id", e.run->run_id);
  ev.writer().EndObject();
  out.push_back(ev.done());
  if (!snapshot_.empty()) {
    // Our own JSON (agui_snapshot_messages), checked once before it is sent.
    rapidjson::Document messages;
    messages.Parse<kParseFlags>(snapshot_.data(), snapshot_.size());
    if (!messages.HasParseError() && messages.IsArray())
      out.push_back(event("MESSAGES_SNAPSHOT").value("messages", messages).done());
    snapshot_.clear();
  }
}

void agui_bridge::thinking(const protocol::thinking_event& t, std::vector<std::string>& out) {
  std::string_view stage = protocol::to_string(t.stage);
  if (stage != open_step_) {
    close_reasoning(out);
    close_step(out);
    open_step_ = stage;
    out.push_back(event("STEP_STARTED").field("stepName", open_step_).done());
  }
  if (!t.partial) close_reasoning(out);
  if (open_reasoning_.empty()) {
    open_reasoning_ = next_id("reasoning");
    out.push_back(event("REASONING_START").field("messageId", open_reasoning_).done());
    out.push_back(event("REASONING_MESSAGE_START")
                      .field("messageId", open_reasoning_)
                      .field("role", "reasoning")
                      .done());
  }
  out.push_back(event("REASONING_MESSAGE_CONTENT")
                    .field("messageId", open_reasoning_)
                    .field("delta", t.thought)
                    .done());
  if (!t.partial) close_reasoning(out);
}

void agui_bridge::tool_executing(const protocol::tool_executing_event& t,
                                 std::vector<std::string>& out) {
  const std::string& id = t.tool_call_id;
  if (id.empty() || !tool_calls_.insert(id).second) return;
  out.push_back(
      event("TOOL_CALL_START").field("toolCallId", id).field("toolCallName", t.tool).done());
  out.push_back(event("TOOL_CALL_ARGS")
                    .field("toolCallId", id)
                    .field("delta", t.args_json.empty() ? "{}" : t.args_json)
                    .done());
  out.push_back(event("TOOL_CALL_END").field("toolCallId", id).done());
}

void agui_bridge::tool_completed(const protocol::tool_completed_event& t,
                                 std::vector<std::string>& out) {
  const std::string& id = t.tool_call_id;
  if (tool_calls_.erase(id) == 0) return;  // never started here, or answered already
  out.push_back(event("TOOL_CALL_RESULT")
                    .field("messageId", next_id("result"))
                    .field("toolCallId", id)
                    .field("content", tool_result_content(t))
                    .field("role", "tool")
                    .done());
}

void agui_bridge::completed(const protocol::completed_event& c, std::vector<std::string>& out) {
  using protocol::run_status;
  close_step(out);
  ended_ = run_over_ = true;
  if (c.status == run_status::error || c.status == run_status::timeout) {
    out.push_back(
        run_error(protocol::to_string(c.code), c.message.empty() ? "the run failed" : c.message));
    return;
  }
  event finished("RUN_FINISHED");
  finished.field("threadId", thread_id_).field("runId", run_id_);
  auto& fw = finished.writer();
  if (c.status == run_status::cancelled) {
    fw.Key("outcome");
    fw.StartObject();
    finished.field("type", "cancelled");
    fw.EndObject();
    out.push_back(finished.done());
    return;
  }
  static const protocol::run_result kEmpty;
  const protocol::run_result& r = c.result ? *c.result : kEmpty;
  std::vector<std::string_view> insights(r.insights.begin(), r.insights.end());
  if (auto pieces = answer_text(r.narrative, insights); !pieces.empty()) {
    std::string id = next_id("answer");
    out.push_back(
        event("TEXT_MESSAGE_START").field("messageId", id).field("role", "assistant").done());
    for (const auto& p : pieces)
      out.push_back(event("TEXT_MESSAGE_CONTENT").field("messageId", id).field("delta", p).done());
    out.push_back(event("TEXT_MESSAGE_END").field("messageId", id).done());
  }
  // Everything of the response but the inline image (GET chart_url serves it).
  event chart("CUSTOM");
  chart.field("name", "agentwire.chart");
  chart.writer().Key("value");
  protocol::write_result_summary(chart.writer(), r);
  out.push_back(chart.done());

  fw.Key("result");
  fw.StartObject();
  finished.field("chart_url", r.chart_url)
      .field("chart_type", protocol::to_string(r.metadata.type))
      .field("title", r.metadata.title);
  fw.EndObject();
  fw.Key("outcome");
  fw.StartObject();
  finished.field("type", "success");
  fw.EndObject();
  out.push_back(finished.done());
}

std::vector<std::string> agui_bridge::abort(std::string_view code, std::string_view message) {
  std::vector<std::string> out;
  if (ended_) return out;
  ended_ = true;
  out.push_back(run_error(code, message));
  return out;
}

std::string agui_snapshot_messages(const std::vector<store::message_record>& past,
                                   std::string_view current_id, std::string_view current_content) {
  rapidjson::StringBuffer buffer;
  json_writer w(buffer);
  auto message = [&](std::string_view id, const char* role, std::string_view content) {
    w.StartObject();
    w.Key("id");
    put(w, id);
    w.Key("role");
    w.String(role);
    w.Key("content");
    put(w, content);
    w.EndObject();
  };
  w.StartArray();
  for (const auto& row : past) {
    rapidjson::Document request;
    request.Parse<kParseFlags>(row.request_json.data(), row.request_json.size());
    std::string_view asked =
        request.HasParseError() ? std::string_view() : text(request, "content");
    if (!asked.empty()) message(row.run_id + "-user", "user", asked);
    if (row.status != "success") continue;
    rapidjson::Document data;
    data.Parse<kParseFlags>(row.response_json.data(), row.response_json.size());
    if (data.HasParseError()) continue;
    const Value* response = member(data, "response");
    if (response == nullptr) continue;
    std::string answer;
    for (const auto& piece : answer_text(*response)) answer += piece;
    if (!answer.empty()) message(row.run_id + "-answer", "assistant", answer);
  }
  message(current_id, "user", current_content);
  w.EndArray();
  return {buffer.GetString(), buffer.GetSize()};
}

std::string agui_run_error(std::string_view code, std::string_view message) {
  return run_error(code, message);
}

std::string legacy_event(std::string_view ev) {
  if (ev.rfind(R"({"type":"RUN_FINISHED")", 0) != 0) return "";
  if (ev.find(R"("outcome":{"type":"cancelled"})") == std::string_view::npos) return "";
  return run_error("CANCELLED", "the run was cancelled");
}

std::string sse_data(std::string_view json) {
  std::string s;
  s.reserve(json.size() + 8);
  s += "data: ";
  s += json;
  s += "\n\n";
  return s;
}

}  // namespace aw::gateway
