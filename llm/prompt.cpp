#include "llm/prompt.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>

#include "encoding/json_writer.hpp"

namespace aw::llm {
namespace {

constexpr std::size_t max_prompt_points = 60;  // user data quoted in the prompt

const char* system_prompt =
    "You are a data analyst who prepares charts. You decide which chart shows the request "
    "best. Answer with exactly one JSON object and nothing else. Write its fields in this "
    "order, the first two are shown to the user word by word as you write them: "
    "\"reasoning\" (one or two plain sentences: what the request asks and which chart shows "
    "it), \"narrative\" (2 or 3 sentences about what the chart shows, quoting the numbers), "
    "then \"chart_type\" (your decision, exactly one of the 23 names below), \"measures\" "
    "(array of the measure names), \"dimensions\" (array of the dimension names), \"title\" "
    "(string, at most 80 characters), \"x_label\" and \"y_label\" (short strings), "
    "\"labels\" (array of 3 to 24 strings), either \"values\" (array of numbers, one per "
    "label) or \"series\" (array of {\"name\": string, \"values\": numbers, one per label}), "
    "\"insights\" (3 to 5 short sentences quoting the numbers). Numbers must be plain finite "
    "JSON numbers.\n"
    "Chart types:\n"
    "bar_chart_vertical: one measure across a few categories or periods\n"
    "bar_chart_horizontal: a ranking, or many categories with long names\n"
    "bar_chart_grouped: two or more series side by side for each category\n"
    "bar_chart_stacked: parts of a total for each category or period\n"
    "line_chart: one measure changing over time\n"
    "line_chart_multi: several series changing over time\n"
    "area_chart: a volume over time\n"
    "area_chart_stacked: how parts of a total change over time\n"
    "pie_chart: the share of each part in one whole (few parts)\n"
    "donut_chart: a pie with a hole, the same use\n"
    "scatter_plot: the relationship between two measures\n"
    "bubble_chart: two measures plus a third as bubble size\n"
    "histogram: how the values of one measure are distributed\n"
    "box_plot: distributions compared across groups (median, quartiles, outliers)\n"
    "violin_plot: distribution shapes compared across groups\n"
    "heatmap: one measure across two dimensions at once\n"
    "radar_chart: a profile across several qualities, for one or a few things\n"
    "waterfall_chart: the steps from one total to another (a bridge)\n"
    "funnel_chart: how many make it through each stage of a flow\n"
    "step_chart: a value that changes only at certain points\n"
    "candlestick_chart: open, high, low and close prices per period\n"
    "combo_bar_line: one measure as bars and another as a line on a second axis\n"
    "pareto_chart: causes ranked with their cumulative share of the total\n";

std::string user_prompt(const protocol::analytics_payload& p, protocol::chart_type type) {
  std::string out;
  if (!p.conversation_context.empty())  // bounded by the session (conversation_memory)
    out += "Earlier in this conversation (oldest first):\n" + p.conversation_context +
           "The request below may refer to the last chart: then edit that chart.\n";
  out += "Request: " + p.content + "\n";
  if (p.chart_preference)
    out +=
        "The user chose the chart type " + std::string(protocol::to_string(type)) + ": use it.\n";
  else
    out += "The built-in planner suggests " + std::string(protocol::to_string(type)) +
           " (a hint: decide yourself).\n";
  if (!p.data) {
    out += "Invent plausible sample data for the request.\n";
    return out;
  }
  out += "Data shape: labels (" + std::to_string(p.data->labels.size()) + ")" +
         (p.data->series.empty() ? std::string(" with one value each")
                                 : " with " + std::to_string(p.data->series.size()) + " series") +
         (p.data->points.empty() ? "" : ", points") + (p.data->candles.empty() ? "" : ", ohlc") +
         (p.data->matrix.empty() ? "" : ", matrix") + (p.data->groups.empty() ? "" : ", samples") +
         ".\n";
  out +=
      "The user supplied the data below. Do not change it: return it as given and write "
      "only the title, axis labels, insights and narrative about it.\nlabels:";
  const auto& d = p.data;
  for (std::size_t i = 0; i < d->labels.size() && i < max_prompt_points; ++i)
    out += (i ? ", " : " ") + d->labels[i];
  if (!d->values.empty()) {
    out += "\nvalues:";
    for (std::size_t i = 0; i < d->values.size() && i < max_prompt_points; ++i)
      out += (i ? ", " : " ") + std::to_string(d->values[i]);
  }
  for (std::size_t s = 0; s < d->series.size() && s < 10; ++s) {
    out += "\nseries " + d->series[s].name + ":";
    for (std::size_t i = 0; i < d->series[s].values.size() && i < max_prompt_points; ++i)
      out += (i ? ", " : " ") + std::to_string(d->series[s].values[i]);
  }
  return out + "\n";
}

}  // namespace

std::string request_body(const std::string& model, const protocol::analytics_payload& payload,
                         protocol::chart_type type) {
  rapidjson::StringBuffer buf;
  encoding::json_writer w(buf);
  w.StartObject();
  w.Key("model");
  encoding::write_string(w, model);
  w.Key("stream");
  w.Bool(true);
  w.Key("stream_options");
  w.StartObject();
  w.Key("include_usage");
  w.Bool(true);
  w.EndObject();
  w.Key("temperature");
  w.Double(0.2);
  w.Key("response_format");
  w.StartObject();
  w.Key("type");
  w.String("json_object");
  w.EndObject();
  w.Key("messages");
  w.StartArray();
  w.StartObject();
  w.Key("role");
  w.String("system");
  w.Key("content");
  encoding::write_string(w, system_prompt);
  w.EndObject();
  w.StartObject();
  w.Key("role");
  w.String("user");
  w.Key("content");
  encoding::write_string(w, user_prompt(payload, type));
  w.EndObject();
  w.EndArray();
  w.EndObject();
  return encoding::take(buf);
}

std::optional<stream_chunk> parse_chunk(std::string_view data) {
  rapidjson::Document doc;
  doc.Parse(data.data(), data.size());
  if (doc.HasParseError() || !doc.IsObject()) return std::nullopt;
  stream_chunk c;
  auto choices = doc.FindMember("choices");
  if (choices != doc.MemberEnd() && choices->value.IsArray() && !choices->value.Empty()) {
    const auto& first = choices->value[0];
    if (first.IsObject()) {
      auto delta = first.FindMember("delta");
      if (delta != first.MemberEnd() && delta->value.IsObject()) {
        auto content = delta->value.FindMember("content");
        if (content != delta->value.MemberEnd() && content->value.IsString())
          c.content.assign(content->value.GetString(), content->value.GetStringLength());
      }
      auto reason = first.FindMember("finish_reason");
      c.finished = reason != first.MemberEnd() && reason->value.IsString();
    }
  }
  auto usage = doc.FindMember("usage");
  if (usage != doc.MemberEnd() && usage->value.IsObject()) {
    const auto& u = usage->value;
    if (u.HasMember("prompt_tokens") && u["prompt_tokens"].IsInt())
      c.prompt_tokens = u["prompt_tokens"].GetInt();
    if (u.HasMember("completion_tokens") && u["completion_tokens"].IsInt())
      c.completion_tokens = u["completion_tokens"].GetInt();
  }
  return c;
}

int estimate_tokens(std::size_t bytes) {
  return static_cast<int>((bytes + 3) / 4);
}

}  // namespace aw::llm
