#include "load/plots.hpp"

#include <sys/stat.h>

#include <cerrno>

#include <algorithm>
#include <iostream>
#include <tuple>

#include <gnuplot-iostream.h>

#include "load/stats.hpp"

namespace aw::load {

namespace {

using series = std::vector<std::pair<double, double>>;

std::string quoted(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

bool ensure_dir(const std::string& dir) {
  if (::mkdir(dir.c_str(), 0755) == 0 || errno == EEXIST) return true;
  std::cerr << "agentwire-load: cannot create " << dir << "\n";
  return false;
}

// One PNG with one line per named series. `setup` holds the axis commands.
bool plot(const std::string& path, const std::string& title, const std::string& setup,
          const std::vector<std::pair<std::string, series>>& lines, const std::string& style) {
  std::vector<std::pair<std::string, series>> used;
  for (const auto& l : lines)
    if (!l.second.empty()) used.push_back(l);
  try {
    Gnuplot gp("gnuplot");
    gp << "set terminal pngcairo size 960,600 noenhanced font 'sans,10'\n"
       << "set output " << quoted(path) << "\n"
       << "set title " << quoted(title) << "\n"
       << "set grid\nset key left top\n";
    if (used.empty()) {
      gp << "set label 1 'no data' at graph 0.45, graph 0.5\n"
         << "set xrange [0:1]\nset yrange [0:1]\nplot -1 notitle\n";
    } else {
      gp << setup;
      gp << "plot ";
      for (std::size_t i = 0; i < used.size(); ++i)
        gp << (i ? ", " : "") << "'-' using 1:2 with " << style << " title "
           << quoted(used[i].first);
      gp << "\n";
      for (const auto& l : used) gp.send1d(l.second);
    }
    gp << "unset output\n";
  } catch (const std::exception& e) {
    std::cerr << "agentwire-load: plot " << path << ": " << e.what() << "\n";
    return false;
  }
  return true;
}

void rss_plot(const run_result& r, const std::string& dir, std::vector<std::string>& out) {
  if (!r.server_pid) return;
  series s;
  for (const auto& [t, kb] : r.rss_samples) s.emplace_back(t, static_cast<double>(kb) / 1024.0);
  std::string path = dir + "/server_rss.png";
  double t_max = s.empty() ? 1 : std::max(1.0, s.back().first);
  if (plot(path, "server RSS (pid " + std::to_string(r.server_pid) + ")",
           "set xlabel 'seconds'\nset ylabel 'MiB'\nset yrange [0:*]\nset xrange [0:" +
               std::to_string(t_max) + "]\n",
           {{"VmRSS", s}}, "linespoints lw 2 pt 7 ps 0.5"))
    out.push_back(path);
}

series cdf_series(const std::vector<double>& v) {
  series s = cdf(v, 400);
  for (auto& p : s) p.first = std::max(p.first, 0.01);  // log x
  return s;
}

}  // namespace

std::vector<std::string> write_plots(const run_result& r, const std::string& dir) {
  std::vector<std::string> out;
  if (dir.empty() || !ensure_dir(dir)) return out;
  const std::string cdf_setup =
      "set logscale x\nset xlabel 'milliseconds (log)'\nset ylabel 'fraction of runs'\n"
      "set yrange [0:1.02]\nset key right bottom\n";
  if (r.mode == "idle") {
    std::string path = dir + "/connect_cdf.png";
    if (plot(path, "connect time CDF", cdf_setup, {{"connect", cdf_series(r.connect_ms)}},
             "lines lw 2"))
      out.push_back(path);
    rss_plot(r, dir, out);
    return out;
  }
  std::vector<std::pair<std::string, series>> lines;
  for (int e = 0; e < event_type_count; ++e)
    lines.emplace_back("send -> " + std::string(event_type_names[e]), cdf_series(r.to_event_ms[e]));
  std::string path = dir + "/latency_cdf.png";
  if (plot(path, "latency CDF per event type (first occurrence per run)", cdf_setup, lines,
           "lines lw 2"))
    out.push_back(path);

  auto secs = per_second(r.completions, r.elapsed_s);
  series thr, p99;
  double thr_max = 1;
  for (const auto& s : secs) {
    thr_max = std::max(thr_max, static_cast<double>(s.count) * 1.1);
    thr.emplace_back(s.second + 0.5, static_cast<double>(s.count));
    if (s.count) p99.emplace_back(s.second, s.p99);
  }
  const std::string x_axis =
      "set xlabel 'second of the run'\nset xrange [0:" + std::to_string(secs.size()) + "]\n";
  path = dir + "/throughput.png";
  if (plot(path, "throughput: runs completed per second",
           x_axis + "set boxwidth 0.9\nset ylabel 'runs/s'\nset yrange [0:" +
               std::to_string(thr_max) + "]\n",
           {{"runs/s", thr}}, "boxes fill solid 0.5"))
    out.push_back(path);
  path = dir + "/p99_completed.png";
  if (plot(path, "p99 time to agent_completed, per second",
           x_axis + "set ylabel 'ms'\nset yrange [0:*]\n", {{"p99 send -> agent_completed", p99}},
           "linespoints lw 2 pt 7"))
    out.push_back(path);
  rss_plot(r, dir, out);
  return out;
}

std::vector<std::string> write_ramp_plots(const ramp_result& r, const std::string& dir) {
  std::vector<std::string> out;
  if (dir.empty() || !ensure_dir(dir)) return out;
  series p95, limit;
  for (const auto& s : r.steps) {
    p95.emplace_back(s.users, s.p95_ms);
    limit.emplace_back(s.users, r.limit_ms);
  }
  std::string path = dir + "/ramp.png";
  if (plot(path, "ramp: p95 send -> " + r.metric + " per step",
           "set xlabel 'users'\nset ylabel 'ms'\nset yrange [0:*]\n",
           {{"p95", p95}, {"limit", limit}}, "linespoints lw 2 pt 7"))
    out.push_back(path);
  return out;
}

}  // namespace aw::load
