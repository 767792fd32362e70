// AG-UI RunAgentInput (POST /agui body) -> the analytics_request it asks for.
// Pure functions, unit-tested directly (tests/unit/gateway/agui_input_test.cpp).
//
//   threadId                    -> conversation_id (and the session_id of the stream)
//   runId                       -> correlation_id
//   last message of role "user" -> payload.content (text parts joined by newlines)
//   forwardedProps.{title, data, use_synthetic_data, chart_preference, theme,
//                   enhance_labels, format, width, height} -> payload.*
//   forwardedProps.user_id      -> the user, when the server runs without AUTH_SECRET
//   protocolVersion             -> "1" or "1.x": the client speaks @ag-ui/core 1.x;
//                                  absent or anything else: 0.0.x (legacy_event())
//   state, tools, context       -> accepted and ignored (agentwire's one agent has no
//                                  client-side tools)
//
// The request is then validated by protocol::parse_client_message, exactly like
// a WebSocket frame, so the same limits and error codes apply.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "protocol/client_messages.hpp"

namespace aw::gateway {

struct agui_input {
  std::string thread_id;
  std::string run_id;
  std::string user_id;          // forwardedProps.user_id; "" when absent
  bool protocol_v1 = false;     // protocolVersion 1.x
  std::string user_message_id;  // the id of the last user message ("" when it has none)
  protocol::analytics_request request;
};

struct agui_input_result {
  std::optional<agui_input> ok;
  int status = 0;    // 400: not a RunAgentInput; 422: the request it asks for is invalid
  std::string code;  // INVALID_JSON, VALIDATION_FAILED, UNSUPPORTED_CHART_TYPE, ...
  std::string error;
};

// `message_token` becomes the request's message_id: every event of the run
// carries it, which tells this stream's run apart from any other run of the
// same user (even one with the same correlation_id).
agui_input_result parse_agui_input(std::string_view body, std::string_view message_token);

// protocolVersion "1" or "1.<anything>".
bool is_agui_v1(std::string_view protocol_version);

// The user of a request without a token, user_id or X-User-Id header:
// "agui-" + threadId when that is a valid id, else "agui".
std::string agui_default_user(std::string_view thread_id);

// {"error":"...","code":"..."}
std::string agui_error_json(std::string_view code, std::string_view message);

}  // namespace aw::gateway
