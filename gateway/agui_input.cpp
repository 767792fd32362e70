#include "gateway/agui_input.hpp"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "protocol/parse.hpp"

namespace aw::gateway {
namespace {

using rapidjson::Value;

// Iterative parsing keeps hostile nesting off the stack (as protocol/ does).
constexpr unsigned kParseFlags =
    rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag;

constexpr const char* kForwardedKeys[] = {
    "title", "data",  "use_synthetic_data", "chart_preference", "theme", "enhance_labels", "format",
    "width", "height"};

agui_input_result fail(int status, std::string code, std::string error) {
  agui_input_result r;
  r.status = status;
  r.code = std::move(code);
  r.error = std::move(error);
  return r;
}

const Value* member(const Value& obj, const char* name) {
  auto it = obj.FindMember(name);
  return it == obj.MemberEnd() || it->value.IsNull() ? nullptr : &it->value;
}

bool is_string(const Value* v) {
  return v != nullptr && v->IsString();
}

std::string str(const Value& v) {
  return {v.GetString(), v.GetStringLength()};
}

// The text of a user message: a string, or the text parts of a content-part array.
bool user_text(const Value& content, std::string* out) {
  if (content.IsString()) {
    *out = str(content);
    return true;
  }
  if (!content.IsArray()) return false;
  for (const auto& part : content.GetArray()) {
    if (!part.IsObject()) return false;
    const Value* type = member(part, "type");
    const Value* text = member(part, "text");
    if (!is_string(type) || str(*type) != "text") continue;  // images etc.: not for this agent
    if (!is_string(text)) return false;
    if (!out->empty()) *out += '\n';
    *out += str(*text);
  }
  return true;
}

// protocol/ names the fields of the WebSocket frame; say which AG-UI field it was.
std::string agui_field_names(std::string message) {
  struct rename {
    std::string_view from, to;
  };
  for (auto [from, to] :
       {rename{"payload.content", "the last user message"}, rename{"payload.", "forwardedProps."},
        rename{"correlation_id", "runId"}, rename{"conversation_id", "threadId"}}) {
    if (message.compare(0, from.size(), from) == 0)
      return std::string(to) + message.substr(from.size());
  }
  return message;
}

}  // namespace

agui_input_result parse_agui_input(std::string_view body, std::string_view message_token) {
  if (body.find('\0') != std::string_view::npos)
    return fail(400, "INVALID_JSON", "the body is not valid JSON (NUL byte)");
  rapidjson::Document in;
  in.Parse<kParseFlags>(body.data(), body.size());
  if (in.HasParseError())
    return fail(400, "INVALID_JSON",
                std::string("the body is not valid JSON: ") +
                    rapidjson::GetParseError_En(in.GetParseError()));
  if (!in.IsObject()) return fail(400, "INVALID_JSON", "the body must be a RunAgentInput object");
  const Value* thread = member(in, "threadId");
  const Value* run = member(in, "runId");
  const Value* messages = member(in, "messages");
  const Value* props = member(in, "forwardedProps");
  if (!is_string(thread)) return fail(400, "VALIDATION_FAILED", "threadId is required (string)");
  if (!is_string(run)) return fail(400, "VALIDATION_FAILED", "runId is required (string)");
  if (messages == nullptr || !messages->IsArray())
    return fail(400, "VALIDATION_FAILED", "messages is required (array)");
  if (props != nullptr && !props->IsObject())
    return fail(400, "VALIDATION_FAILED", "forwardedProps must be an object");

  const Value* last_user = nullptr;
  for (auto it = messages->End(); it != messages->Begin();) {
    --it;
    if (!it->IsObject()) return fail(400, "VALIDATION_FAILED", "messages must hold objects");
    const Value* role = member(*it, "role");
    if (is_string(role) && str(*role) == "user") {
      last_user = &*it;
      break;
    }
  }
  if (last_user == nullptr)
    return fail(422, "VALIDATION_FAILED", "messages has no message of role \"user\" to answer");
  std::string content;
  const Value* user_content = member(*last_user, "content");
  if (user_content == nullptr || !user_text(*user_content, &content))
    return fail(400, "VALIDATION_FAILED",
                "the last user message's content must be a string or an array of content parts");

  agui_input out;
  if (const Value* version = member(in, "protocolVersion"); is_string(version))
    out.protocol_v1 = is_agui_v1(str(*version));
  if (const Value* id = member(*last_user, "id"); is_string(id) && id->GetStringLength() <= 256)
    out.user_message_id = str(*id);
  out.thread_id = str(*thread);
  out.run_id = str(*run);
  if (props != nullptr) {
    if (const Value* user = member(*props, "user_id")) {
      if (!user->IsString() || !protocol::is_valid_id(str(*user)))
        return fail(400, "VALIDATION_FAILED",
                    protocol::invalid_id_message("forwardedProps.user_id"));
      out.user_id = str(*user);
    }
  }

  // The same frame a WebSocket client would send, validated by the same parser.
  rapidjson::Document frame(rapidjson::kObjectType);
  auto& a = frame.GetAllocator();
  Value payload(rapidjson::kObjectType);
  payload.AddMember("content", Value(content.c_str(), content.size(), a), a);
  if (props != nullptr) {
    for (const char* key : kForwardedKeys) {
      auto it = props->FindMember(key);
      if (it != props->MemberEnd()) payload.AddMember(Value(key, a), Value(it->value, a), a);
    }
  }
  frame.AddMember("type", "analytics_request", a);
  frame.AddMember("correlation_id", Value(*run, a), a);
  frame.AddMember("conversation_id", Value(*thread, a), a);
  frame.AddMember("message_id", Value(message_token.data(), message_token.size(), a), a);
  frame.AddMember("payload", payload, a);
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  frame.Accept(w);

  auto parsed = protocol::parse_client_message({buffer.GetString(), buffer.GetSize()});
  if (auto* err = std::get_if<protocol::protocol_error>(&parsed))
    return fail(422, std::string(protocol::to_string(err->code)), agui_field_names(err->message));
  auto* request =
      std::get_if<protocol::analytics_request>(&std::get<protocol::client_message>(parsed));
  if (request == nullptr) return fail(422, "VALIDATION_FAILED", "not an analytics request");
  out.request = std::move(*request);
  agui_input_result r;
  r.ok = std::move(out);
  return r;
}

bool is_agui_v1(std::string_view v) {
  return v == "1" || v.rfind("1.", 0) == 0;
}

std::string agui_default_user(std::string_view thread_id) {
  std::string user = "agui-" + std::string(thread_id);
  return protocol::is_valid_id(user) ? user : "agui";
}

std::string agui_error_json(std::string_view code, std::string_view message) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  w.Key("error");
  w.String(message.data(), static_cast<rapidjson::SizeType>(message.size()));
  w.Key("code");
  w.String(code.data(), static_cast<rapidjson::SizeType>(code.size()));
  w.EndObject();
  return {buffer.GetString(), buffer.GetSize()};
}

}  // namespace aw::gateway
