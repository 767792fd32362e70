// A worker's answers are network input to the gateway (issue #17): a node
// with a valid certificate may still be compromised or broken. Each check
// returns "" when the reply is acceptable, else what is wrong with it (for
// the log; the run fails that step with the protocol's error).
#pragma once

#include <cstddef>
#include <string>

#include "analytics/builtin_llm.hpp"
#include "analytics/planner.hpp"
#include "render/chart_spec.hpp"
#include "render/renderer.hpp"

namespace aw::cluster {

// Bounds on what a reply may carry besides the image.
constexpr std::size_t max_reply_text_bytes = 64 << 10;   // narrative, reasoning, one insight
constexpr std::size_t max_reply_short_bytes = 16 << 10;  // title, labels, provider, model, ...
constexpr std::size_t max_reply_list_items = 256;        // insights, thoughts, plan steps
constexpr std::size_t max_render_error_bytes = 4 << 10;  // a failed render's message

// The image is a PNG (signature, then an IHDR of spec.width x spec.height)
// or an SVG (its root <svg> element's width and height are the spec's), in the
// spec's format, non-empty and at most max_bytes; a failed render's message is
// bounded and valid UTF-8; the duration is a finite, non-negative number.
std::string check_render_reply(const render::render_output& out, const render::chart_spec& spec,
                               std::size_t max_bytes);

// The chart type is one of PROTOCOL.md's; texts bounded and valid UTF-8.
std::string check_plan_reply(const analytics::chart_plan& plan);

// Texts bounded and valid UTF-8; data shapes within the protocol's limits
// (protocol/chart_data.hpp), every number finite; counters in range.
std::string check_generation_reply(const analytics::generation& gen);

// Just the image test of check_render_reply: "" when `bytes` is a PNG or SVG
// (per `format`) of width x height.
std::string check_image(const std::string& bytes, render::image_format format, int width,
                        int height);

}  // namespace aw::cluster
