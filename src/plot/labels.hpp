// Label placement for `w2v plot`: every label gets a box that overlaps no other label's box and
// no dot, and stays inside the plot area.
//
// Text width is estimated per character (no font is loaded): wide characters (Hangul, CJK,
// kana, full-width forms) 1.0 em; ASCII m, w, M, W, @ 0.95 em, other capitals 0.72 em, the rest
// of ASCII 0.6 em; other characters 0.75 em; combining marks 0. Measured in chromium with Noto
// Sans CJK KR (the first font of the SVG's list): Hangul 0.92 em, a-z 0.53 em on average, m
// 0.93, W 0.88, A-Z 0.63, digits 0.56. A label box spans 1.16 em above the baseline and 0.3 em
// below it: the line box a browser gives a text element in that font (1.143 + 0.286 em).
//
// Placement, in three steps:
//  1. candidates: eight positions around the dot (right, upper right, above, upper left, left,
//     lower left, below, lower right); each label, in order, takes the first that overlaps
//     nothing placed so far, or else the least overlapping one;
//  2. repulsion: overlapping labels push each other apart along the axis of least overlap, dots
//     push labels off themselves, a weak spring pulls a label back to its dot; boxes are kept
//     inside the area; up to a few hundred rounds, stopping as soon as nothing overlaps;
//  3. guarantee: a label still overlapping anything is moved to the nearest free spot on rings
//     of growing radius around its dot (checked against the labels already settled and every
//     dot). A label for which no free spot exists (the area is full) is hidden.
// A label whose box ends up farther from its dot than the candidate positions gets a leader line.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace w2v::plot {

struct Box {
  double x0 = 0;
  double y0 = 0;
  double x1 = 0;
  double y1 = 0;
  double width() const { return x1 - x0; }
  double height() const { return y1 - y0; }
};

bool intersects(const Box& a, const Box& b);

// Width of `text` in pixels at `font_size`, by the rule above. Invalid UTF-8 bytes count as wide.
double text_width(std::string_view text, double font_size);

// The box of a label drawn with text-anchor start at baseline point (x, y).
Box label_box(std::string_view text, double x, double y, double font_size);

struct PlacedLabel {
  double x = 0;  // text-anchor start, baseline
  double y = 0;
  Box box;
  bool visible = true;
  bool leader = false;  // moved away from its dot: draw a line
};

struct LabelInput {
  std::vector<std::array<double, 2>> dots;  // pixel centres
  std::vector<std::string> texts;
  double font_size = 14;
  double dot_radius = 5;
  Box area;  // every label box stays inside
  // Optional, per label: the candidate tried first (0 right, 1 upper right, 2 above, ... 4 left,
  // ... 7 lower right); the others follow in order. Empty: 0 for all.
  std::vector<int> first_candidate;
};

std::vector<PlacedLabel> place_labels(const LabelInput& in);

}  // namespace w2v::plot
