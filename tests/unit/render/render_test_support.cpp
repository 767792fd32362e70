#include "render_test_support.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <climits>
#include <cmath>
#include <cstring>
#include <vector>

namespace aw::render::test {
namespace {



const std::vector<std::string> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

std::vector<double> wave(std::size_t n, double base, double amplitude, double phase) {
  std::vector<double> out;
  for (std::size_t i = 0; i < n; ++i) {
    out.push_back(std::round(base + amplitude * std::sin(0.6 * i + phase) + 3.0 * i));
  }
  return out;
}

// Deterministic pseudo-normal samples.
std::vector<double> samples(std::size_t n, double mean, double sd, unsigned seed) {
  std::vector<double> out;
  unsigned state = seed;
  auto uniform = [&] {
    state = state * 1103515245u + 12345u;
    return ((state >> 8) & 0xFFFF) / 65536.0 + 1e-6;
  };
  for (std::size_t i = 0; i < n; ++i) {
    double z = std::sqrt(-2 * std::log(uniform())) * std::cos(6.283185307 * uniform());
    out.push_back(mean + sd * z);
  }
  return out;
}

void summary_from_values(chart_spec& s, std::vector<std::string> labels, std::vector<double> v) {
  s.data.labels = std::move(labels);
  s.data.values = std::move(v);
}

}  // namespace

chart_spec sample_spec(chart_kind type) {
  chart_spec s;
  s.kind = type;
  s.title = std::string("Sample ") + std::string(name_of(type));
  s.x_label = "Month";
  s.y_label = "Revenue (k$)";
  auto months = std::vector<std::string>(kMonths.begin(), kMonths.begin() + 8);
  switch (type) {
    case chart_kind::bar_chart_vertical:
    case chart_kind::line_chart:
    case chart_kind::area_chart:
    case chart_kind::step_chart:
      summary_from_values(s, months, wave(8, 120, 30, 0));
      break;
    case chart_kind::bar_chart_horizontal:
      s.x_label = "Sales";
      s.y_label = "";
      summary_from_values(
          s, {"North America", "Europe", "Asia Pacific", "Latin America", "Middle East", "Africa"},
          {4200, 3100, 2800, 1200, 900, 450});
      break;
    case chart_kind::pie_chart:
    case chart_kind::donut_chart:
      summary_from_values(s, {"Search", "Direct", "Social", "Email", "Referral"},
                          {42, 23, 17, 11, 7});
      break;
    case chart_kind::funnel_chart:
      s.x_label = s.y_label = "";
      summary_from_values(s, {"Visitors", "Sign-ups", "Trials", "Purchases", "Renewals"},
                          {12000, 5400, 2100, 900, 610});
      break;
    case chart_kind::waterfall_chart:
      summary_from_values(s, {"Start", "Sales", "Services", "Refunds", "Costs", "Tax"},
                          {500, 320, 140, -80, -260, -95});
      break;
    case chart_kind::pareto_chart:
      s.x_label = "Defect";
      s.y_label = "Count";
      summary_from_values(s, {"Scratch", "Dent", "Crack", "Stain", "Chip", "Other"},
                          {18, 72, 9, 35, 27, 4});
      break;
    case chart_kind::radar_chart:
      s.data.labels = {"Speed", "Quality", "Cost", "Support", "Features", "Design"};
      s.data.series = {{"Product A", {8, 7, 5, 9, 6, 7}}, {"Product B", {6, 9, 7, 5, 8, 6}}};
      break;
    case chart_kind::bar_chart_grouped:
    case chart_kind::bar_chart_stacked:
    case chart_kind::line_chart_multi:
    case chart_kind::area_chart_stacked:
      s.data.labels = {"Q1", "Q2", "Q3", "Q4", "Q5", "Q6"};
      s.data.series = {{"Hardware", {40, 52, 61, 58, 70, 76}},
                       {"Software", {25, 31, 38, 47, 52, 66}},
                       {"Services", {12, 18, 17, 24, 29, 33}}};
      break;
    case chart_kind::combo_bar_line:
      s.data.labels = months;
      s.data.series = {{"Revenue", wave(8, 200, 40, 0)}, {"Margin %", wave(8, 30, 6, 1)}};
      s.y_label = "Revenue";
      break;
    case chart_kind::scatter_plot:
    case chart_kind::bubble_chart: {
      s.x_label = "Ad spend";
      s.y_label = "Conversions";
      auto xs = samples(type == chart_kind::scatter_plot ? 120 : 14, 50, 15, 7);
      auto noise = samples(xs.size(), 0, 8, 11);
      for (std::size_t i = 0; i < xs.size(); ++i) {
        xy_point p{xs[i], 1.5 * xs[i] + noise[i], std::nullopt};
        if (type == chart_kind::bubble_chart) p.size = 5 + (i * 37) % 60;
        s.data.points.push_back(p);
        s.data.labels.push_back(std::to_string(i + 1));
        s.data.values.push_back(p.y);
      }
      break;
    }
    case chart_kind::histogram:
      s.x_label = "Response time (ms)";
      s.y_label = "";
      s.data.groups = {{"latency", samples(400, 230, 40, 3)}};
      s.data.values = s.data.groups[0].values;
      break;
    case chart_kind::box_plot:
    case chart_kind::violin_plot:
      s.x_label = "Region";
      s.y_label = "Order value";
      s.data.groups = {{"North", samples(80, 100, 15, 1)},
                       {"South", samples(80, 85, 25, 2)},
                       {"East", samples(80, 120, 10, 5)},
                       {"West", samples(80, 95, 30, 9)}};
      for (const auto& g : s.data.groups) s.data.series.push_back(g);
      break;
    case chart_kind::heatmap:
      s.x_label = "Hour";
      s.y_label = "";
      s.data.row_labels = {"Mon", "Tue", "Wed", "Thu", "Fri"};
      s.data.column_labels = {"9h", "10h", "11h", "12h", "13h", "14h", "15h", "16h"};
      for (std::size_t r = 0; r < 5; ++r) {
        std::vector<double> row;
        for (std::size_t c = 0; c < 8; ++c)
          row.push_back(std::round(20 + 15 * std::sin(r + c * 0.7) + 4 * c));
        s.data.matrix.push_back(row);
      }
      s.data.labels = s.data.row_labels;
      for (const auto& row : s.data.matrix) s.data.values.push_back(row[0]);
      break;
    case chart_kind::candlestick_chart: {
      s.x_label = "Day";
      s.y_label = "Price";
      double price = 100;
      auto moves = samples(20, 0.3, 2.5, 4);
      for (std::size_t i = 0; i < moves.size(); ++i) {
        double open = price, close = price + moves[i];
        ohlc k{"D" + std::to_string(i + 1), open, std::max(open, close) + 1.2 + (i % 3),
                           std::min(open, close) - 1.0 - (i % 2), close};
        s.data.candles.push_back(k);
        s.data.labels.push_back(k.label);
        s.data.values.push_back(close);
        price = close;
      }
      break;
    }
  }
  return s;
}

bool looks_like_svg(const std::string& bytes) {
  bool start = bytes.rfind("<?xml", 0) == 0 || bytes.rfind("<svg", 0) == 0;
  return start && bytes.find("</svg>") != std::string::npos;
}

std::string gallery_dir() {
  char exe[PATH_MAX] = {0};
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  std::string dir = n > 0 ? std::string(exe, static_cast<std::size_t>(n)) : "./render_tests";
  dir = dir.substr(0, dir.find_last_of('/'));
  dir = dir.substr(0, dir.find_last_of('/')) + "/gallery";
  mkdir(dir.c_str(), 0755);
  return dir;
}

}  // namespace aw::render::test
