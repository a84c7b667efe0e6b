// Two groups of words (a0..a19, b0..b19) that only co-occur within their group, and how far a
// trained model keeps them apart: the text the training tests of every model pairing learn from.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "util/rng.hpp"

namespace w2v::testing {

// `lines` lines of 12 words, alternately of group a and group b, drawn with `seed`.
inline std::string grouped_text(int lines = 3000, std::uint64_t seed = 4) {
  std::string text;
  Rng rng(seed);
  for (int line = 0; line < lines; ++line) {
    const char group = line % 2 == 0 ? 'a' : 'b';
    for (int k = 0; k < 12; ++k)
      text += std::string(1, group) + std::to_string(rng.below(20)) + " ";
    text += "\n";
  }
  return text;
}

// word -> vector, from word2vec text format (the header's row count is checked).
inline std::map<std::string, std::vector<double>> read_text_vectors(const std::string& text) {
  std::map<std::string, std::vector<double>> v;
  std::istringstream in(text);
  std::size_t rows = 0, dim = 0;
  in >> rows >> dim;
  std::string word;
  while (in >> word) {
    auto& row = v[word];
    row.resize(dim);
    for (auto& x : row) in >> x;
  }
  EXPECT_EQ(v.size(), rows);
  return v;
}

inline double cosine(const std::vector<double>& a, const std::vector<double>& b) {
  double ab = 0, aa = 0, bb = 0;
  for (std::size_t d = 0; d < a.size(); ++d) {
    ab += a[d] * b[d];
    aa += a[d] * a[d];
    bb += b[d] * b[d];
  }
  return ab / std::sqrt(aa * bb);
}

// The mean cosine within a group minus the mean cosine across the groups.
inline double group_margin(std::map<std::string, std::vector<double>>& v) {
  double within = 0, across = 0;
  int nw = 0, na = 0;
  for (int i = 0; i < 20; ++i) {
    for (int j = i + 1; j < 20; ++j) {
      within += cosine(v["a" + std::to_string(i)], v["a" + std::to_string(j)]);
      within += cosine(v["b" + std::to_string(i)], v["b" + std::to_string(j)]);
      nw += 2;
    }
    for (int j = 0; j < 20; ++j) {
      across += cosine(v["a" + std::to_string(i)], v["b" + std::to_string(j)]);
      ++na;
    }
  }
  return within / nw - across / na;
}

}  // namespace w2v::testing
