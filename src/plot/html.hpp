// The explorable map of `w2v plot -o map.html`: one self-contained HTML file (the data as inline
// JSON, the script inline, no network access, no external file) that draws the words on a canvas,
// zooms (mouse wheel, +/- keys, buttons) and pans (drag), shows a word's nearest neighbours (in
// the full vector space, computed when the file is written) on hover and click, and searches a
// word (the search box; or the address hash, map.html#search=서울, which is also how tests drive
// it). Labels are drawn greedily in order of frequency and skipped where they would overlap one
// already drawn, so zooming in reveals more of them.
//
// DOM for scripts and tests: body[data-ready="1"] once drawn; #result holds the selected word
// (.word) and its neighbours (li elements: "word score"); #status says "not found: X" for a
// missed search; window.w2vMap.view() / .screen(word) / .find(word) expose the view.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace w2v::plot {

struct MapData {
  std::string title;
  std::string projection;  // named in the corner: "PCA", "t-SNE"
  std::vector<std::string> words;
  std::vector<std::array<double, 2>> points;
  // Per word: its nearest neighbours, best first, with cosine similarities.
  std::vector<std::vector<std::pair<std::string, float>>> neighbours;
};

std::string render_html(const MapData& data);

}  // namespace w2v::plot
