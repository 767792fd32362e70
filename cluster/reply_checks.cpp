#include "cluster/reply_checks.hpp"

#include <cmath>
#include <cstdint>
#include <string_view>
#include <vector>

#include "encoding/utf8.hpp"
#include "protocol/chart_types.hpp"

namespace aw::cluster {
namespace {

std::uint32_t be32(const std::string& s, std::size_t at) {
  auto b = [&](std::size_t i) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + i]));
  };
  return (b(0) << 24) | (b(1) << 16) | (b(2) << 8) | b(3);
}

std::string check_png(const std::string& bytes, int width, int height) {
  static const char signature[] = "\x89PNG\r\n\x1a\n";
  // signature (8), IHDR length (4) = 13, "IHDR" (4), width (4), height (4), ...
  if (bytes.size() < 8 + 4 + 4 + 13 + 4 || bytes.compare(0, 8, signature, 8) != 0)
    return "not a PNG (no PNG signature)";
  if (be32(bytes, 8) != 13 || bytes.compare(12, 4, "IHDR") != 0)
    return "not a PNG (no IHDR chunk first)";
  auto w = be32(bytes, 16);
  auto h = be32(bytes, 20);
  if (w != static_cast<std::uint32_t>(width) || h != static_cast<std::uint32_t>(height))
    return "a PNG of " + std::to_string(w) + "x" + std::to_string(h) + ", not the " +
           std::to_string(width) + "x" + std::to_string(height) + " asked for";
  return "";
}

bool is_space(char c) {
  return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

// The value of attribute `name` in the attribute text of a start tag, or
// nullopt-like "" with found=false.
bool attribute(std::string_view tag, std::string_view name, std::string& value) {
  std::size_t i = 0;
  while (i < tag.size()) {
    while (i < tag.size() && is_space(tag[i])) ++i;
    std::size_t n = i;
    while (n < tag.size() && !is_space(tag[n]) && tag[n] != '=') ++n;
    auto attr = tag.substr(i, n - i);
    while (n < tag.size() && is_space(tag[n])) ++n;
    if (n >= tag.size() || tag[n] != '=') return false;
    ++n;
    while (n < tag.size() && is_space(tag[n])) ++n;
    if (n >= tag.size() || (tag[n] != '"' && tag[n] != '\'')) return false;
    char quote = tag[n];
    auto end = tag.find(quote, n + 1);
    if (end == std::string_view::npos) return false;
    if (attr == name) {
      value = std::string(tag.substr(n + 1, end - n - 1));
      return true;
    }
    i = end + 1;
  }
  return false;
}

std::string check_svg(const std::string& bytes, int width, int height) {
  std::string_view s(bytes);
  std::size_t i = 0;
  // Prolog: whitespace, <?xml ...?>, comments, <!DOCTYPE ...>.
  for (int items = 0; items < 64; ++items) {
    while (i < s.size() && is_space(s[i])) ++i;
    if (s.compare(i, 4, "<!--") == 0) {
      auto e = s.find("-->", i + 4);
      if (e == std::string_view::npos) return "not an SVG (unterminated comment)";
      i = e + 3;
    } else if (s.compare(i, 2, "<?") == 0 || s.compare(i, 2, "<!") == 0) {
      auto e = s.find('>', i);
      if (e == std::string_view::npos) return "not an SVG (unterminated declaration)";
      i = e + 1;
    } else {
      break;
    }
  }
  if (s.compare(i, 4, "<svg") != 0 || i + 4 >= s.size() || !is_space(s[i + 4]))
    return "not an SVG (the root element is not <svg>)";
  auto close = s.find('>', i);
  if (close == std::string_view::npos) return "not an SVG (unterminated <svg> tag)";
  auto tag = s.substr(i + 4, close - i - 4);
  if (!tag.empty() && tag.back() == '/') tag.remove_suffix(1);
  std::string w, h;
  if (!attribute(tag, "width", w) || !attribute(tag, "height", h))
    return "an SVG without width and height on its root element";
  if (w != std::to_string(width) || h != std::to_string(height))
    return "an SVG of " + w.substr(0, 32) + "x" + h.substr(0, 32) + ", not the " +
           std::to_string(width) + "x" + std::to_string(height) + " asked for";
  auto last = s.find_last_not_of(" \r\n\t");
  if (last == std::string_view::npos || last < 5 || s.compare(last - 5, 6, "</svg>") != 0)
    return "an SVG that does not end with </svg> (truncated)";
  return "";
}

bool finite(double x) {
  return std::isfinite(x);
}

std::string check_text(const std::string& s, const char* what, std::size_t max) {
  if (s.size() > max)
    return std::string(what) + " is " + std::to_string(s.size()) + " bytes (at most " +
           std::to_string(max) + ")";
  if (!encoding::is_valid_utf8(s)) return std::string(what) + " is not valid UTF-8";
  return "";
}

std::string check_texts(const std::vector<std::string>& list, const char* what, std::size_t items,
                        std::size_t max) {
  if (list.size() > items)
    return std::string(what) + " has " + std::to_string(list.size()) + " items (at most " +
           std::to_string(items) + ")";
  for (const auto& s : list)
    if (auto e = check_text(s, what, max); !e.empty()) return e;
  return "";
}

std::string check_numbers(const std::vector<double>& v, const char* what) {
  if (v.size() > protocol::max_data_points)
    return std::string(what) + " has " + std::to_string(v.size()) + " values (at most " +
           std::to_string(protocol::max_data_points) + ")";
  for (double x : v)
    if (!finite(x)) return std::string(what) + " holds a value that is not a finite number";
  return "";
}

std::string check_series(const std::vector<protocol::named_series>& list, const char* what,
                         std::size_t max_count) {
  if (list.size() > max_count)
    return std::string(what) + " has " + std::to_string(list.size()) + " series (at most " +
           std::to_string(max_count) + ")";
  for (const auto& s : list) {
    if (auto e = check_text(s.name, what, protocol::max_label_chars * 4); !e.empty()) return e;
    if (auto e = check_numbers(s.values, what); !e.empty()) return e;
  }
  return "";
}

std::string check_stats(const protocol::statistics& s) {
  if (s.count > protocol::max_series * protocol::max_data_points)
    return "stats.count is out of range";
  for (double x : {s.sum, s.mean, s.median, s.min, s.max, s.std_dev})
    if (!finite(x)) return "stats hold a value that is not a finite number";
  if (s.growth_pct && !finite(*s.growth_pct)) return "stats.growth_pct is not a finite number";
  return "";
}

std::string check_data(const protocol::chart_data& d) {
  constexpr std::size_t label_bytes = protocol::max_label_chars * 4;
  std::size_t n = protocol::max_data_points;
  std::string e;
  if (!(e = check_texts(d.labels, "data.labels", n, label_bytes)).empty()) return e;
  if (!(e = check_numbers(d.values, "data.values")).empty()) return e;
  if (!(e = check_series(d.series, "data.series", protocol::max_series)).empty()) return e;
  // Groups: as many as the protocol lets a user give (one per sample set).
  if (!(e = check_series(d.groups, "data.groups", n)).empty()) return e;
  if (d.points.size() > n) return "data.points has too many points";
  for (const auto& p : d.points)
    if (!finite(p.x) || !finite(p.y) || (p.size && !finite(*p.size)))
      return "data.points holds a value that is not a finite number";
  if (d.candles.size() > n) return "data.ohlc has too many candles";
  for (const auto& c : d.candles) {
    if (!(e = check_text(c.label, "data.ohlc label", label_bytes)).empty()) return e;
    if (!finite(c.open) || !finite(c.high) || !finite(c.low) || !finite(c.close))
      return "data.ohlc holds a value that is not a finite number";
  }
  if (d.matrix.size() > n) return "data.matrix has too many rows";
  std::size_t cells = 0;
  for (const auto& row : d.matrix) {
    if (!(e = check_numbers(row, "data.matrix")).empty()) return e;
    cells += row.size();
  }
  if (cells > n) return "data.matrix has too many cells";
  if (!(e = check_texts(d.row_labels, "data.rows", n, label_bytes)).empty()) return e;
  if (!(e = check_texts(d.column_labels, "data.columns", n, label_bytes)).empty()) return e;
  // A user gives at most max_data_points numbers in all; a generation adds
  // shapes derived from them (bins, medians), so it gets room for that.
  std::size_t total = d.values.size() + d.points.size() + 4 * d.candles.size() + cells;
  for (const auto& s : d.series) total += s.values.size();
  for (const auto& g : d.groups) total += g.values.size();
  if (total > 4 * n)
    return "data holds " + std::to_string(total) + " numbers (at most " + std::to_string(4 * n) +
           ")";
  return "";
}

}  // namespace

std::string check_image(const std::string& bytes, render::image_format format, int width,
                        int height) {
  return format == render::image_format::png ? check_png(bytes, width, height)
                                             : check_svg(bytes, width, height);
}

std::string check_render_reply(const render::render_output& out, const render::chart_spec& spec,
                               std::size_t max_bytes) {
  if (!finite(out.duration_ms) || out.duration_ms < 0) return "duration_ms is out of range";
  if (!out.ok) {
    if (!out.bytes.empty()) return "a failed render that carries image bytes";
    return check_text(out.error, "the render error", max_render_error_bytes);
  }
  if (out.bytes.empty()) return "an empty image";
  if (out.bytes.size() > max_bytes)
    return "an image of " + std::to_string(out.bytes.size()) + " bytes (at most " +
           std::to_string(max_bytes) + ")";
  if (auto e = check_image(out.bytes, spec.format, spec.width, spec.height); !e.empty())
    return "the image is " + e;
  return "";
}

std::string check_plan_reply(const analytics::chart_plan& plan) {
  auto type = static_cast<int>(plan.type);
  if (type < 0 || type >= protocol::chart_type_count)
    return "chart type " + std::to_string(type) + " is not a known type";
  std::string e;
  if (!(e = check_text(plan.reasoning, "plan.reasoning", max_reply_text_bytes)).empty()) return e;
  if (!(e = check_texts(plan.steps, "plan.steps", 16, 64)).empty()) return e;
  return "";
}

std::string check_generation_reply(const analytics::generation& g) {
  std::string e;
  for (const auto* t :
       {&g.title, &g.x_label, &g.y_label, &g.provider, &g.model, &g.fallback_reason})
    if (!(e = check_text(*t, "a generation text", max_reply_short_bytes)).empty()) return e;
  if (!(e = check_text(g.narrative, "narrative", max_reply_text_bytes)).empty()) return e;
  if (!(e = check_texts(g.insights, "insights", max_reply_list_items, max_reply_short_bytes))
           .empty())
    return e;
  if (!(e = check_texts(g.thoughts, "thoughts", max_reply_list_items, max_reply_short_bytes))
           .empty())
    return e;
  if (!(e = check_data(g.data)).empty()) return e;
  if (!(e = check_stats(g.stats)).empty()) return e;
  if (g.series_stats.size() > protocol::max_series) return "series_stats has too many items";
  for (const auto& s : g.series_stats)
    if (!(e = check_stats(s)).empty()) return e;
  auto type = static_cast<int>(g.chart_type);
  if (type < 0 || type >= protocol::chart_type_count)
    return "chart type " + std::to_string(type) + " is not a known type";
  if (g.decided_by != "user" && g.decided_by != "model" && g.decided_by != "builtin")
    return "decided_by is not one of user, model, builtin";
  if (g.tokens_in < 0 || g.tokens_out < 0) return "a token count is negative";
  if (g.attempts < 0 || g.attempts > 1000) return "attempts is out of range";
  if (!finite(g.llm_ms) || g.llm_ms < 0) return "llm_ms is out of range";
  return "";
}

}  // namespace aw::cluster
