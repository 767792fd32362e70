#include <doctest/doctest.h>

#include <string>

#include "llm/prose_filter.hpp"

using aw::llm::prose_filter;

namespace {

const std::string answer =
    "{\"reasoning\": \"Quarters compared, so bars.\", \"narrative\": \"Revenue rose "
    "\\\"fast\\\" \\u2014 up 35.6%.\", \"title\": \"Revenue\", \"chart_type\": "
    "\"bar_chart_vertical\","
    " \"labels\": [\"Q1\", \"Q2\"], \"values\": [1, 2], \"insights\": [\"narrative\"]}";
const std::string prose =
    "Quarters compared, so bars.\n\nRevenue rose \"fast\" \xE2\x80\x94 up 35.6%.";

std::string fed_in_pieces(const std::string& text, std::size_t size) {
  prose_filter f;
  std::string out;
  for (std::size_t i = 0; i < text.size(); i += size) out += f.feed(text.substr(i, size));
  return out;
}

}  // namespace

TEST_CASE("prose filter passes reasoning and narrative, never the structure") {
  // Every piece size, down to one byte (pieces end inside escapes and \u sequences).
  for (std::size_t size : {1, 2, 3, 5, 7, 64, 10000}) {
    CAPTURE(size);
    std::string out = fed_in_pieces(answer, size);
    CHECK(out == prose);
    CHECK(out.find('{') == std::string::npos);
    CHECK(out.find("chart_type") == std::string::npos);
    CHECK(out.find("Q1") == std::string::npos);
  }
}

TEST_CASE("prose filter: nested keys, text that is not JSON, fences and the cap") {
  // A "narrative" key inside a nested object is structure, not prose.
  CHECK(fed_in_pieces("{\"data\": {\"narrative\": \"no\"}, \"narrative\": \"yes\"}", 4) == "yes");
  CHECK(fed_in_pieces("Sure! Here is your chart: {title: revenue, values: [1, 2,", 5).empty());
  CHECK(fed_in_pieces("```json\n{\"narrative\": \"fenced\"}\n```", 3) == "fenced");
  prose_filter capped(10);
  CHECK(capped.feed("{\"narrative\": \"" + std::string(100, 'a') + "\"}") == std::string(10, 'a'));
  // A surrogate pair decodes to one code point.
  CHECK(fed_in_pieces("{\"narrative\": \"\\ud83d\\ude00\"}", 1) == "\xF0\x9F\x98\x80");
}
