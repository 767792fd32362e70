#include "gateway/agui_bridge.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace aw::gateway {
namespace {

using rapidjson::Value;
using json_writer = rapidjson::Writer<rapidjson::StringBuffer>;

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
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

std::string to_json(const Value& v) {
  rapidjson::StringBuffer buffer;
  json_writer w(buffer);
  v.Accept(w);
  return {buffer.GetString(), buffer.GetSize()};
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
std::vector<std::string> answer_text(const Value& response) {
  std::vector<std::string> pieces;
  if (std::string_view narrative = text(response, "narrative"); !narrative.empty())
    pieces.emplace_back(narrative);
  if (const Value* insights = member(response, "insights"); insights && insights->IsArray()) {
    std::string list;
    for (const auto& i : insights->GetArray()) {
      if (!i.IsString()) continue;
      list += list.empty() && pieces.empty() ? "- " : "\n- ";
      list.append(i.GetString(), i.GetStringLength());
    }
    if (!list.empty()) pieces.push_back(pieces.empty() ? list : "\n" + list);
  }
  return pieces;
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

std::vector<std::string> agui_bridge::on_frame(std::string_view frame) {
  std::vector<std::string> out;
  frame_seq_ = 0;
  if (ended_) return out;
  // The user's other runs reach this connection too: skip them before parsing
  // (an event of ours carries the token; protocol::write_error starts so).
  if (frame.find(token_) == std::string_view::npos && frame.rfind(R"({"type":"error")", 0) != 0)
    return out;
  rapidjson::Document doc;
  doc.Parse<kParseFlags>(frame.data(), frame.size());
  if (doc.HasParseError() || !doc.IsObject()) return out;
  std::string_view type = text(doc, "type");
  std::string_view correlation = text(doc, "correlation_id");

  // Error frames go only to the connection whose request caused them.
  if (type == "error") {
    if (!correlation.empty() && correlation != run_id_) return out;
    ended_ = run_over_ = true;
    out.push_back(run_error(text(doc, "code"), text(doc, "message")));
    return out;
  }
  if (text(doc, "message_id") != token_ || correlation != run_id_) return out;
  if (const Value* seq = member(doc, "seq"); seq != nullptr && seq->IsUint64())
    frame_seq_ = seq->GetUint64();
  static const Value empty(rapidjson::kObjectType);
  const Value* found = member(doc, "data");
  const Value& data = found != nullptr && found->IsObject() ? *found : empty;

  if (type == "agent_started") {
    if (started_) return out;
    started_ = true;
    event e("RUN_STARTED");
    e.field("threadId", thread_id_).field("runId", run_id_);
    e.writer().Key("metadata");
    e.writer().StartObject();
    e.field("agentwire_run_id", text(doc, "run_id"));
    e.writer().EndObject();
    out.push_back(e.done());
    if (!snapshot_.empty()) {
      rapidjson::Document messages;
      messages.Parse<kParseFlags>(snapshot_.data(), snapshot_.size());
      if (!messages.HasParseError() && messages.IsArray())
        out.push_back(event("MESSAGES_SNAPSHOT").value("messages", messages).done());
      snapshot_.clear();
    }
    return out;
  }
  if (!started_) return out;  // agent_started always comes first; be safe anyway

  if (type == "agent_thinking") {
    std::string_view stage = text(data, "stage");
    if (!stage.empty() && stage != open_step_) {
      close_reasoning(out);
      close_step(out);
      open_step_ = stage;
      out.push_back(event("STEP_STARTED").field("stepName", open_step_).done());
    }
    const Value* partial = member(data, "partial");
    bool is_partial = partial != nullptr && partial->IsBool() && partial->GetBool();
    if (!is_partial) close_reasoning(out);
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
                      .field("delta", text(data, "thought"))
                      .done());
    if (!is_partial) close_reasoning(out);
    return out;
  }

  close_reasoning(out);
  if (type == "tool_executing") {
    std::string id(text(data, "tool_call_id"));
    if (id.empty() || !tool_calls_.insert(id).second) return out;
    const Value* args = member(data, "args");
    out.push_back(event("TOOL_CALL_START")
                      .field("toolCallId", id)
                      .field("toolCallName", text(data, "tool"))
                      .done());
    out.push_back(event("TOOL_CALL_ARGS")
                      .field("toolCallId", id)
                      .field("delta", args != nullptr ? to_json(*args) : "{}")
                      .done());
    out.push_back(event("TOOL_CALL_END").field("toolCallId", id).done());
    return out;
  }
  if (type == "tool_completed") {
    std::string id(text(data, "tool_call_id"));
    if (tool_calls_.erase(id) == 0) return out;  // never started here, or answered already
    rapidjson::Document content(rapidjson::kObjectType);
    auto& a = content.GetAllocator();
    for (const char* key : {"tool", "status", "duration_ms", "result"})
      if (const Value* v = member(data, key)) content.AddMember(Value(key, a), Value(*v, a), a);
    out.push_back(event("TOOL_CALL_RESULT")
                      .field("messageId", next_id("result"))
                      .field("toolCallId", id)
                      .field("content", to_json(content))
                      .field("role", "tool")
                      .done());
    return out;
  }
  if (type != "agent_completed") return out;

  close_step(out);
  ended_ = run_over_ = true;
  std::string_view status = text(data, "status");
  if (status == "error" || status == "timeout" || status.empty()) {
    const Value* error = member(data, "error");
    std::string_view code = error ? text(*error, "code") : std::string_view();
    std::string_view message = error ? text(*error, "message") : std::string_view();
    out.push_back(run_error(code.empty() ? "GENERATION_FAILED" : code,
                            message.empty() ? "the run failed" : message));
    return out;
  }
  event finished("RUN_FINISHED");
  finished.field("threadId", thread_id_).field("runId", run_id_);
  auto& fw = finished.writer();
  if (status == "cancelled") {
    fw.Key("outcome");
    fw.StartObject();
    finished.field("type", "cancelled");
    fw.EndObject();
    out.push_back(finished.done());
    return out;
  }
  const Value* found_response = member(data, "response");
  const Value& response = found_response ? *found_response : empty;
  const Value* metadata = member(response, "metadata");
  const Value& meta = metadata ? *metadata : empty;
  if (auto pieces = answer_text(response); !pieces.empty()) {
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
  auto& cw = chart.writer();
  cw.Key("value");
  cw.StartObject();
  chart.field("chart_url", text(response, "chart_url"));
  for (const char* key : {"data", "insights", "narrative", "metadata"})
    if (const Value* v = member(response, key)) chart.value(key, *v);
  cw.EndObject();
  out.push_back(chart.done());

  fw.Key("result");
  fw.StartObject();
  finished.field("chart_url", text(response, "chart_url"))
      .field("chart_type", text(meta, "chart_type"))
      .field("title", text(meta, "title"));
  fw.EndObject();
  fw.Key("outcome");
  fw.StartObject();
  finished.field("type", "success");
  fw.EndObject();
  out.push_back(finished.done());
  return out;
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
