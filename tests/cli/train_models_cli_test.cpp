// w2v train --model sg|cbow --loss ns|hs through the built binary: every pairing, with and without
// character n-grams (--maxn), learns which words share contexts, and bad combinations are usage
// errors.
#include <gtest/gtest.h>

#include <string>
#include <tuple>
#include <vector>

#include "cli/grouped.hpp"
#include "cli/process.hpp"

namespace w2v {
namespace {

using testing::grouped_text;
using testing::read_file;
using testing::read_text_vectors;
using testing::run_w2v;
using testing::ScratchDir;
using testing::write_file;

// (model, loss, update rule, --maxn): 0 trains words only, 4 with character n-grams of 3-4.
class TrainModelsCli
    : public ::testing::TestWithParam<std::tuple<const char*, const char*, const char*, int>> {};

TEST_P(TrainModelsCli, EveryPairingSeparatesTheGroups) {
  const auto [model, loss, kernel, maxn] = GetParam();
  const std::string name =
      std::string(model) + "/" + loss + " " + kernel + " --maxn " + std::to_string(maxn);
  ScratchDir dir(std::string("models_") + model + "_" + loss + "_" + kernel + "_" +
                 std::to_string(maxn));
  write_file(dir.file("c.txt"), grouped_text());
  std::vector<std::string> args{"train",       dir.file("c.txt"),
                                "-o",          dir.file("v.txt"),
                                "--model",     model,
                                "--loss",      loss,
                                "--kernel",    kernel,
                                "--dim",       "20",
                                "--epochs",    "3",
                                "--min-count", "1",
                                "--sample",    "0",
                                "--threads",   "1",
                                "-q"};
  if (maxn > 0) args.insert(args.end(), {"--maxn", std::to_string(maxn), "--bucket", "5000"});
  auto r = run_w2v(args);
  ASSERT_EQ(r.exit_code, 0) << testing::describe(r);
  auto v = read_text_vectors(read_file(dir.file("v.txt")));
  ASSERT_EQ(v.size(), 40u);
  EXPECT_GT(testing::group_margin(v), 0.3) << name;
}

INSTANTIATE_TEST_SUITE_P(AllPairings, TrainModelsCli,
                         ::testing::Combine(::testing::Values("sg", "cbow"),
                                            ::testing::Values("ns", "hs"),
                                            ::testing::Values("exact", "batched"),
                                            ::testing::Values(0, 4)));

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
