// SVG scatter plot of 2-D points with a label per point, for `w2v plot`.
//
// Layout: white background, a title, one or more panels side by side (each `width` x `height`,
// with its own scale: the lesson's "before" and "after" figures). A panel is a framed plot area
// with the axes through the origin drawn dashed, axis names, one circle per point and one text
// label per point placed by plot/labels.hpp (no two labels overlap, no label covers a dot, a thin
// leader line joins a moved label to its dot), and optional arrows between points (word pairs).
// Both axes of a panel use the same scale, so distances on the page are proportional to
// distances in the projection. Labels are XML-escaped; bytes that are not UTF-8
// and characters XML 1.0 forbids (controls) become U+FFFD. The font list names Korean-capable
// fonts first ("Noto Sans CJK KR", NanumGothic, ...) so Hangul renders wherever one is installed.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace w2v::plot {

struct SvgOptions {
  std::string title = "Word vectors (PCA)";
  std::string x_label = "PC1";
  std::string y_label = "PC2";
  int width = 900;
  int height = 700;
};

inline constexpr const char* kFontFamily =
    "'Noto Sans CJK KR', 'Noto Sans KR', NanumGothic, 'Nanum Gothic', 'Apple SD Gothic Neo', "
    "'Malgun Gothic', 'Noto Sans', 'DejaVu Sans', sans-serif";

// Text safe inside an XML element or a double-quoted attribute.
std::string xml_escape(std::string_view text);

struct Panel {
  std::string title;  // above the panel; empty: none
  std::string x_label = "PC1";
  std::string y_label = "PC2";
  std::vector<std::string> labels;
  std::vector<std::array<double, 2>> points;
  std::vector<std::array<std::size_t, 2>> arrows;  // from point, to point (indices)
};

inline constexpr double kLabelFontSize = 14;
inline constexpr double kDotRadius = 5;

// One panel, titled options.title, axes named options.x_label / y_label.
std::string render_svg(const std::vector<std::string>& labels,
                       const std::vector<std::array<double, 2>>& points, const SvgOptions& options);

// Panels side by side under options.title; the image is panels.size() * width wide. `hidden`,
// if given, receives the number of labels left out for want of room (their dots are drawn).
std::string render_panels(const std::vector<Panel>& panels, const SvgOptions& options,
                          std::size_t* hidden = nullptr);

// Writes the SVG atomically (temporary file + rename). Throws w2v::Error on I/O errors.
void write_svg(const std::string& path, const std::string& svg);

// Converts SVG text to a PNG file with rsvg-convert (Debian package librsvg2-bin), written
// atomically. Throws w2v::Error if rsvg-convert is not installed or fails.
void write_png(const std::string& path, const std::string& svg, int width, int height);

}  // namespace w2v::plot
