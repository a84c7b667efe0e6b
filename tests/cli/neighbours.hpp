// The end-to-end neighbour checks on the shipped English demo text, shared by the plain and the
// MPI end-to-end tests.
#pragma once

#include <gtest/gtest.h>
#include <zlib.h>

#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cli/process.hpp"

namespace w2v::testing {

// The first `lines` lines of a .gz file.
inline std::string head_gz(const std::string& path, int lines) {
  gzFile f = gzopen(path.c_str(), "rb");
  EXPECT_NE(f, nullptr) << path;
  std::string out;
  if (f == nullptr) return out;
  char buf[1 << 16];
  for (int i = 0; i < lines && gzgets(f, buf, sizeof buf) != nullptr; ++i) out += buf;
  gzclose(f);
  return out;
}

// query -> its neighbours in rank order, from w2v's TSV output.
inline std::map<std::string, std::vector<std::string>> neighbours(const std::string& tsv) {
  std::map<std::string, std::vector<std::string>> out;
  std::istringstream in(tsv);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream f(line);
    std::string query, rank, word;
    std::getline(f, query, '\t');
    std::getline(f, rank, '\t');
    std::getline(f, word, '\t');
    out[query].push_back(word);
  }
  return out;
}

inline int overlap(const std::vector<std::string>& got, const std::set<std::string>& expected) {
  int n = 0;
  for (const auto& w : got) n += expected.count(w) ? 1 : 0;
  return n;
}

// The demo text the end-to-end tests train on, and how.
inline std::string demo_english() {
  return head_gz(W2V_SOURCE_DIR "/data/en_wiki_demo.txt.gz", 40000);
}
inline std::vector<std::string> demo_train_options() {
  return {"--dim", "50",          "--epochs", "2", "--tokenize",
          "words", "--lowercase", "--seed",   "3", "-q"};
}

// Neighbours any sensible model of the demo text has. `min_king`: how many of the expected words
// king's 10 neighbours must hold (one process: 5 of them, every run).
inline void expect_sensible_neighbours(const std::string& vectors, int min_king = 2) {
  const auto r = run_w2v({"nearest", "-m", vectors, "-k", "10", "france", "january", "king"});
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  const auto nn = neighbours(r.out);
  EXPECT_GE(overlap(nn.at("france"),
                    {"germany", "spain", "italy", "belgium", "netherlands", "portugal", "austria",
                     "britain", "england", "europe", "french", "paris", "switzerland", "denmark"}),
            3)
      << r.out;
  EXPECT_GE(overlap(nn.at("january"), {"february", "march", "april", "may", "june", "july",
                                       "august", "september", "october", "november", "december"}),
            6)
      << r.out;
  EXPECT_GE(overlap(nn.at("king"), {"queen", "prince", "emperor", "ruler", "throne", "monarch",
                                    "kings", "duke", "reign", "kingdom", "pharaoh", "sultan",
                                    "ferdinand", "darius", "son", "crown", "princess", "lord"}),
            min_king)
      << r.out;
}

}  // namespace w2v::testing
