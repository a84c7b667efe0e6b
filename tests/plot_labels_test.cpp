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
  EXPECT_DOUBLE_EQ(text_width("paris", 10), 31.0);
  EXPECT_DOUBLE_EQ(text_width("東京", 10), 20.0);
  EXPECT_DOUBLE_EQ(text_width("é", 10), 7.5);
  const Box b = label_box("ab", 100, 50, 20);
  EXPECT_DOUBLE_EQ(b.x0, 100);
  EXPECT_DOUBLE_EQ(b.x1, 100 + 2 * 0.62 * 20);
  EXPECT_LT(b.y0, 50 - 0.9 * 20);  // the ascent of a CJK glyph
  EXPECT_GT(b.y1, 50 + 0.2 * 20);  // descenders
}

// The demo's 16 cities, laid out like the demo model's PCA: 파리 and 베를린 almost on one spot,
// 서울 next to 부산's dot, 인천 next to 수원.
TEST(Labels, SixteenCitiesNoOverlap) {
  const std::vector<std::string> cities = {"서울", "부산", "대구", "인천",   "광주",   "대전",
                                           "울산", "수원", "도쿄", "오사카", "베이징", "상하이",
                                           "뉴욕", "런던", "파리", "베를린"};
  const std::vector<std::array<double, 2>> pts = {
      {0.10, 0.02},  {0.11, 0.015},  {0.14, -0.02},  {0.09, 0.05},    {0.16, -0.04}, {0.13, 0.0},
      {0.15, -0.03}, {0.095, 0.055}, {-0.2, 0.15},   {-0.19, 0.16},   {-0.25, 0.05}, {-0.24, 0.06},
      {-0.3, -0.2},  {-0.33, -0.22}, {-0.35, -0.25}, {-0.351, -0.251}};
  SvgOptions o;
  expect_clear(render_svg(cities, pts, o), cities.size());
}

std::string random_word(std::mt19937& rng) {
  static const std::vector<std::string> syllables = {"서", "울", "부", "산", "대", "학",
                                                     "교", "강", "의", "를", "있", "다"};
  std::uniform_int_distribution<int> len(1, 7);
  std::uniform_int_distribution<int> kind(0, 2);
  std::string w;
  const int n = len(rng);
  const bool hangul = kind(rng) == 0;
  for (int i = 0; i < n; ++i) {
    if (hangul) {
      w += syllables[rng() % syllables.size()];
    } else {
      w += static_cast<char>('a' + rng() % 26);
    }
  }
  return w;
}

TEST(Labels, HundredWordsNoOverlap) {
  std::mt19937 rng(22);
  std::normal_distribution<double> g;
  std::vector<std::string> words;
  std::vector<std::array<double, 2>> pts;
  for (int i = 0; i < 100; ++i) {
    words.push_back(random_word(rng) + std::to_string(i));
    pts.push_back({g(rng), g(rng)});
  }
  SvgOptions o;
  expect_clear(render_svg(words, pts, o), words.size());
}

// Thirty words within a hundredth of the range (a PCA of function words), two far outliers.
TEST(Labels, DenseClusterNoOverlap) {
  std::mt19937 rng(5);
  std::uniform_real_distribution<double> u(-0.005, 0.005);
  std::vector<std::string> words = {"far", "away"};
  std::vector<std::array<double, 2>> pts = {{-1, -1}, {1, 1}};
  for (int i = 0; i < 30; ++i) {
    words.push_back(random_word(rng));
    pts.push_back({u(rng), u(rng)});
  }
  SvgOptions o;
  const std::string svg = render_svg(words, pts, o);
  expect_clear(svg, words.size());
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
