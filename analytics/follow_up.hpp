// Follow-ups in a conversation (issue #16 item 4): does a request refer to the
// conversation's last chart ("as a pie", "only the last 6 months", "add 2023",
// "sort descending", "in dark", "as SVG", "bigger", "call it Sales"), and if
// so, which edits does it ask for? And the edited request that redraws that
// chart. Pure functions: no actors, no I/O, deterministic.
//
// A request refers to the last chart when it is short (at most
// max_follow_up_bytes / max_follow_up_words), asks for at least one edit and,
// once the edit phrases and filler words are taken out, names nothing else
// (or at most one word next to "it"/"this"/"that"/"same"/"instead"):
// "make it a pie" is a follow-up, "Show revenue by region as a pie" starts fresh.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/chart_data.hpp"
#include "protocol/chart_types.hpp"
#include "protocol/client_messages.hpp"

namespace aw::analytics {

constexpr std::size_t max_follow_up_bytes = 300;
constexpr std::size_t max_follow_up_words = 40;

// The chart a follow-up edits: what the last successful run of the
// conversation asked and answered. Only the summary view of its data
// (labels + values | series) is kept.
struct prior_chart {
  std::string run_id;
  std::string content;  // the subject of the request that made it
  std::string title;
  protocol::chart_type type = protocol::chart_type::bar_chart_vertical;
  protocol::chart_data data;
  bool synthetic = true;  // the data was made up, not the user's
  std::string theme = "modern";
  protocol::image_format format = protocol::image_format::png;
  int width = 800;
  int height = 500;
};

// Bytes a prior chart holds (strings + numbers), for the per-user bound.
std::size_t prior_chart_bytes(const prior_chart& c);

// Whether a follow-up can edit it: made-up data (made again when needed), or
// the user's data in the summary view (labels + values | series). A chart of
// the user's points, samples, matrix or candles is not kept.
bool refinable(const prior_chart& c);

enum class edit_kind {
  chart_type,     // type
  keep_last,      // count
  keep_first,     // count
  top,            // count: sort descending, keep the first `count`
  keep_labels,    // names
  drop_labels,    // names (labels or series)
  add_series,     // names[0]
  compare_prior,  // compare with the previous year (or period)
  sort,           // descending; by_label: alphabetical
  theme,          // text: a theme name
  format,         // format
  resize,         // percent (width and height), or width/height when set
  title,          // text
};

struct chart_edit {
  edit_kind kind = edit_kind::chart_type;
  protocol::chart_type type = protocol::chart_type::bar_chart_vertical;
  int count = 0;
  std::vector<std::string> names;
  bool descending = true;
  bool by_label = false;
  std::string text;
  protocol::image_format format = protocol::image_format::png;
  int percent = 100;  // resize: of the width and height
  int width = 0;      // resize: an explicit size ("1200x800"), 0 when not given
  int height = 0;
};

// The edits the request asks of the last chart, in the order written; nullopt
// when it does not refer to the last chart (it starts fresh).
std::optional<std::vector<chart_edit>> parse_follow_up(std::string_view content);

struct refinement {
  protocol::analytics_payload payload;  // the request that redraws the edited chart
  bool synthetic = true;                // its data stays "synthetic" in the metadata
  std::vector<std::string> changes;     // one short phrase per edit: "chart type pie_chart"
  std::string thought;  // "Refining the previous chart (run-1): ..." for agent_thinking
};

// Applies the edits to `prior`. `request` is the follow-up as received: its
// own title and chart_preference win over the prior's. The payload carries
// the prior's (edited) data when the type can draw it, else (synthetic data
// only) the prior's subject with the new type, so that the data is made again.
refinement apply_follow_up(const prior_chart& prior, const std::vector<chart_edit>& edits,
                           const protocol::analytics_payload& request);

}  // namespace aw::analytics
