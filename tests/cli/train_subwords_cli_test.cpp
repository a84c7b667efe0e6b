// w2v train --maxn (character n-grams, fastText's model) through the built binary: every pairing
// of model, loss and update rule learns which words share contexts, and the options that do not
// go with n-grams are usage errors.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "cli/process.hpp"
#include "util/rng.hpp"

namespace w2v {
namespace {

using testing::read_file;
using testing::run_w2v;
using testing::ScratchDir;
using testing::write_file;

// Words of two groups (a*, b*) that only co-occur within their group.
std::string grouped_text() {
  std::string text;
  Rng rng(4);
  for (int line = 0; line < 3000; ++line) {
    const char group = line % 2 == 0 ? 'a' : 'b';
    for (int k = 0; k < 12; ++k)
      text += std::string(1, group) + std::to_string(rng.below(20)) + " ";
    text += "\n";
  }
  return text;
}

std::map<std::string, std::vector<double>> read_text_vectors(const std::string& text) {
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

double cosine(const std::vector<double>& a, const std::vector<double>& b) {
  double ab = 0, aa = 0, bb = 0;
  for (std::size_t d = 0; d < a.size(); ++d) {
    ab += a[d] * b[d];
    aa += a[d] * a[d];
    bb += b[d] * b[d];
  }
  return ab / std::sqrt(aa * bb);
}

class TrainSubwordsCli
    : public ::testing::TestWithParam<std::tuple<const char*, const char*, const char*>> {};

TEST_P(TrainSubwordsCli, EveryPairingSeparatesTheGroups) {
  const auto [model, loss, kernel] = GetParam();
  ScratchDir dir(std::string("subwords_") + model + "_" + loss + "_" + kernel);
  write_file(dir.file("c.txt"), grouped_text());
  auto r = run_w2v({"train",       dir.file("c.txt"),
                    "-o",          dir.file("v.txt"),
                    "--model",     model,
                    "--loss",      loss,
                    "--kernel",    kernel,
                    "--dim",       "20",
                    "--epochs",    "3",
                    "--maxn",      "4",
                    "--bucket",    "5000",
                    "--min-count", "1",
                    "--sample",    "0",
                    "--threads",   "1",
                    "-q"});
  ASSERT_EQ(r.exit_code, 0) << testing::describe(r);
  auto v = read_text_vectors(read_file(dir.file("v.txt")));
  ASSERT_EQ(v.size(), 40u);
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
  EXPECT_GT(within / nw, across / na + 0.3) << model << "/" << loss << " " << kernel;
}

INSTANTIATE_TEST_SUITE_P(AllPairings, TrainSubwordsCli,
                         ::testing::Combine(::testing::Values("sg", "cbow"),
                                            ::testing::Values("ns", "hs"),
                                            ::testing::Values("exact", "batched")));

TEST(TrainSubwordsCli, OptionsThatDoNotGoWithNgramsAreUsageErrors) {
  ScratchDir dir("subwords_bad");
  write_file(dir.file("c.txt"), grouped_text());
  const std::string c = dir.file("c.txt"), o = dir.file("v.bin");
  auto r = run_w2v({"train", c, "-o", o, "--maxn", "3", "--minn", "4"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--minn 4 is more than --maxn 3"), std::string::npos) << r.err;
  r = run_w2v({"train", c, "-o", o, "--jamo"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--jamo"), std::string::npos) << r.err;
  r = run_w2v({"train", c, "-o", o, "--maxn", "6", "--jamo", "--save-fasttext", dir.file("m.bin")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--save-fasttext with --jamo"), std::string::npos) << r.err;
  r = run_w2v({"train", c, "-o", o, "--maxn", "6", "--bucket", "0"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--bucket"), std::string::npos) << r.err;
  r = run_w2v({"train", c, "-o", o, "--maxn", "6", "--snapshots", dir.file("snaps")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--snapshots"), std::string::npos) << r.err;
}

// --jamo trains (Korean words share the n-grams of their letters) and writes every word.
TEST(TrainSubwordsCli, JamoTrainsOnHangul) {
  ScratchDir dir("subwords_jamo");
  std::string text;
  Rng rng(5);
  const std::vector<std::string> words{"\xED\x95\x9C\xEA\xB5\xAD", "\xED\x95\x9C\xEA\xB8\x80",
                                       "\xEC\x84\x9C\xEC\x9A\xB8", "\xEB\xB6\x80\xEC\x82\xB0"};
  for (int line = 0; line < 500; ++line) {
    for (int k = 0; k < 8; ++k) text += words[rng.below(4)] + " ";
    text += "\n";
  }
  write_file(dir.file("k.txt"), text);
  auto r = run_w2v({"train", dir.file("k.txt"), "-o", dir.file("v.txt"), "--maxn", "6", "--jamo",
                    "--bucket", "1000", "--dim", "10", "--min-count", "1", "--threads", "1", "-q"});
  ASSERT_EQ(r.exit_code, 0) << testing::describe(r);
  EXPECT_EQ(read_text_vectors(read_file(dir.file("v.txt"))).size(), 4u);
}

}  // namespace
}  // namespace w2v
