// Frames outside runs: connection_ack, pong and errors (PROTOCOL.md 1, 2, 5).
#include "protocol/server_messages.hpp"

#include "encoding/json_writer.hpp"

namespace aw::protocol {

using encoding::take;
using encoding::write_string;

std::string write_connection_ack(const connection_ack& ack) {
  rapidjson::StringBuffer buffer(nullptr, 1024);
  encoding::json_writer w(buffer);
  w.StartObject();
  w.Key("type");
  w.String("connection_ack");
  w.Key("user_id");
  write_string(w, ack.user_id);
  w.Key("session_id");
  write_string(w, ack.session_id);
  w.Key("node");
  write_string(w, ack.node);
  w.Key("version");
  w.String("1");
  w.Key("heartbeat_s");
  w.Int(ack.heartbeat_s);
  w.Key("last_seq");
  w.Uint64(ack.last_seq);
  w.Key("epoch");
  write_string(w, ack.epoch);
  w.Key("capabilities");
  w.StartArray();
  for (const char* c : {"analytics", "resume", "cancel", "llm_stream"}) w.String(c);
  w.EndArray();
  w.Key("chart_types");
  w.StartArray();
  for (chart_type t : all_chart_types()) write_string(w, to_string(t));
  w.EndArray();
  w.EndObject();
  return take(buffer);
}

std::string write_pong(std::int64_t unix_ms) {
  rapidjson::StringBuffer buffer;
  encoding::json_writer w(buffer);
  w.StartObject();
  w.Key("type");
  w.String("pong");
  w.Key("timestamp");
  write_string(w, rfc3339_ms(unix_ms));
  w.EndObject();
  return take(buffer);
}

std::string write_error(const protocol_error& e, std::int64_t unix_ms) {
  rapidjson::StringBuffer buffer;
  encoding::json_writer w(buffer);
  w.StartObject();
  w.Key("type");
  w.String("error");
  if (!e.correlation_id.empty()) {
    w.Key("correlation_id");
    write_string(w, e.correlation_id);
  }
  w.Key("code");
  write_string(w, to_string(e.code));
  w.Key("message");
  write_string(w, e.message);
  w.Key("timestamp");
  write_string(w, rfc3339_ms(unix_ms));
  w.EndObject();
  return take(buffer);
}

std::string write_resume_gap(std::uint64_t oldest_seq, std::string_view epoch,
                             std::string_view message, std::int64_t unix_ms) {
  rapidjson::StringBuffer buffer;
  encoding::json_writer w(buffer);
  w.StartObject();
  w.Key("type");
  w.String("error");
  w.Key("code");
  write_string(w, to_string(error_code::resume_gap));
  w.Key("message");
  write_string(w, message);
  w.Key("oldest_seq");
  w.Uint64(oldest_seq);
  w.Key("epoch");
  write_string(w, epoch);
  w.Key("timestamp");
  write_string(w, rfc3339_ms(unix_ms));
  w.EndObject();
  return take(buffer);
}

}  // namespace aw::protocol
