// The AG-UI bridge: turns the typed run events (protocol/run_event.hpp) and
// errors a user's session sends to one POST /agui stream into AG-UI events
// (@ag-ui/core 1.0), in an order the AG-UI client's verifier accepts. This is
// AG-UI's encoder: it maps values, it parses no frame. Pure: no sockets,
// unit-tested directly (tests/unit/gateway/agui_bridge_test.cpp).
//
// | agentwire                           | AG-UI                                                   |
// |-------------------------------------|---------------------------------------------------------|
// | agent_started                       | RUN_STARTED {threadId, runId}                           |
// | agent_thinking, a new stage         | STEP_FINISHED (previous stage), STEP_STARTED {stage}    |
// | agent_thinking                      | REASONING_START, REASONING_MESSAGE_START/CONTENT/END,   |
// |                                     | REASONING_END (one reasoning message per thought)       |
// | agent_thinking partial:true         | one reasoning message left open; each piece a CONTENT   |
// | tool_executing                      | TOOL_CALL_START {toolCallName}, TOOL_CALL_ARGS (args    |
// |                                     | JSON), TOOL_CALL_END (the arguments are complete)       |
// | tool_completed                      | TOOL_CALL_RESULT {content: {tool,status,duration_ms,    |
// |                                     | result} as JSON text}                                   |
// | agent_completed success             | TEXT_MESSAGE_START/CONTENT/END (narrative + insights),  |
// |                                     | CUSTOM "agentwire.chart" {chart_url, data, statistics,  |
// |                                     | insights, metadata}, RUN_FINISHED {result, outcome      |
// |                                     | success}                                                |
// | agent_completed cancelled           | RUN_FINISHED {outcome: cancelled} (1.0); for a client   |
// |                                     | of @ag-ui/core 0.0.x (no such outcome): RUN_ERROR       |
// |                                     | {code CANCELLED}, see legacy_event()                    |
// | agent_completed error / timeout     | RUN_ERROR {message, code}                               |
// | error (TOO_MANY_RUNS, ...)          | RUN_ERROR {message, code}                               |
//
// With set_snapshot(), RUN_STARTED is followed by MESSAGES_SNAPSHOT {messages}
// (the thread's past messages, gateway/agui_snapshot.hpp).
//
// Only events of this stream's own run count: the event's message_id must be
// the stream's token and its correlation_id the runId. Anything else the
// session fans out to this connection (the user's other runs) is dropped.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "protocol/errors.hpp"
#include "protocol/run_event.hpp"
#include "store/history_store.hpp"

namespace aw::gateway {

class agui_bridge {
 public:
  agui_bridge(std::string thread_id, std::string run_id, std::string message_token);

  // The AG-UI events (serialised JSON objects) that one of the user's run
  // events becomes.
  std::vector<std::string> on_event(const protocol::run_event& e);
  // ... that an error sent to this stream's connection becomes (a refused
  // request: TOO_MANY_RUNS, ...).
  std::vector<std::string> on_error(const protocol::protocol_error& e);
  // The seq of the agentwire event on_event() last mapped (0: none, or an
  // error): the cursor of its AG-UI events (gateway/agui_resume.hpp).
  std::uint64_t event_seq() const { return event_seq_; }

  // A JSON array of AG-UI messages sent as MESSAGES_SNAPSHOT right after
  // RUN_STARTED. Call before the first event.
  void set_snapshot(std::string messages_json) { snapshot_ = std::move(messages_json); }

  // The stream ends for a reason of the server's own (shutdown, superseded):
  // RUN_ERROR, unless the run already ended.
  std::vector<std::string> abort(std::string_view code, std::string_view message);

  bool started() const { return started_; }
  // RUN_FINISHED or RUN_ERROR was produced: nothing more will be.
  bool ended() const { return ended_; }
  // The run itself ended (agent_completed, or the request was refused), as
  // opposed to abort(): when false at the end of a stream, the run still goes.
  bool run_over() const { return run_over_; }

 private:
  std::string next_id(std::string_view kind);
  void close_reasoning(std::vector<std::string>& out);
  void close_step(std::vector<std::string>& out);
  void started(const protocol::run_event& e, std::vector<std::string>& out);
  void thinking(const protocol::thinking_event& t, std::vector<std::string>& out);
  void tool_executing(const protocol::tool_executing_event& t, std::vector<std::string>& out);
  void tool_completed(const protocol::tool_completed_event& t, std::vector<std::string>& out);
  void completed(const protocol::completed_event& c, std::vector<std::string>& out);

  std::string thread_id_;
  std::string run_id_;
  std::string token_;
  bool started_ = false;
  bool ended_ = false;
  bool run_over_ = false;
  std::string open_step_;
  std::string open_reasoning_;  // a reasoning message streamed from partial thoughts
  std::unordered_set<std::string> tool_calls_;
  unsigned counter_ = 0;
  std::uint64_t event_seq_ = 0;
  std::string snapshot_;
};

// The event a client of @ag-ui/core 0.0.x gets instead of `event`, or "" when
// it takes `event` as it is. 0.0.x knows no RUN_FINISHED outcome "cancelled"
// (its schema rejects the event and the run fails with a parse error), so a
// cancelled run ends with RUN_ERROR {code: CANCELLED} there.
std::string legacy_event(std::string_view event);

// {"type":"RUN_ERROR","message":...,"code":...}
std::string agui_run_error(std::string_view code, std::string_view message);

// The messages of a MESSAGES_SNAPSHOT (a JSON array): each past run of the
// thread (history store rows, oldest first) as its user message
// {id "<run_id>-user"} and, when it succeeded, the assistant's answer
// {id "<run_id>-answer", the narrative and insights}; then the request being
// answered {id current_id}.
std::string agui_snapshot_messages(const std::vector<store::message_record>& past,
                                   std::string_view current_id, std::string_view current_content);

// One SSE message: "data: <json>\n\n".
std::string sse_data(std::string_view json);

}  // namespace aw::gateway
