// Hostile text is drawn literally and never executed; bad data is refused.
#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cmath>
#include <fstream>
#include <limits>

#include "render/renderer.hpp"
#include "render/script_common.hpp"
#include "render_test_support.hpp"

using namespace aw::render;
using aw::render::chart_kind;

namespace {

bool exists(const char* path) {
  struct stat st;
  return stat(path, &st) == 0;
}

}  // namespace

TEST_CASE("text helpers quote, clean and cap") {
  using namespace aw::render::detail;
  CHECK(quoted("it's") == "'it\xE2\x80\x99s'");
  CHECK(quoted("a\nb\tc") == "'a b c'");
  CHECK(quoted(std::string(500, 'x')).size() == 202);
  CHECK(data_string("say \"hi\" \\ `x`") == "\"say 'hi'  x\"");
  CHECK(num(0.1) == "0.10000000000000001");
  CHECK_THROWS_AS(num(std::nan("")), script_error);
  CHECK(value_text(1234) == "1,234");
  CHECK(value_text(12345) == "12,345");
  CHECK(value_text(123456) == "123.5K");
  CHECK(value_text(1234.5) == "1,235");
  CHECK(value_text(1500000) == "1.5M");
  CHECK(value_text(-2.5) == "-2.5");
  // A cut never splits a UTF-8 sequence.
  CHECK(clean_text("\xC3\xA9\xC3\xA9\xC3\xA9", 2) == "\xC3\xA9\xC3\xA9");
}

TEST_CASE("a hostile title, labels and series names render literally") {
  const char* pwned = "/tmp/aw-render-pwned";
  std::remove(pwned);
  std::string hostile = "Q3 'it''s' \"quoted\"\n^_{}@& $x `touch " + std::string(pwned) +
                        "` '; system(\"touch " + pwned + "\") ; print '";
  chart_renderer renderer;
  for (chart_kind type : {chart_kind::bar_chart_vertical, chart_kind::bar_chart_grouped,
                          chart_kind::pie_chart, chart_kind::heatmap, chart_kind::box_plot}) {
    chart_spec spec = test::sample_spec(type);
    spec.title = hostile;
    spec.x_label = hostile;
    spec.y_label = hostile;
    if (!spec.data.labels.empty()) spec.data.labels[0] = hostile;
    for (auto& s : spec.data.series) s.name = hostile;
    for (auto& g : spec.data.groups) g.name = hostile;
    if (!spec.data.row_labels.empty()) spec.data.row_labels[0] = hostile;
    auto out = renderer.render(spec);
    CAPTURE(aw::render::name_of(type));
    REQUIRE_MESSAGE(out.ok, out.error);
    CHECK(test::decode_png(out.bytes).ok);
    if (type == chart_kind::bar_chart_vertical) {
      std::ofstream(test::gallery_dir() + "/hostile-title.png", std::ios::binary) << out.bytes;
    }
  }
  CHECK_FALSE(exists(pwned));
}

TEST_CASE("a missing data shape gives ok=false with a message") {
  chart_renderer renderer;
  struct missing {
    chart_kind type;
    const char* word;
  };
  for (missing m :
       {missing{chart_kind::scatter_plot, "points"}, missing{chart_kind::bubble_chart, "points"},
        missing{chart_kind::histogram, "groups"}, missing{chart_kind::violin_plot, "groups"},
        missing{chart_kind::heatmap, "matrix"}, missing{chart_kind::candlestick_chart, "candles"},
        missing{chart_kind::bar_chart_vertical, "values"},
        missing{chart_kind::line_chart_multi, "series"}}) {
    chart_spec spec;
    spec.kind = m.type;
    spec.data.labels = {"a", "b"};
    auto out = renderer.render(spec);
    CAPTURE(aw::render::name_of(m.type));
    CHECK_FALSE(out.ok);
    CHECK(out.error.find(m.word) != std::string::npos);
  }
}

TEST_CASE("non-finite numbers and bad sizes are refused") {
  chart_renderer renderer;
  chart_spec spec = test::sample_spec(chart_kind::line_chart);
  spec.data.values[2] = std::numeric_limits<double>::infinity();
  auto out = renderer.render(spec);
  CHECK_FALSE(out.ok);
  CHECK(out.error.find("non-finite") != std::string::npos);

  spec = test::sample_spec(chart_kind::line_chart);
  spec.width = 100;
  CHECK_FALSE(renderer.render(spec).ok);
  spec.width = 4001;
  CHECK_FALSE(renderer.render(spec).ok);

  // The renderer still works afterwards.
  CHECK(renderer.render(test::sample_spec(chart_kind::line_chart)).ok);
}
