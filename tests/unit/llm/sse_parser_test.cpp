#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "llm/sse_parser.hpp"

using aw::llm::sse_parser;

namespace {
struct collector {
  std::vector<std::string> events;
  sse_parser parser{[this](const std::string& d) { events.push_back(d); }};
};
}  // namespace

TEST_CASE("sse: data lines, blank-line events and [DONE]") {
  collector c;
  c.parser.feed("data: {\"a\":1}\n\ndata: {\"b\":2}\n\ndata: [DONE]\n\n");
  REQUIRE(c.events.size() == 2);
  CHECK(c.events[0] == "{\"a\":1}");
  CHECK(c.events[1] == "{\"b\":2}");
  CHECK(c.parser.done());
}

TEST_CASE("sse: an event split across reads, byte by byte") {
  collector c;
  std::string stream = "data: {\"content\":\"hello\"}\r\n\r\ndata: [DONE]\r\n\r\n";
  for (char ch : stream) c.parser.feed(std::string(1, ch));
  REQUIRE(c.events.size() == 1);
  CHECK(c.events[0] == "{\"content\":\"hello\"}");
  CHECK(c.parser.done());
}

TEST_CASE("sse: comments and keep-alives are ignored, other fields too") {
  collector c;
  c.parser.feed(": keep-alive\n\n:ping\nevent: message\nid: 7\ndata:x\n\n");
  REQUIRE(c.events.size() == 1);
  CHECK(c.events[0] == "x");  // no space after the colon is fine
}

TEST_CASE("sse: several data lines join with newlines, finish() flushes the last event") {
  collector c;
  c.parser.feed("data: a\ndata: b\n\ndata: tail");
  REQUIRE(c.events.size() == 1);
  CHECK(c.events[0] == "a\nb");
  c.parser.finish();
  REQUIRE(c.events.size() == 2);
  CHECK(c.events[1] == "tail");
}

TEST_CASE("sse: nothing after [DONE] is delivered") {
  collector c;
  c.parser.feed("data: [DONE]\n\ndata: late\n\n");
  CHECK(c.events.empty());
  CHECK(c.parser.done());
}

TEST_CASE("sse_parser: a line or an event over its limit stops the parser") {
  std::vector<std::string> events;
  aw::llm::sse_parser line([&](const std::string& d) { events.push_back(d); }, 16, 64);
  line.feed("data: short\n\n");
  line.feed("data: " + std::string(100, 'x'));
  CHECK(line.overflow());
  line.feed("\n\ndata: after\n\n");  // nothing more is dispatched
  CHECK(events == std::vector<std::string>{"short"});

  aw::llm::sse_parser event([&](const std::string& d) { events.push_back(d); }, 16, 20);
  for (int i = 0; i < 5; ++i) event.feed("data: 0123456\n");  // one event growing past 20 bytes
  CHECK(event.overflow());
}
