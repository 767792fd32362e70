// The response of a successful run (PROTOCOL.md 3.1) and the chart data echo.
#include "protocol/base64.hpp"
#include "encoding/json_writer.hpp"
#include "protocol/run_event.hpp"
#include "protocol/writers.hpp"
#include "protocol/server_messages.hpp"

namespace aw::protocol {
namespace {

using encoding::write_number;
using encoding::write_string;
using encoding::json_writer;

void write_numbers(json_writer& w, const std::vector<double>& values) {
  w.StartArray();
  for (double v : values) write_number(w, v);
  w.EndArray();
}

void write_strings(json_writer& w, const std::vector<std::string>& values) {
  w.StartArray();
  for (const std::string& s : values) write_string(w, s);
  w.EndArray();
}

void write_named_list(json_writer& w, const std::vector<named_series>& list) {
  w.StartArray();
  for (const named_series& s : list) {
    w.StartObject();
    w.Key("name");
    write_string(w, s.name);
    w.Key("values");
    write_numbers(w, s.values);
    w.EndObject();
  }
  w.EndArray();
}

void write_points(json_writer& w, const std::vector<point>& points) {
  w.StartArray();
  for (const point& p : points) {
    w.StartObject();
    w.Key("x");
    write_number(w, p.x);
    w.Key("y");
    write_number(w, p.y);
    if (p.size) {
      w.Key("size");
      write_number(w, *p.size);
    }
    w.EndObject();
  }
  w.EndArray();
}

void write_candles(json_writer& w, const std::vector<candle>& candles) {
  w.StartArray();
  for (const candle& c : candles) {
    w.StartObject();
    w.Key("label");
    write_string(w, c.label);
    w.Key("open");
    write_number(w, c.open);
    w.Key("high");
    write_number(w, c.high);
    w.Key("low");
    write_number(w, c.low);
    w.Key("close");
    write_number(w, c.close);
    w.EndObject();
  }
  w.EndArray();
}

// The members of the data object, without its braces.
void write_chart_data_members(json_writer& w, const chart_data& d) {
  w.Key("labels");
  write_strings(w, d.labels);
  if (d.has_series()) {
    w.Key("series");
    write_named_list(w, d.series);
  } else {
    w.Key("values");
    write_numbers(w, d.values);
  }
  if (!d.points.empty()) {
    w.Key("points");
    write_points(w, d.points);
  }
  if (!d.candles.empty()) {
    w.Key("ohlc");
    write_candles(w, d.candles);
  }
  if (!d.matrix.empty()) {
    w.Key("matrix");
    w.StartArray();
    for (const std::vector<double>& row : d.matrix) write_numbers(w, row);
    w.EndArray();
  }
  if (!d.row_labels.empty()) {
    w.Key("rows");
    write_strings(w, d.row_labels);
  }
  if (!d.column_labels.empty()) {
    w.Key("columns");
    write_strings(w, d.column_labels);
  }
  if (!d.groups.empty()) {
    w.Key("groups");
    write_named_list(w, d.groups);
  }
}

void write_statistics_members(json_writer& w, const statistics& s) {
  w.Key("count");
  w.Uint64(s.count);
  w.Key("sum");
  write_number(w, s.sum);
  w.Key("mean");
  write_number(w, s.mean);
  w.Key("median");
  write_number(w, s.median);
  w.Key("min");
  write_number(w, s.min);
  w.Key("max");
  write_number(w, s.max);
  w.Key("std_dev");
  write_number(w, s.std_dev);
  w.Key("growth_pct");
  if (s.growth_pct) {
    write_number(w, *s.growth_pct);
  } else {
    w.Null();
  }
}

void write_response_data(json_writer& w, const chart_data& d, const statistics& stats,
                         const std::vector<statistics>& series_stats) {
  w.StartObject();
  write_chart_data_members(w, d);
  w.Key("statistics");
  w.StartObject();
  write_statistics_members(w, stats);
  w.EndObject();
  if (d.has_series()) {
    w.Key("series_statistics");
    w.StartArray();
    for (std::size_t i = 0; i < series_stats.size(); ++i) {
      w.StartObject();
      w.Key("name");
      write_string(w, i < d.series.size() ? d.series[i].name : std::string());
      write_statistics_members(w, series_stats[i]);
      w.EndObject();
    }
    w.EndArray();
  }
  w.EndObject();
}

void write_metadata(json_writer& w, const response_metadata& m) {
  w.StartObject();
  w.Key("chart_type");
  write_string(w, to_string(m.type));
  w.Key("title");
  write_string(w, m.title);
  w.Key("generation_method");
  w.String("gnuplot");
  w.Key("data_source");
  write_string(w, m.data_source);
  w.Key("llm_provider");
  write_string(w, m.llm_provider);
  w.Key("format");
  write_string(w, to_string(m.format));
  w.Key("width");
  w.Int(m.width);
  w.Key("height");
  w.Int(m.height);
  w.Key("generation_time_ms");
  write_number(w, m.generation_time_ms);
  if (!m.refined_from.empty()) {
    w.Key("refined_from");
    write_string(w, m.refined_from);
  }
  w.EndObject();
}

// chart_url to metadata: the response's members after "chart".
void write_result_members(json_writer& w, const response_parts& r) {
  w.Key("chart_url");
  write_string(w, r.chart_url);
  w.Key("data");
  write_response_data(w, r.data, r.stats, r.series_stats);
  w.Key("insights");
  w.StartArray();
  for (const std::string& s : r.insights) write_string(w, s);
  w.EndArray();
  w.Key("narrative");
  write_string(w, r.narrative);
  w.Key("metadata");
  write_metadata(w, r.metadata);
}

}  // namespace

std::string write_chart_data(const chart_data& d) {
  rapidjson::StringBuffer buffer;
  json_writer w(buffer);
  w.StartObject();
  write_chart_data_members(w, d);
  w.EndObject();
  return encoding::take(buffer);
}

void write_response_object(json_writer& w, rapidjson::StringBuffer& buffer,
                           const std::string_view* image, const response_parts& r) {
  w.StartObject();
  w.Key("success");
  w.Bool(true);
  if (image != nullptr) {
    // The image is often megabytes: its base64 goes straight into the buffer
    // instead of through a temporary string and the writer's escaping (base64
    // needs none). RawValue writes the opening quote and prefix; the encoded
    // bytes and the closing quote follow.
    std::size_t encoded = base64_size(image->size());
    w.Key("chart");
    std::string prefix = "\"data:" + std::string(mime_type(r.metadata.format)) + ";base64,";
    w.RawValue(prefix.data(), prefix.size(), rapidjson::kStringType);
    char* out = buffer.Push(encoded + 1);
    base64_encode_into(*image, out);
    out[encoded] = '"';
  }
  write_result_members(w, r);
  w.EndObject();
}

void write_result_summary(json_writer& w, const run_result& r) {
  w.StartObject();
  write_result_members(
      w, {r.chart_url, r.data, r.stats, r.series_stats, r.insights, r.narrative, r.metadata});
  w.EndObject();
}

std::string write_response(const run_response& r) {
  static const chart_data kEmpty;
  std::string_view image = r.image != nullptr ? std::string_view(*r.image) : std::string_view();
  rapidjson::StringBuffer buffer(nullptr, base64_size(image.size()) + 4096);
  json_writer w(buffer);
  write_response_object(w, buffer, &image,
                        {r.chart_url, r.data != nullptr ? *r.data : kEmpty, r.stats, r.series_stats,
                         r.insights, r.narrative, r.metadata});
  return encoding::take(buffer);
}

}  // namespace aw::protocol
