// w2v train --model sg|cbow --loss ns|hs through the built binary: every pairing learns which
// words share contexts, and bad combinations are usage errors.
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

class TrainModelsCli
    : public ::testing::TestWithParam<std::tuple<const char*, const char*, const char*>> {};

TEST_P(TrainModelsCli, EveryPairingSeparatesTheGroups) {
  const auto [model, loss, kernel] = GetParam();
  ScratchDir dir(std::string("models_") + model + "_" + loss + "_" + kernel);
  write_file(dir.file("c.txt"), grouped_text());
  auto r = run_w2v({"train",       dir.file("c.txt"),
                    "-o",          dir.file("v.txt"),
                    "--model",     model,
                    "--loss",      loss,
                    "--kernel",    kernel,
                    "--dim",       "20",
                    "--epochs",    "3",
                    "--min-count", "1",
                    "--sample",    "0",
                    "--threads",   "1",
                    "-q"});
  ASSERT_EQ(r.exit_code, 0) << testing::describe(r);
  auto v = read_text_vectors(read_file(dir.file("v.txt")));
  ASSERT_EQ(v.size(), 40u);
  // Mean cosine within a group against across the groups.
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

INSTANTIATE_TEST_SUITE_P(AllPairings, TrainModelsCli,
                         ::testing::Combine(::testing::Values("sg", "cbow"),
                                            ::testing::Values("ns", "hs"),
                                            ::testing::Values("exact", "batched")));

TEST(TrainModelsCli, BadModelOrLossIsAUsageError) {
  ScratchDir dir("models_bad");
  write_file(dir.file("c.txt"), grouped_text());
  auto r = run_w2v({"train", dir.file("c.txt"), "-o", dir.file("v.bin"), "--model", "glove"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--model 'glove'"), std::string::npos) << r.err;
  r = run_w2v({"train", dir.file("c.txt"), "-o", dir.file("v.bin"), "--loss", "softmax"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--loss 'softmax'"), std::string::npos) << r.err;
  r = run_w2v(
      {"train", dir.file("c.txt"), "-o", dir.file("v.bin"), "--loss", "hs", "--negative", "5"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--negative does not apply to --loss hs"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace w2v
