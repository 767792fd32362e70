// How the messages between a gateway and its cluster nodes are serialised by
// CAF's remote layer: one inspect overload per type that crosses nodes. They
// live beside the types' namespaces (ADL) but here, so protocol/, analytics/
// and render/ stay free of CAF.
#pragma once

#include <optional>

#include <caf/error.hpp>
#include <caf/meta/load_callback.hpp>
#include <caf/meta/type_name.hpp>
#include <caf/none.hpp>

#include "analytics/builtin_llm.hpp"
#include "analytics/planner.hpp"
#include "protocol/chart_data.hpp"
#include "protocol/client_messages.hpp"
#include "render/chart_spec.hpp"
#include "render/renderer.hpp"

namespace aw::actors {

// CAF 0.17 knows no std::optional: it travels as a flag and a value.
template <class T>
struct optional_field {
  std::optional<T>& ref;
};

template <class T>
optional_field<T> optional_of(std::optional<T>& x) {
  return {x};
}

template <class Inspector, class T>
typename Inspector::result_type inspect(Inspector& f, optional_field<T>& x) {
  bool present = x.ref.has_value();
  T value = present ? *x.ref : T{};
  auto store = caf::meta::load_callback([&]() -> caf::error {
    if (present)
      x.ref = std::move(value);
    else
      x.ref.reset();
    return caf::none;
  });
  return f(present, value, store);
}

}  // namespace aw::actors

namespace aw::protocol {

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, named_series& x) {
  return f(caf::meta::type_name("named_series"), x.name, x.values);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, point& x) {
  auto size = actors::optional_of(x.size);
  return f(caf::meta::type_name("point"), x.x, x.y, size);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, candle& x) {
  return f(caf::meta::type_name("candle"), x.label, x.open, x.high, x.low, x.close);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, chart_data& x) {
  return f(caf::meta::type_name("chart_data"), x.labels, x.values, x.series, x.points, x.candles,
           x.matrix, x.row_labels, x.column_labels, x.groups);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, statistics& x) {
  auto growth = actors::optional_of(x.growth_pct);
  return f(caf::meta::type_name("statistics"), x.count, x.sum, x.mean, x.median, x.min, x.max,
           x.std_dev, growth);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, theme_choice& x) {
  return f(caf::meta::type_name("theme_choice"), x.name, x.primary, x.secondary, x.tertiary);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, analytics_payload& x) {
  auto title = actors::optional_of(x.title);
  auto data = actors::optional_of(x.data);
  auto preference = actors::optional_of(x.chart_preference);
  return f(caf::meta::type_name("analytics_payload"), x.content, title, data, x.use_synthetic_data,
           preference, x.theme, x.enhance_labels, x.format, x.width, x.height,
           x.conversation_context);
}

// Local only (gateway -> session), but every message type needs one.
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, analytics_request& x) {
  return f(caf::meta::type_name("analytics_request"), x.message_id, x.correlation_id,
           x.conversation_id, x.payload);
}

}  // namespace aw::protocol

namespace aw::analytics {

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, chart_plan& x) {
  return f(caf::meta::type_name("chart_plan"), x.type, x.type_from_user, x.reasoning, x.steps);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, generation& x) {
  return f(caf::meta::type_name("generation"), x.title, x.x_label, x.y_label, x.data, x.synthetic,
           x.stats, x.series_stats, x.insights, x.narrative, x.thoughts, x.provider, x.model,
           x.tokens_in, x.tokens_out, x.tokens_estimated, x.attempts, x.llm_ms, x.fallback_reason,
           x.chart_type, x.decided_by);
}

}  // namespace aw::analytics

namespace aw::render {

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, data_series& x) {
  return f(caf::meta::type_name("data_series"), x.name, x.values);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, xy_point& x) {
  auto size = actors::optional_of(x.size);
  return f(caf::meta::type_name("xy_point"), x.x, x.y, size);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, ohlc& x) {
  return f(caf::meta::type_name("ohlc"), x.label, x.open, x.high, x.low, x.close);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, plot_data& x) {
  return f(caf::meta::type_name("plot_data"), x.labels, x.values, x.series, x.points, x.candles,
           x.matrix, x.row_labels, x.column_labels, x.groups);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, palette& x) {
  return f(caf::meta::type_name("palette"), x.background, x.foreground, x.grid, x.axis, x.series,
           x.positive, x.negative, x.show_grid, x.dark);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, chart_spec& x) {
  return f(caf::meta::type_name("chart_spec"), x.kind, x.title, x.x_label, x.y_label, x.data,
           x.colours, x.format, x.width, x.height);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, render_output& x) {
  return f(caf::meta::type_name("render_output"), x.ok, x.bytes, x.error, x.duration_ms);
}

}  // namespace aw::render
