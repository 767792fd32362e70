// A run's events (PROTOCOL.md section 3) as typed values. They stay values
// from the run to the edge; each transport has its own encoder:
//   - the WebSocket frame: write_frame() here. The durable log stores that
//     frame as sent, so a resume replays the identical bytes;
//   - AG-UI over SSE: gateway/agui_bridge.hpp maps the values;
//   - the history store: write_stored_data() here (the data without the image).
// Nothing parses an event back from JSON.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "encoding/json_writer.hpp"
#include "protocol/server_messages.hpp"

namespace aw::protocol {

// ---- the `data` object of each event type
struct started_event {
  std::string agent;
  std::string content;
};

struct thinking_event {
  thinking_stage stage = thinking_stage::planning;
  std::string thought;
  double progress = 0;
  bool partial = false;
};

// A tool's `args` and `result` are tool-specific JSON objects, serialised once
// by whoever makes them (actors/run_events.hpp); every transport embeds them
// as they are.
struct tool_executing_event {
  std::string tool;
  std::string tool_call_id;
  std::string args_json;
  double progress = 0;
};

struct tool_completed_event {
  std::string tool;
  std::string tool_call_id;
  bool success = true;
  double duration_ms = 0;
  std::string result_json;
};

// A successful run's response (section 3.1), all but the image: the image's
// bytes are encoded into the WebSocket frame only (write_frame's `image`), so
// a held event does not keep them alive, and AG-UI and the history leave them
// out anyway (GET chart_url serves the image).
struct run_result {
  std::string chart_url;
  chart_data data;
  statistics stats;
  std::vector<statistics> series_stats;  // per series, same order as data.series
  std::vector<std::string> insights;
  std::string narrative;
  response_metadata metadata;
};

struct completed_event {
  run_status status = run_status::success;
  double duration_ms = 0;
  std::shared_ptr<const run_result> result;         // success (never null then)
  error_code code = error_code::generation_failed;  // otherwise
  std::string message;
};

// In the order of event_type.
using event_data = std::variant<started_event, thinking_event, tool_executing_event,
                                tool_completed_event, completed_event>;
event_type type_of(const event_data& d);

// What every event of one run carries in its envelope.
struct run_ids {
  std::string run_id;
  std::string correlation_id;
  std::string conversation_id;
  std::string message_id;  // omitted from the envelope when empty
};

// One numbered event. The run's ids and the user id are shared by all the
// events of a run and of a user: numbering an event copies no string of them.
struct run_event {
  std::uint64_t seq = 0;
  std::string event_id;
  std::shared_ptr<const run_ids> run;
  std::shared_ptr<const std::string> user_id;
  std::int64_t unix_ms = 0;
  event_data data;

  event_type type() const { return type_of(data); }
};

// The event's WebSocket frame (section 3 envelope and its data). `image`: the
// raw bytes of a successful run's chart, written as response.chart (a data
// URI); ignored for every other event.
std::string write_frame(const run_event& e, std::string_view image = {});

// The `data` object alone, as in the frame.
std::string write_data(const event_data& d, std::string_view image = {});

// The `data` object as the history store keeps it: as in the frame, without
// response.chart.
std::string write_stored_data(const event_data& d);

// The result as one object, as in the response but for "success" and the
// image: {chart_url, data, insights, narrative, metadata} (AG-UI's
// agentwire.chart value).
void write_result_summary(encoding::json_writer& w, const run_result& r);

}  // namespace aw::protocol
