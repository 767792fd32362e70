// libFuzzer target for the client-frame parser and validator (protocol/parse.hpp)
// and the serialisers that echo what a client sent (protocol/server_messages.hpp).
//
// Every frame must parse to either a validated client_message or a
// protocol_error, without crashing; what parses must respect the limits of
// PROTOCOL.md section 2, and every frame written from it must be valid JSON.
// A violated invariant calls __builtin_trap(), which libFuzzer reports as a
// crash and saves the input as crash-<sha1>.
//
// Built by fuzz/CMakeLists.txt with clang -fsanitize=fuzzer,address,undefined;
// run with fuzz/run.sh.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <rapidjson/document.h>

#include "protocol/chart_types.hpp"
#include "protocol/parse.hpp"
#include "protocol/server_messages.hpp"
#include "protocol/theme.hpp"
#include "encoding/utf8.hpp"

namespace {

using namespace aw::protocol;
using namespace aw::encoding;

constexpr unsigned kReparseFlags =
    rapidjson::kParseValidateEncodingFlag | rapidjson::kParseFullPrecisionFlag;

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "fuzz_parse invariant violated: %s\n", what);
  __builtin_trap();
}

#define FUZZ_CHECK(cond)      \
  do {                        \
    if (!(cond)) fail(#cond); \
  } while (0)

// A frame we wrote: valid UTF-8 and one valid JSON object.
void parse_written(const std::string& json, rapidjson::Document* doc) {
  FUZZ_CHECK(is_valid_utf8(json));
  doc->Parse<kReparseFlags>(json.data(), json.size());
  FUZZ_CHECK(!doc->HasParseError());
  FUZZ_CHECK(doc->IsObject());
}

std::string_view str(const rapidjson::Value& v) {
  FUZZ_CHECK(v.IsString());
  return {v.GetString(), v.GetStringLength()};
}

const rapidjson::Value& member(const rapidjson::Value& obj, const char* name) {
  auto it = obj.FindMember(name);
  FUZZ_CHECK(it != obj.MemberEnd());
  return it->value;
}

bool chars_between(std::string_view s, std::size_t lo, std::size_t hi) {
  if (!is_valid_utf8(s)) return false;
  std::size_t n = utf8_length(s);
  return n >= lo && n <= hi;
}

bool all_finite(const std::vector<double>& v) {
  for (double x : v)
    if (!std::isfinite(x)) return false;
  return true;
}

// A finite number we wrote reads back as exactly the same double.
void check_numbers_echo(const std::vector<double>& in, const rapidjson::Value& out) {
  FUZZ_CHECK(out.IsArray());
  FUZZ_CHECK(out.Size() == in.size());
  for (rapidjson::SizeType i = 0; i < out.Size(); ++i) {
    FUZZ_CHECK(out[i].IsNumber());
    FUZZ_CHECK(out[i].GetDouble() == in[i]);
  }
}

void check_strings_echo(const std::vector<std::string>& in, const rapidjson::Value& out) {
  FUZZ_CHECK(out.IsArray());
  FUZZ_CHECK(out.Size() == in.size());
  for (rapidjson::SizeType i = 0; i < out.Size(); ++i) FUZZ_CHECK(str(out[i]) == in[i]);
}

void check_named_echo(const std::vector<named_series>& in, const rapidjson::Value& out) {
  FUZZ_CHECK(out.IsArray());
  FUZZ_CHECK(out.Size() == in.size());
  for (rapidjson::SizeType i = 0; i < out.Size(); ++i) {
    FUZZ_CHECK(str(member(out[i], "name")) == in[i].name);
    check_numbers_echo(in[i].values, member(out[i], "values"));
  }
}

// The limits of PROTOCOL.md 2.1 and chart_data.hpp on validated data.
void check_chart_data(const chart_data& d) {
  FUZZ_CHECK(d.values.empty() || d.series.empty());
  FUZZ_CHECK(d.labels.size() <= max_data_points);
  for (const std::string& l : d.labels) FUZZ_CHECK(chars_between(l, 0, max_label_chars));
  if (!d.values.empty()) FUZZ_CHECK(d.labels.size() == d.values.size());
  FUZZ_CHECK(d.values.size() <= max_data_points);
  FUZZ_CHECK(all_finite(d.values));
  FUZZ_CHECK(d.series.size() <= max_series);
  for (const named_series& s : d.series) {
    FUZZ_CHECK(chars_between(s.name, 0, max_label_chars));
    FUZZ_CHECK(!s.values.empty());
    FUZZ_CHECK(s.values.size() == d.labels.size());
    FUZZ_CHECK(all_finite(s.values));
  }
  FUZZ_CHECK(d.points.size() <= max_data_points);
  for (const point& p : d.points) {
    FUZZ_CHECK(std::isfinite(p.x) && std::isfinite(p.y));
    if (p.size) FUZZ_CHECK(std::isfinite(*p.size) && *p.size > 0);
  }
  FUZZ_CHECK(d.candles.size() <= max_data_points);
  for (const candle& c : d.candles) {
    FUZZ_CHECK(chars_between(c.label, 0, max_label_chars));
    FUZZ_CHECK(std::isfinite(c.open) && std::isfinite(c.high) && std::isfinite(c.low) &&
               std::isfinite(c.close));
    FUZZ_CHECK(c.low <= c.open && c.low <= c.close && c.high >= c.open && c.high >= c.close);
  }
  std::size_t cells = 0;
  for (const std::vector<double>& row : d.matrix) {
    FUZZ_CHECK(!row.empty());
    FUZZ_CHECK(row.size() == d.matrix.front().size());
    FUZZ_CHECK(all_finite(row));
    cells += row.size();
  }
  FUZZ_CHECK(cells <= max_data_points);
  if (!d.row_labels.empty()) FUZZ_CHECK(d.row_labels.size() == d.matrix.size());
  if (!d.column_labels.empty()) {
    FUZZ_CHECK(!d.matrix.empty());
    FUZZ_CHECK(d.column_labels.size() == d.matrix.front().size());
  }
  for (const std::string& l : d.row_labels) FUZZ_CHECK(chars_between(l, 0, max_label_chars));
  for (const std::string& l : d.column_labels) FUZZ_CHECK(chars_between(l, 0, max_label_chars));
  for (const named_series& g : d.groups) {
    FUZZ_CHECK(chars_between(g.name, 0, max_label_chars));
    FUZZ_CHECK(!g.values.empty());
    FUZZ_CHECK(g.values.size() <= max_data_points);
    FUZZ_CHECK(all_finite(g.values));
  }
  // Some shape must be there: PROTOCOL.md 2.1 rejects data with nothing to draw.
  FUZZ_CHECK(!d.values.empty() || !d.series.empty() || !d.points.empty() || !d.candles.empty() ||
             !d.matrix.empty() || !d.groups.empty());
}

// write_chart_data echoes validated data exactly.
void check_chart_data_echo(const chart_data& d) {
  rapidjson::Document doc;
  parse_written(write_chart_data(d), &doc);
  check_strings_echo(d.labels, member(doc, "labels"));
  if (d.has_series()) {
    check_named_echo(d.series, member(doc, "series"));
  } else {
    check_numbers_echo(d.values, member(doc, "values"));
  }
  if (!d.points.empty()) {
    const rapidjson::Value& pts = member(doc, "points");
    FUZZ_CHECK(pts.IsArray() && pts.Size() == d.points.size());
    for (rapidjson::SizeType i = 0; i < pts.Size(); ++i) {
      FUZZ_CHECK(member(pts[i], "x").GetDouble() == d.points[i].x);
      FUZZ_CHECK(member(pts[i], "y").GetDouble() == d.points[i].y);
      if (d.points[i].size) FUZZ_CHECK(member(pts[i], "size").GetDouble() == *d.points[i].size);
    }
  }
  if (!d.candles.empty()) {
    const rapidjson::Value& c = member(doc, "ohlc");
    FUZZ_CHECK(c.IsArray() && c.Size() == d.candles.size());
    for (rapidjson::SizeType i = 0; i < c.Size(); ++i) {
      FUZZ_CHECK(str(member(c[i], "label")) == d.candles[i].label);
      FUZZ_CHECK(member(c[i], "open").GetDouble() == d.candles[i].open);
      FUZZ_CHECK(member(c[i], "high").GetDouble() == d.candles[i].high);
      FUZZ_CHECK(member(c[i], "low").GetDouble() == d.candles[i].low);
      FUZZ_CHECK(member(c[i], "close").GetDouble() == d.candles[i].close);
    }
  }
  if (!d.matrix.empty()) {
    const rapidjson::Value& m = member(doc, "matrix");
    FUZZ_CHECK(m.IsArray() && m.Size() == d.matrix.size());
    for (rapidjson::SizeType i = 0; i < m.Size(); ++i) check_numbers_echo(d.matrix[i], m[i]);
  }
  if (!d.row_labels.empty()) check_strings_echo(d.row_labels, member(doc, "rows"));
  if (!d.column_labels.empty()) check_strings_echo(d.column_labels, member(doc, "columns"));
  if (!d.groups.empty()) check_named_echo(d.groups, member(doc, "groups"));
}

// An error frame is valid JSON whatever the frame held. Its message and
// correlation_id may quote invalid text from the frame (a lone surrogate
// escape such as "\udc00" parses to invalid UTF-8), which is written with
// U+FFFD in its place.
void check_error_frame(const protocol_error& e) {
  FUZZ_CHECK(!e.message.empty());
  rapidjson::Document doc;
  parse_written(write_error(e, 1763721000123), &doc);
  FUZZ_CHECK(str(member(doc, "type")) == "error");
  FUZZ_CHECK(str(member(doc, "code")) == to_string(e.code));
  FUZZ_CHECK(str(member(doc, "message")) == to_valid_utf8(e.message));
  if (!e.correlation_id.empty())
    FUZZ_CHECK(str(member(doc, "correlation_id")) == to_valid_utf8(e.correlation_id));
}

void check_analytics_request(const analytics_request& r) {
  const analytics_payload& p = r.payload;
  FUZZ_CHECK(chars_between(r.correlation_id, 1, 256));
  FUZZ_CHECK(chars_between(r.message_id, 0, 256));
  FUZZ_CHECK(r.conversation_id.empty() || is_valid_id(r.conversation_id));
  FUZZ_CHECK(chars_between(p.content, 1, 4000));
  if (p.title) FUZZ_CHECK(chars_between(*p.title, 1, 200));
  FUZZ_CHECK(p.width >= 200 && p.width <= 4000);
  FUZZ_CHECK(p.height >= 200 && p.height <= 4000);
  FUZZ_CHECK(p.format == image_format::png || p.format == image_format::svg);
  if (p.chart_preference) {
    int t = static_cast<int>(*p.chart_preference);
    FUZZ_CHECK(t >= 0 && t < chart_type_count);
    FUZZ_CHECK(parse_chart_type(to_string(*p.chart_preference)) == p.chart_preference);
  }
  if (p.theme.name == "custom") {
    FUZZ_CHECK(is_hex_colour(p.theme.primary) && is_hex_colour(p.theme.secondary) &&
               is_hex_colour(p.theme.tertiary));
  } else {
    FUZZ_CHECK(is_theme_name(p.theme.name));
  }

  // Errors about this request echo its correlation_id.
  protocol_error e;
  e.code = error_code::duplicate_correlation_id;
  e.message = "correlation_id " + r.correlation_id + " is already running";
  e.correlation_id = r.correlation_id;
  check_error_frame(e);

  // The first event of the run carries the request's ids and content.
  event_envelope env;
  env.type = event_type::agent_started;
  env.seq = 1;
  env.event_id = "e-1";
  env.run_id = "r-1";
  env.correlation_id = r.correlation_id;
  env.conversation_id = r.conversation_id;
  env.user_id = "u-1";
  env.message_id = r.message_id;
  env.unix_ms = 1763721000123;
  rapidjson::Document doc;
  parse_written(write_event(env, started_data("analytics", p.content)), &doc);
  FUZZ_CHECK(str(member(doc, "correlation_id")) == r.correlation_id);
  FUZZ_CHECK(str(member(doc, "conversation_id")) == r.conversation_id);
  if (!r.message_id.empty()) FUZZ_CHECK(str(member(doc, "message_id")) == r.message_id);
  FUZZ_CHECK(str(member(member(doc, "data"), "content")) == p.content);

  if (p.data) {
    check_chart_data(*p.data);
    check_chart_data_echo(*p.data);

    // The response of a successful run embeds the data as well.
    std::string image = "\x89PNG";
    run_response resp;
    resp.image = &image;
    resp.data = &*p.data;
    resp.series_stats.resize(p.data->series.size());
    resp.metadata.title = p.title.value_or(p.content);
    resp.metadata.format = p.format;
    resp.metadata.width = p.width;
    resp.metadata.height = p.height;
    if (p.chart_preference) resp.metadata.type = *p.chart_preference;
    rapidjson::Document rdoc;
    parse_written(write_response(resp), &rdoc);
    FUZZ_CHECK(member(member(rdoc, "metadata"), "width").GetInt() == p.width);
    FUZZ_CHECK(member(member(rdoc, "metadata"), "height").GetInt() == p.height);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view frame(reinterpret_cast<const char*>(data), size);
  parse_result result = parse_client_message(frame);

  if (const auto* e = std::get_if<protocol_error>(&result)) {
    check_error_frame(*e);
    return 0;
  }
  const client_message& msg = std::get<client_message>(result);
  if (const auto* r = std::get_if<analytics_request>(&msg)) {
    check_analytics_request(*r);
  } else if (const auto* c = std::get_if<cancel_request>(&msg)) {
    FUZZ_CHECK(chars_between(c->correlation_id, 1, 256));
    protocol_error e;
    e.code = error_code::not_found;
    e.message = "no run with this correlation_id";
    e.correlation_id = c->correlation_id;
    check_error_frame(e);
  } else if (const auto* res = std::get_if<resume_request>(&msg)) {
    FUZZ_CHECK(res->last_seq <= (std::uint64_t{1} << 53));
  } else if (const auto* a = std::get_if<ack_request>(&msg)) {
    FUZZ_CHECK(a->seq <= (std::uint64_t{1} << 53));
  } else if (const auto* au = std::get_if<auth_request>(&msg)) {
    FUZZ_CHECK(!au->token.empty() && au->token.size() <= 4096);
  } else {
    FUZZ_CHECK(std::holds_alternative<ping_request>(msg));
  }
  return 0;
}
