// Event frames as the durable log holds them, for the durable-log tests.
#pragma once

#include <cstdint>
#include <string>

#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include "protocol/server_messages.hpp"

namespace aw::actors::test {

inline std::string event(const std::string& user, std::uint64_t seq, protocol::event_type type,
                         const std::string& run, const std::string& data) {
  const std::string event_id = "evt-" + std::to_string(seq);  // the envelope holds views
  const std::string correlation_id = "c-" + run;
  protocol::event_envelope env;
  env.type = type;
  env.seq = seq;
  env.event_id = event_id;
  env.run_id = run;
  env.correlation_id = correlation_id;
  env.conversation_id = "conv";
  env.user_id = user;
  env.unix_ms = 1000 + static_cast<std::int64_t>(seq);
  return protocol::write_event(env, data);
}

inline rapidjson::Document parse(const std::string& s) {
  rapidjson::Document d;
  d.Parse(s.c_str());
  REQUIRE(d.IsObject());
  return d;
}

}  // namespace aw::actors::test
