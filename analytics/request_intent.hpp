// What a request wants to see (intent), and the chart type it names outright,
// read from the normalized words (see request_words.hpp).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "analytics/request_dimensions.hpp"
#include "protocol/chart_types.hpp"

namespace aw::analytics {

enum class intent {
  none,
  share,         // parts of a whole
  composition,   // parts of a whole for each period or category (stacked)
  trend,         // change over time
  comparison,    // several series side by side
  ranking,       // ordered categories
  distribution,  // how values spread
  relationship,  // one measure against another
  pareto,        // ranking with cumulative share
  bridge,        // from one total to another
  funnel,        // stages of a flow
  ohlc,          // open/high/low/close
  matrix,        // two dimensions at once
  profile,       // several dimensions of one or a few things
  steps,         // values that change only at points
  combo,         // bars and a line on two axes
};

// Sentence end for "The request asks about ...": "share of a whole", ...
std::string intent_reason(intent i);

struct intent_facts {
  const std::string& text;  // normalized words joined (request_words.hpp)
  const std::vector<word>& words;
  const std::vector<named_list>& lists;
  time_grain grain;
  bool time_span;  // a span or year range was given
  std::string category;
};

intent read_intent(const intent_facts& f);

// The type the words name ("pie", "as a line", "heat map", "box and whisker"),
// `several` turns "line"/"bar"/"area" into their several-series forms.
std::optional<protocol::chart_type> named_chart(const std::string& text, bool several);

// The request asks for a third measure setting the size of points.
bool asks_for_size(const std::string& text);

}  // namespace aw::analytics
