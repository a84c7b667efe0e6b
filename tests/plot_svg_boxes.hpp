// Reads an SVG written by plot/svg.cpp back into boxes: each label's box by the width rule of
// plot/labels.hpp from its x, y and font-size, each dot's box from its circle, the frame. For
// tests that check labels never overlap each other or a dot and stay inside the frame.
#pragma once

#include <gtest/gtest.h>

#include <array>
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
