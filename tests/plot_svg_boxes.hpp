// Reads an SVG written by plot/svg.cpp back into boxes: each label's box by the width rule of
// plot/labels.hpp from its x, y and font-size, each dot's box from its circle, the frame. For
// tests that check labels never overlap each other or a dot and stay inside the frame.
#pragma once

#include <gtest/gtest.h>

#include <array>
#include <random>
#include <regex>
#include <string>
#include <utility>
#include <vector>

#include "plot/labels.hpp"

namespace w2v::plot {

inline std::string unescape(std::string s) {
  const std::array<std::pair<const char*, const char*>, 5> ents = {
      {{"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&apos;", "'"}, {"&amp;", "&"}}};
  for (const auto& [from, to] : ents) {
    for (auto p = s.find(from); p != std::string::npos; p = s.find(from, p + 1)) {
      s.replace(p, std::string(from).size(), to);
    }
  }
  return s;
}

struct Parsed {
  std::vector<std::string> texts;
  std::vector<Box> labels;
  std::vector<Box> dots;
  Box frame;
};

inline Parsed parse(const std::string& svg) {
  Parsed p;
  const std::regex text_re(
      R"re(<text x="([-0-9.]+)" y="([-0-9.]+)" font-size="([0-9.]+)"[^>]*>([^<]*)</text>)re");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), text_re);
       it != std::sregex_iterator(); ++it) {
    const std::string t = unescape((*it)[4]);
    p.texts.push_back(t);
    p.labels.push_back(label_box(t, std::stod((*it)[1]), std::stod((*it)[2]), std::stod((*it)[3])));
  }
  const std::regex dot_re(R"re(<circle cx="([-0-9.]+)" cy="([-0-9.]+)" r="([0-9.]+)")re");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), dot_re); it != std::sregex_iterator();
       ++it) {
    const double x = std::stod((*it)[1]);
    const double y = std::stod((*it)[2]);
    const double r = std::stod((*it)[3]) + 0.5;  // the stroke
    p.dots.push_back({x - r, y - r, x + r, y + r});
  }
  const std::regex frame_re(
      R"re(<rect class="frame" x="([-0-9.]+)" y="([-0-9.]+)" width="([0-9.]+)" height="([0-9.]+)")re");
  std::smatch m;
  if (std::regex_search(svg, m, frame_re)) {
    const double x = std::stod(m[1]);
    const double y = std::stod(m[2]);
    p.frame = {x, y, x + std::stod(m[3]), y + std::stod(m[4])};
  }
  return p;
}

inline void expect_clear(const std::string& svg, std::size_t n) {
  const Parsed p = parse(svg);
  ASSERT_EQ(p.dots.size(), n);
  ASSERT_EQ(p.labels.size(), n) << "every label is drawn";
  for (std::size_t i = 0; i < n; ++i) {
    const Box& a = p.labels[i];
    EXPECT_GE(a.x0, p.frame.x0) << p.texts[i];
    EXPECT_GE(a.y0, p.frame.y0) << p.texts[i];
    EXPECT_LE(a.x1, p.frame.x1) << p.texts[i];
    EXPECT_LE(a.y1, p.frame.y1) << p.texts[i];
    for (std::size_t j = i + 1; j < n; ++j) {
      EXPECT_FALSE(intersects(a, p.labels[j])) << p.texts[i] << " overlaps " << p.texts[j];
    }
    for (std::size_t k = 0; k < n; ++k) {
      EXPECT_FALSE(intersects(a, p.dots[k])) << p.texts[i] << " covers dot " << k;
    }
  }
}

struct Layout {
  std::vector<std::string> words;
  std::vector<std::array<double, 2>> points;
};

// The demo's 16 cities, laid out like the demo model's PCA: 파리 and 베를린 almost on one spot,
// 서울 next to 부산's dot, 인천 next to 수원.
inline Layout demo_cities() {
  return {{"서울", "부산", "대구", "인천", "광주", "대전", "울산", "수원", "도쿄", "오사카",
           "베이징", "상하이", "뉴욕", "런던", "파리", "베를린"},
          {{0.10, 0.02},
           {0.11, 0.015},
           {0.14, -0.02},
           {0.09, 0.05},
           {0.16, -0.04},
           {0.13, 0.0},
           {0.15, -0.03},
           {0.095, 0.055},
           {-0.2, 0.15},
           {-0.19, 0.16},
           {-0.25, 0.05},
           {-0.24, 0.06},
           {-0.3, -0.2},
           {-0.33, -0.22},
           {-0.35, -0.25},
           {-0.351, -0.251}}};
}

inline std::string random_word(std::mt19937& rng) {
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

inline Layout hundred_words() {
  std::mt19937 rng(22);
  std::normal_distribution<double> g;
  Layout l;
  for (int i = 0; i < 100; ++i) {
    l.words.push_back(random_word(rng) + std::to_string(i));
    l.points.push_back({g(rng), g(rng)});
  }
  return l;
}

// Thirty words within a hundredth of the range (a PCA of function words), two far outliers.
inline Layout dense_cluster() {
  std::mt19937 rng(5);
  std::uniform_real_distribution<double> u(-0.005, 0.005);
  Layout l{{"far", "away"}, {{-1, -1}, {1, 1}}};
  for (int i = 0; i < 30; ++i) {
    l.words.push_back(random_word(rng));
    l.points.push_back({u(rng), u(rng)});
  }
  return l;
}

// The SVG of each panel (<g class="panel"> ... </g>) of a multi-panel picture.
inline std::vector<std::string> panels(const std::string& svg) {
  std::vector<std::string> out;
  const std::string open = "<g class=\"panel\"";
  for (auto p = svg.find(open); p != std::string::npos;) {
    const auto next = svg.find(open, p + 1);
    out.push_back(svg.substr(p, next == std::string::npos ? std::string::npos : next - p));
    p = next;
  }
  return out;
}

}  // namespace w2v::plot
