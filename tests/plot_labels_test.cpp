// Label placement: the SVG that render_svg writes is parsed back (text positions, font sizes,
// circles, frame) and every label's box, by the per-character width rule of plot/labels.hpp, must
// be clear of every other label's box and of every dot, and inside the frame.
#include <gtest/gtest.h>

#include <array>
#include <random>
#include <regex>
#include <string>
#include <vector>

#include "plot/labels.hpp"
#include "plot/svg.hpp"
#include "plot_svg_boxes.hpp"

namespace w2v::plot {
namespace {

TEST(Labels, WidthRuleWideHangulNarrowLatin) {
  EXPECT_DOUBLE_EQ(text_width("서울", 10), 20.0);
  EXPECT_DOUBLE_EQ(text_width("paris", 10), 30.0);
  EXPECT_DOUBLE_EQ(text_width("Mw", 10), 19.0);
  EXPECT_DOUBLE_EQ(text_width("Ab", 10), 13.2);
  EXPECT_DOUBLE_EQ(text_width("東京", 10), 20.0);
  EXPECT_DOUBLE_EQ(text_width("é", 10), 7.5);
  const Box b = label_box("ab", 100, 50, 20);
  EXPECT_DOUBLE_EQ(b.x0, 100);
  EXPECT_DOUBLE_EQ(b.x1, 100 + 2 * 0.6 * 20);
  EXPECT_LT(b.y0, 50 - 1.14 * 20);  // the line box of Noto Sans CJK
  EXPECT_GT(b.y1, 50 + 0.28 * 20);
}

TEST(Labels, SixteenCitiesNoOverlap) {
  const Layout l = demo_cities();
  expect_clear(render_svg(l.words, l.points, SvgOptions{}), l.words.size());
}

TEST(Labels, HundredWordsNoOverlap) {
  const Layout l = hundred_words();
  expect_clear(render_svg(l.words, l.points, SvgOptions{}), l.words.size());
}

TEST(Labels, DenseClusterNoOverlap) {
  const Layout l = dense_cluster();
  const std::string svg = render_svg(l.words, l.points, SvgOptions{});
  expect_clear(svg, l.words.size());
  EXPECT_NE(svg.find("class=\"leader\""), std::string::npos) << "moved labels get leader lines";
}

TEST(Labels, PlacementIsDeterministicAndUsesCandidatesWhenFree) {
  LabelInput in;
  in.dots = {{100, 100}, {300, 300}};
  in.texts = {"one", "two"};
  in.area = {0, 0, 500, 500};
  const auto a = place_labels(in);
  const auto b = place_labels(in);
  ASSERT_EQ(a.size(), 2U);
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(a[i].x, b[i].x);
    EXPECT_EQ(a[i].y, b[i].y);
    EXPECT_FALSE(a[i].leader);
    EXPECT_GT(a[i].x, in.dots[i][0]);  // first candidate: right of the dot
  }
}

TEST(Labels, FullAreaHidesLabelsRatherThanOverlap) {
  LabelInput in;
  in.area = {0, 0, 100, 60};
  for (int i = 0; i < 20; ++i) {
    in.dots.push_back({50, 30});
    in.texts.push_back("word" + std::to_string(i));
  }
  const auto out = place_labels(in);
  std::size_t visible = 0;
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (!out[i].visible) continue;
    ++visible;
    for (std::size_t j = i + 1; j < out.size(); ++j) {
      if (out[j].visible) {
        EXPECT_FALSE(intersects(out[i].box, out[j].box));
      }
    }
  }
  EXPECT_GE(visible, 1U);
  EXPECT_LT(visible, 20U);
}

}  // namespace
}  // namespace w2v::plot
