#include "actors/render_key.hpp"

#include <openssl/sha.h>

#include <cstdio>

namespace aw::actors {
namespace {

// Every field is written with its length or count first, so that no choice
// of texts or numbers can make two different specs give one key.
class key_writer {
 public:
  explicit key_writer(std::string& out) : out_(out) {}

  void text(const std::string& s) {
    count(s.size());
    out_ += s;
  }
  void count(std::size_t n) {
    out_ += std::to_string(n);
    out_ += ':';
  }
  void number(double v) {
    char buf[32];
    int n = std::snprintf(buf, sizeof buf, "%.17g,", v);
    out_.append(buf, static_cast<std::size_t>(n));
  }
  void numbers(const std::vector<double>& vs) {
    count(vs.size());
    for (double v : vs) number(v);
  }
  void texts(const std::vector<std::string>& ts) {
    count(ts.size());
    for (const auto& t : ts) text(t);
  }
  void series(const std::vector<render::data_series>& ss) {
    count(ss.size());
    for (const auto& s : ss) {
      text(s.name);
      numbers(s.values);
    }
  }

 private:
  std::string& out_;
};

}  // namespace

std::string render_key_text(const render::chart_spec& spec) {
  std::string key;
  key.reserve(256);
  key_writer w(key);
  w.text(std::string(render::name_of(spec.kind)));
  w.count(spec.format == render::image_format::svg ? 1 : 0);
  w.count(static_cast<std::size_t>(spec.width));
  w.count(static_cast<std::size_t>(spec.height));
  const auto& p = spec.colours;
  w.texts({p.background, p.foreground, p.grid, p.axis, p.positive, p.negative});
  w.texts(p.series);
  w.count(p.show_grid ? 1 : 0);
  w.count(p.dark ? 1 : 0);
  w.text(spec.title);
  w.text(spec.x_label);
  w.text(spec.y_label);
  const auto& d = spec.data;
  w.texts(d.labels);
  w.numbers(d.values);
  w.series(d.series);
  w.count(d.points.size());
  for (const auto& pt : d.points) {
    w.number(pt.x);
    w.number(pt.y);
    w.count(pt.size ? 1 : 0);
    if (pt.size) w.number(*pt.size);
  }
  w.count(d.candles.size());
  for (const auto& c : d.candles) {
    w.text(c.label);
    for (double v : {c.open, c.high, c.low, c.close}) w.number(v);
  }
  w.count(d.matrix.size());
  for (const auto& row : d.matrix) w.numbers(row);
  w.texts(d.row_labels);
  w.texts(d.column_labels);
  w.series(d.groups);
  return key;
}

std::string render_key(const render::chart_spec& spec) {
  std::string text = render_key_text(spec);
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
  static const char hex[] = "0123456789abcdef";
  std::string key(2 * SHA256_DIGEST_LENGTH, '0');
  for (int i = 0; i < SHA256_DIGEST_LENGTH; ++i) {
    key[2 * i] = hex[digest[i] >> 4];
    key[2 * i + 1] = hex[digest[i] & 0xf];
  }
  return key;
}

}  // namespace aw::actors
