// w2v train --maxn (character n-grams, fastText's model) through the built binary: the options
// that do not go with n-grams are usage errors, and --jamo trains on Hangul. (Every pairing of
// model, loss and update rule with n-grams is in train_models_cli_test.cpp.)
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cli/grouped.hpp"
#include "cli/process.hpp"
#include "util/rng.hpp"

namespace w2v {
namespace {

using testing::grouped_text;
using testing::read_file;
using testing::read_text_vectors;
using testing::run_w2v;
using testing::ScratchDir;
using testing::write_file;

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
}

// --save-init and --snapshots write what the output holds: each word's vector, the mean of its
// own row and its n-gram rows. The last snapshot equals the output only if it is composed too.
TEST(TrainSubwordsCli, SnapshotsHoldTheComposedVectors) {
  ScratchDir dir("subwords_snapshots");
  write_file(dir.file("c.txt"), grouped_text());
  const auto r =
      run_w2v({"train", dir.file("c.txt"), "-o", dir.file("v.txt"), "--maxn", "4", "--bucket",
               "2000", "--dim", "10", "--epochs", "2", "--threads", "1", "--snapshots",
               dir.file("snaps"), "--save-init", dir.file("init.txt"), "-q"});
  ASSERT_EQ(r.exit_code, 0) << testing::describe(r);
  const std::string out = read_file(dir.file("v.txt"));
  EXPECT_EQ(read_file(dir.file("snaps/epoch-2.txt")), out);
  EXPECT_EQ(read_file(dir.file("snaps/epoch-0.txt")), read_file(dir.file("init.txt")));
  EXPECT_NE(read_file(dir.file("snaps/epoch-1.txt")), out);
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
