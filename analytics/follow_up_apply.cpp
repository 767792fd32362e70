#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <numeric>

#include "analytics/builtin_llm.hpp"
#include "analytics/follow_up.hpp"
#include "analytics/follow_up_words.hpp"

namespace aw::analytics {
namespace {

using namespace follow_up_words;
using protocol::chart_type;

bool label_matches(const std::string& label, const std::string& name) {
  std::string l = lower(label), n = lower(name);
  if (l == n) return true;
  // As a whole word inside the label: "Q3" in "Q3 2024", "Europe" in "Western Europe".
  for (std::size_t at = l.find(n); at != std::string::npos; at = l.find(n, at + 1)) {
    bool start = at == 0 || !std::isalnum(static_cast<unsigned char>(l[at - 1]));
    std::size_t end = at + n.size();
    bool stop = end == l.size() || !std::isalnum(static_cast<unsigned char>(l[end]));
    if (start && stop) return true;
  }
  return false;
}

// Keeps the points whose index passes `keep`, in every series.
template <class Keep>
void keep_points(protocol::chart_data& d, Keep keep) {
  protocol::chart_data out;
  for (std::size_t i = 0; i < d.labels.size(); ++i) {
    if (!keep(i)) continue;
    out.labels.push_back(d.labels[i]);
    if (i < d.values.size()) out.values.push_back(d.values[i]);
  }
  for (auto& s : d.series) {
    protocol::named_series kept{s.name, {}};
    for (std::size_t i = 0; i < s.values.size() && i < d.labels.size(); ++i)
      if (keep(i)) kept.values.push_back(s.values[i]);
    out.series.push_back(std::move(kept));
  }
  d = std::move(out);
}

double point_value(const protocol::chart_data& d, std::size_t i) {
  if (!d.series.empty()) {
    double sum = 0;
    for (const auto& s : d.series)
      if (i < s.values.size()) sum += s.values[i];
    return sum;
  }
  return i < d.values.size() ? d.values[i] : 0;
}

void reorder(protocol::chart_data& d, const std::vector<std::size_t>& order) {
  protocol::chart_data out;
  for (auto i : order) {
    out.labels.push_back(d.labels[i]);
    if (i < d.values.size()) out.values.push_back(d.values[i]);
  }
  for (auto& s : d.series) {
    protocol::named_series r{s.name, {}};
    for (auto i : order)
      if (i < s.values.size()) r.values.push_back(s.values[i]);
    out.series.push_back(std::move(r));
  }
  d = std::move(out);
}

void sort_points(protocol::chart_data& d, bool descending, bool by_label) {
  std::vector<std::size_t> order(d.labels.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (by_label) return lower(d.labels[a]) < lower(d.labels[b]);
    double x = point_value(d, a), y = point_value(d, b);
    return descending ? x > y : x < y;
  });
  reorder(d, order);
}

// The latest year the request, title or labels name; 0 when none.
int latest_year(const prior_chart& p) {
  int year = 0;
  auto scan = [&](const std::string& s) {
    for (const auto& tok : tokenize(s))
      if (is_year(tok.text)) year = std::max(year, *number_of(tok.text));
  };
  scan(p.content);
  scan(p.title);
  for (const auto& l : p.data.labels) scan(l);
  return year;
}

// Made-up values for a new series, near the first one's (synthetic data only):
// the same name gives the same values.
std::vector<double> companion_values(const std::vector<double>& base, const std::string& name) {
  std::uint32_t h = 2166136261u;
  for (char c : name) h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
  std::vector<double> out;
  for (std::size_t i = 0; i < base.size(); ++i) {
    h = h * 1664525u + 1013904223u;
    double f = 0.78 + 0.17 * static_cast<double>(h >> 8) / static_cast<double>(1u << 24);
    out.push_back(std::round(base[i] * f * 100.0) / 100.0);
  }
  return out;
}

std::string join_names(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i)
    out += (i == 0 ? "" : i + 1 == names.size() ? " and " : ", ") + names[i];
  return out;
}

}  // namespace

std::size_t prior_chart_bytes(const prior_chart& c) {
  std::size_t n = sizeof(prior_chart) + c.run_id.size() + c.content.size() + c.title.size();
  for (const auto& l : c.data.labels) n += l.size() + sizeof(std::string);
  n += c.data.values.size() * sizeof(double);
  for (const auto& s : c.data.series) n += s.name.size() + s.values.size() * sizeof(double) + 32;
  return n;
}

bool refinable(const prior_chart& c) {
  return c.synthetic || (drawn_from_summary(c.type) && !c.data.labels.empty());
}

refinement apply_follow_up(const prior_chart& prior, const std::vector<chart_edit>& edits,
                           const protocol::analytics_payload& request) {
  refinement r;
  auto& p = r.payload;
  p.content = prior.content.empty() ? request.content : prior.content;
  p.title = prior.title.empty() ? std::nullopt : std::optional<std::string>(prior.title);
  p.theme.name =
      protocol::is_theme_name(prior.theme) && prior.theme != "custom" ? prior.theme : "modern";
  p.format = prior.format;
  p.width = prior.width;
  p.height = prior.height;
  p.enhance_labels = request.enhance_labels;
  r.synthetic = prior.synthetic;
  chart_type type = prior.type;
  bool type_named = false;
  protocol::chart_data d;
  d.labels = prior.data.labels;
  d.values = prior.data.values;
  d.series = prior.data.series;
  bool data_usable = drawn_from_summary(prior.type) && !d.labels.empty();
  auto note = [&](std::string s) { r.changes.push_back(std::move(s)); };

  for (const auto& e : edits) {
    switch (e.kind) {
      case edit_kind::chart_type:
        type = e.type;
        type_named = true;
        note("chart type " + std::string(protocol::to_string(type)));
        break;
      case edit_kind::keep_last:
      case edit_kind::keep_first:
      case edit_kind::top: {
        if (!data_usable) break;
        if (e.kind == edit_kind::top) sort_points(d, e.descending, false);
        std::size_t n = d.labels.size(), keep = static_cast<std::size_t>(e.count);
        if (keep >= n) {
          note("all " + std::to_string(n) + " points kept (asked for " + std::to_string(keep) +
               ")");
          break;
        }
        bool last = e.kind == edit_kind::keep_last;
        keep_points(d, [&](std::size_t i) { return last ? i >= n - keep : i < keep; });
        note(std::string(e.kind == edit_kind::top ? (e.descending ? "the top " : "the bottom ")
                         : last                   ? "the last "
                                                  : "the first ") +
             std::to_string(keep) + " points only");
        break;
      }
      case edit_kind::keep_labels:
      case edit_kind::drop_labels: {
        if (!data_usable) break;
        bool keep = e.kind == edit_kind::keep_labels;
        std::vector<bool> hit(d.labels.size(), false);
        std::size_t hits = 0;
        for (std::size_t i = 0; i < d.labels.size(); ++i)
          for (const auto& n : e.names)
            if (label_matches(d.labels[i], n)) {
              hit[i] = true;
              ++hits;
              break;
            }
        if (!keep && hits == 0 && d.series.size() > 1) {  // "without 2023": a series
          std::vector<protocol::named_series> left;
          for (auto& s : d.series) {
            bool drop = false;
            for (const auto& n : e.names) drop = drop || label_matches(s.name, n);
            if (!drop) left.push_back(std::move(s));
          }
          if (!left.empty() && left.size() < d.series.size()) {
            d.series = std::move(left);
            note("without " + join_names(e.names));
            break;
          }
        }
        if (hits == 0) {
          note("no label matches " + join_names(e.names) + ", nothing removed");
          break;
        }
        if (!keep && hits == d.labels.size()) {
          note("every label matches " + join_names(e.names) + ", nothing removed");
          break;
        }
        keep_points(d, [&](std::size_t i) { return hit[i] == keep; });
        note((keep ? "only " : "without ") + join_names(e.names));
        break;
      }
      case edit_kind::add_series:
      case edit_kind::compare_prior: {
        if (!data_usable) break;
        if (!prior.synthetic) {
          note("the data came with the request, so no series was made up");
          break;
        }
        int year = latest_year(prior);
        std::string base_name = year ? std::to_string(year) : "This period";
        std::string name = e.kind == edit_kind::add_series ? e.names.front()
                           : year                          ? std::to_string(year - 1)
                                                           : "Previous period";
        if (d.series.empty()) {
          if (name == base_name) base_name = "Current";
          d.series.push_back({base_name, d.values});
          d.values.clear();
        }
        bool present = false;
        for (const auto& s : d.series) present = present || s.name == name;
        if (present || d.series.size() >= 10) {
          note("series " + name + " already shown");
          break;
        }
        d.series.push_back({name, companion_values(d.series.front().values, name)});
        note("series " + name + " added");
        break;
      }
      case edit_kind::sort:
        if (!data_usable) break;
        sort_points(d, e.descending, e.by_label);
        note(e.by_label     ? "sorted by label"
             : e.descending ? "sorted descending"
                            : "sorted ascending");
        break;
      case edit_kind::theme:
        p.theme = protocol::theme_choice{};
        p.theme.name = e.text;
        note("theme " + e.text);
        break;
      case edit_kind::format:
        p.format = e.format;
        note("format " + std::string(protocol::to_string(e.format)));
        break;
      case edit_kind::resize: {
        auto scale = [&](int v) { return std::clamp(v * e.percent / 100, 200, 4000); };
        if (e.width > 0 && e.height > 0) {
          p.width = e.width;
          p.height = e.height;
        } else {
          if (e.width >= 0) p.width = scale(p.width);
          if (e.height >= 0) p.height = scale(p.height);
        }
        note("size " + std::to_string(p.width) + "x" + std::to_string(p.height));
        break;
      }
      case edit_kind::title:
        p.title = e.text;
        note("title \"" + e.text + "\"");
        break;
    }
  }
  if (request.title) p.title = request.title;
  if (request.chart_preference) {
    type = *request.chart_preference;
    type_named = true;
  }
  // A type for one whole asked of several series: their totals per label.
  bool one_whole = type == chart_type::pie_chart || type == chart_type::donut_chart ||
                   type == chart_type::funnel_chart || type == chart_type::pareto_chart;
  if (type_named && one_whole && d.series.size() > 1) {
    std::vector<double> totals(d.labels.size(), 0.0);
    for (std::size_t i = 0; i < totals.size(); ++i) totals[i] = point_value(d, i);
    d.series.clear();
    d.values = std::move(totals);
    note("the series summed per label");
  }
  // Several series need a type that shows them, one series a type for one.
  chart_type fitted = fit_series(type, d.has_series() && d.series.size() > 1);
  if (d.series.size() == 1) {  // one series left: plain values
    d.values = d.series.front().values;
    d.series.clear();
  }
  if (fitted != type) {
    if (type_named)
      note("drawn as " + std::string(protocol::to_string(fitted)) + " for the series");
    type = fitted;
  }
  p.chart_preference = type;
  if (data_usable && drawn_from_summary(type) && check_data_fits(type, d).ok()) {
    p.data = std::move(d);
    p.use_synthetic_data = false;
  } else if (prior.synthetic) {
    // The type needs data of another shape: made again for the same subject.
    p.use_synthetic_data = true;
    if (data_usable)
      note("new sample data in the shape " + std::string(protocol::to_string(type)) + " needs");
  } else {
    // The user's data cannot be drawn so: the prior chart, otherwise edited.
    type = prior.type;
    p.chart_preference = type;
    if (data_usable) {
      p.data = prior.data;
      p.use_synthetic_data = false;
    }
    note("the data given cannot be drawn as asked, kept " + std::string(protocol::to_string(type)));
  }
  std::string what;
  for (std::size_t i = 0; i < r.changes.size(); ++i) what += (i ? "; " : "") + r.changes[i];
  r.thought = "Refining the previous chart (" + prior.run_id +
              "): " + (what.empty() ? std::string("redrawn as it was") : what) + ".";
  return r;
}

}  // namespace aw::analytics
