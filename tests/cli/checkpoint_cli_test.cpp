// w2v train --checkpoint / --resume / --stop-after / --init through the built binary: a run
// split in two is byte-identical to one run (--threads 1), a Ctrl-C leaves a checkpoint that
// resumes, damaged checkpoints and mismatched runs are refused clearly, and --init starts old
// words where they were.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "cli/process.hpp"

namespace w2v {
namespace {

using testing::describe;
using ::testing::HasSubstr;
using testing::make_corpus;
using testing::read_file;
using testing::run_w2v;
using testing::RunOptions;
using testing::ScratchDir;
using testing::write_file;

std::string test_name() {
  std::string n = ::testing::UnitTest::GetInstance()->current_test_info()->name();
  for (char& c : n) {
    if (c == '/') c = '_';
  }
  return n;
}

std::vector<std::string> with(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// word -> the text of its vector ("0.1 -0.2 ..."), from a word2vec text file.
std::map<std::string, std::string> text_rows(const std::string& path) {
  std::map<std::string, std::string> rows;
  std::istringstream in(read_file(path));
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    const auto sp = line.find(' ');
    rows[line.substr(0, sp)] = line.substr(sp + 1);
  }
  return rows;
}

struct Pairing {
  const char* model;
  const char* loss;
  bool ngrams = false;  // with character n-grams (--maxn 4): the n-gram rows are saved too
};

class CheckpointResume : public ::testing::TestWithParam<Pairing> {};

TEST_P(CheckpointResume, TwoEpochsThenThreeMoreIsByteIdenticalToFive) {
  ScratchDir dir(test_name());
  write_file(dir.file("c.txt"), make_corpus(1500, 12, 200, 5));
  std::vector<std::string> common{"train",       dir.file("c.txt"),
                                  "--threads",   "1",
                                  "--seed",      "11",
                                  "--dim",       "16",
                                  "--epochs",    "5",
                                  "--model",     GetParam().model,
                                  "--loss",      GetParam().loss,
                                  "--min-count", "1",
                                  "-q"};
  if (GetParam().ngrams) common = with(common, {"--maxn", "4", "--minn", "2", "--bucket", "3000"});
  const auto full = run_w2v(with(common, {"-o", dir.file("full.bin")}));
  ASSERT_EQ(full.exit_code, 0) << describe(full);

  const auto first = run_w2v(with(common, {"-o", dir.file("split.bin"), "--checkpoint",
                                           dir.file("run.ckpt"), "--stop-after", "2"}));
  ASSERT_EQ(first.exit_code, 0) << describe(first);
  EXPECT_FALSE(std::filesystem::exists(dir.file("split.bin")))
      << "--stop-after wrote vectors of an unfinished run";
  ASSERT_TRUE(std::filesystem::exists(dir.file("run.ckpt")));

  // Only the corpus, the output and the checkpoint: the options come from the checkpoint.
  const auto second = run_w2v(
      {"train", dir.file("c.txt"), "-o", dir.file("split.bin"), "--resume", dir.file("run.ckpt")});
  ASSERT_EQ(second.exit_code, 0) << describe(second);
  EXPECT_THAT(second.err, HasSubstr("continuing a run at epoch 3 of 5"));
  EXPECT_EQ(read_file(dir.file("split.bin")), read_file(dir.file("full.bin")))
      << "2 epochs + resume for 3 differ from 5 epochs in one run";

  // The same corpus trained 2 epochs less is not the same model (the comparison can fail).
  auto three = with(common, {"-o", dir.file("three.bin")});
  *std::find(three.begin(), three.end(), "5") = "3";  // --epochs 3
  const auto shorter = run_w2v(three);
  ASSERT_EQ(shorter.exit_code, 0) << describe(shorter);
  EXPECT_NE(read_file(dir.file("three.bin")), read_file(dir.file("full.bin")));
}

INSTANTIATE_TEST_SUITE_P(Checkpoint, CheckpointResume,
                         ::testing::Values(Pairing{"sg", "ns"}, Pairing{"cbow", "hs"},
                                           Pairing{"cbow", "ns"}, Pairing{"sg", "ns", true},
                                           Pairing{"cbow", "hs", true}),
                         [](const auto& info) {
                           return std::string(info.param.model) + "_" + info.param.loss +
                                  (info.param.ngrams ? "_ngrams" : "");
                         });

TEST(CheckpointCli, SigintWritesACheckpointThatResumesToTheSameModel) {
  ScratchDir dir(test_name());
  write_file(dir.file("c.txt"), make_corpus(2000, 15, 300, 9));
  const std::vector<std::string> common{
      "train", dir.file("c.txt"), "--threads", "1",           "--seed", "4", "--dim",
      "16",    "--epochs",        "25",        "--min-count", "1"};
  const auto full = run_w2v(with(common, {"-o", dir.file("full.bin"), "-q"}));
  ASSERT_EQ(full.exit_code, 0) << describe(full);

  write_file(dir.file("out.bin"), "earlier\n");
  RunOptions opt;
  opt.signal = SIGINT;
  opt.signal_when = "after epoch 2";  // the checkpoint's log line: training is under way
  opt.timeout_seconds = 60;
  const auto cut =
      run_w2v(with(common, {"-o", dir.file("out.bin"), "--checkpoint", dir.file("run.ckpt")}), opt);
  ASSERT_EQ(cut.exit_code, 130) << describe(cut);
  EXPECT_THAT(cut.err, HasSubstr("continue with: w2v train"));
  EXPECT_THAT(cut.err, HasSubstr("--resume " + dir.file("run.ckpt")));
  EXPECT_EQ(read_file(dir.file("out.bin")), "earlier\n") << "the unfinished run wrote -o";
  EXPECT_EQ(dir.entries(), (std::set<std::string>{"c.txt", "full.bin", "out.bin", "run.ckpt"}))
      << "temporary files left behind";

  const auto resumed = run_w2v(
      {"train", dir.file("c.txt"), "-o", dir.file("out.bin"), "--resume", dir.file("run.ckpt")});
  ASSERT_EQ(resumed.exit_code, 0) << describe(resumed);
  EXPECT_THAT(resumed.err, HasSubstr("continuing an interrupted run at epoch"));
  // The stop comes at a safe point (between two sentences, at the 10,000-word sync), so one
  // thread continues exactly: the same bytes as the uninterrupted run.
  EXPECT_EQ(read_file(dir.file("out.bin")), read_file(dir.file("full.bin")));
}

class CheckpointErrors : public ::testing::Test {
 protected:
  void SetUp() override {
    write_file(corpus, make_corpus(400, 10, 80, 2));
    const auto r = run_w2v({"train", corpus, "-o", dir.file("v.bin"), "--threads", "1", "--dim",
                            "8", "--epochs", "2", "--min-count", "1", "-q", "--checkpoint", ckpt});
    ASSERT_EQ(r.exit_code, 0) << describe(r);
  }
  testing::RunResult resume(const std::string& file, std::vector<std::string> extra = {}) {
    return run_w2v(with({"train", corpus, "-o", dir.file("r.bin"), "-q", "--resume", file}, extra));
  }
  ScratchDir dir{test_name()};
  std::string corpus = dir.file("c.txt");
  std::string ckpt = dir.file("run.ckpt");
};

TEST_F(CheckpointErrors, TruncatedCorruptOrForeignFilesAreRefusedByName) {
  const std::string good = read_file(ckpt);
  ASSERT_GT(good.size(), 1000u);

  write_file(dir.file("cut.ckpt"), good.substr(0, good.size() / 2));
  auto r = resume(dir.file("cut.ckpt"));
  EXPECT_EQ(r.exit_code, 1) << describe(r);
  EXPECT_THAT(r.err, HasSubstr(dir.file("cut.ckpt") + ": not a usable checkpoint: truncated"));

  std::string flipped = good;
  flipped[flipped.size() - 100] ^= 0x10;  // inside the output matrix
  write_file(dir.file("flip.ckpt"), flipped);
  r = resume(dir.file("flip.ckpt"));
  EXPECT_EQ(r.exit_code, 1) << describe(r);
  EXPECT_THAT(r.err, HasSubstr(dir.file("flip.ckpt") + ": not a usable checkpoint: the CRC-32"));

  r = resume(dir.file("v.bin"));
  EXPECT_EQ(r.exit_code, 1) << describe(r);
  EXPECT_THAT(r.err, HasSubstr(dir.file("v.bin") + ": not a usable checkpoint: it does not start"));

  std::string future = good;
  future[8] = 9;  // version
  write_file(dir.file("v9.ckpt"), future);
  r = resume(dir.file("v9.ckpt"));
  EXPECT_EQ(r.exit_code, 1) << describe(r);
  EXPECT_THAT(r.err, HasSubstr("version 9; this w2v reads version 1"));
  EXPECT_FALSE(std::filesystem::exists(dir.file("r.bin")));
}

TEST_F(CheckpointErrors, OtherOptionsOrAnotherCorpusAreRefused) {
  auto r = resume(ckpt, {"--dim", "16", "--epochs", "2"});
  EXPECT_EQ(r.exit_code, 2) << describe(r);
  EXPECT_THAT(r.err, HasSubstr("--dim 16 (the checkpoint has 8)"));
  EXPECT_THAT(r.err, ::testing::Not(HasSubstr("--epochs")));  // the same value is fine
  r = resume(ckpt, {"--maxn", "4"});  // the n-gram options are the run's too
  EXPECT_EQ(r.exit_code, 2) << describe(r);
  EXPECT_THAT(r.err, HasSubstr("--maxn 4 (the checkpoint has 0)"));

  write_file(dir.file("other.txt"), make_corpus(400, 10, 80, 3));
  r = run_w2v({"train", dir.file("other.txt"), "-o", dir.file("r.bin"), "-q", "--resume", ckpt});
  EXPECT_EQ(r.exit_code, 1) << describe(r);
  EXPECT_THAT(r.err, HasSubstr("the corpus is not the one the checkpoint was trained on"));

  r = run_w2v({"train", corpus, "-o", dir.file("r.bin"), "-q", "--stop-after", "1"});
  EXPECT_EQ(r.exit_code, 2) << describe(r);
  EXPECT_THAT(r.err, HasSubstr("--stop-after needs --checkpoint FILE"));

  r = resume(ckpt, {"--init", dir.file("v.bin")});
  EXPECT_EQ(r.exit_code, 2) << describe(r);
}

// Old corpus: words w0..w59; the new one adds n0..n19 (and lacks some rare old words).
std::string new_corpus() {
  std::string text = make_corpus(300, 10, 40, 8);
  for (int i = 0; i < 200; ++i)
    text += "n" + std::to_string(i % 20) + " w1 w2 n" + std::to_string((i * 7) % 20) + "\n";
  return text;
}

TEST(CheckpointInit, FromVectorsOldWordsStartWhereTheyWereNewWordsAreAdded) {
  ScratchDir dir(test_name());
  write_file(dir.file("old.txt"), make_corpus(400, 10, 60, 1));
  write_file(dir.file("new.txt"), new_corpus());
  auto r = run_w2v({"train", dir.file("old.txt"), "-o", dir.file("old.vec"), "--dim", "12",
                    "--min-count", "1", "--epochs", "2", "-q"});
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  r = run_w2v({"train", dir.file("new.txt"), "--init", dir.file("old.vec"), "--save-init",
               dir.file("start.txt"), "-o", dir.file("new.vec"), "--min-count", "3", "--epochs",
               "1"});
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_THAT(r.err, HasSubstr("a vectors file has no output layer"));
  const auto old_rows = text_rows(dir.file("old.vec"));
  const auto start = text_rows(dir.file("start.txt"));
  const auto trained = text_rows(dir.file("new.vec"));
  ASSERT_GT(old_rows.size(), 40u);
  for (const auto& [w, row] : old_rows) {
    ASSERT_TRUE(start.count(w)) << w << " from --init was dropped";
    EXPECT_EQ(start.at(w), row) << w << " does not start from its --init vector";
  }
  for (int i = 0; i < 20; ++i) {
    EXPECT_TRUE(start.count("n" + std::to_string(i))) << "new word n" << i << " not added";
  }
  EXPECT_EQ(start.size(), old_rows.size() + 20);
  EXPECT_EQ(trained.size(), start.size());
  EXPECT_NE(trained.at("w1"), start.at("w1")) << "training did not move an old word";

  r = run_w2v({"train", dir.file("new.txt"), "--init", dir.file("old.vec"), "--dim", "20", "-o",
               dir.file("x.vec"), "-q"});
  EXPECT_EQ(r.exit_code, 2) << describe(r);
  EXPECT_THAT(r.err, HasSubstr("--dim 20 does not match --init " + dir.file("old.vec") +
                               ", whose vectors have 12 dimensions"));
}

TEST(CheckpointInit, FromACheckpointCarriesBothLayers) {
  ScratchDir dir(test_name());
  write_file(dir.file("old.txt"), make_corpus(400, 10, 60, 1));
  write_file(dir.file("new.txt"), new_corpus());
  auto r =
      run_w2v({"train", dir.file("old.txt"), "-o", dir.file("old.vec"), "--dim", "12",
               "--min-count", "1", "--epochs", "2", "-q", "--checkpoint", dir.file("old.ckpt")});
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  r = run_w2v({"train", dir.file("new.txt"), "--init", dir.file("old.ckpt"), "--save-init",
               dir.file("start.txt"), "-o", dir.file("new.vec"), "--min-count", "3", "--epochs",
               "1"});
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_THAT(r.err, HasSubstr("start from its vectors (input and output rows)"));
  const auto old_rows = text_rows(dir.file("old.vec"));  // the checkpoint's last epoch
  const auto start = text_rows(dir.file("start.txt"));
  for (const auto& [w, row] : old_rows) {
    ASSERT_TRUE(start.count(w)) << w;
    EXPECT_EQ(start.at(w), row) << w << " does not start from the checkpoint's vector";
  }
  EXPECT_EQ(start.size(), old_rows.size() + 20);

  // With --loss hs the output rows are tree nodes of another tree: they start afresh.
  r = run_w2v({"train", dir.file("new.txt"), "--init", dir.file("old.ckpt"), "-o",
               dir.file("hs.vec"), "--loss", "hs", "--epochs", "1"});
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_THAT(r.err, HasSubstr("the output layer starts afresh"));
}

// A checkpoint trained with n-grams: --init with the same n-gram options carries the n-gram
// rows, so every old word starts from its old vector (the mean of its rows) exactly; a run
// without n-grams starts old words from those means too; other n-gram options start the n-gram
// rows afresh.
TEST(CheckpointInit, FromANgramCheckpointCarriesTheNgramRows) {
  ScratchDir dir(test_name());
  write_file(dir.file("old.txt"), make_corpus(400, 10, 60, 1));
  write_file(dir.file("new.txt"), new_corpus());
  const std::vector<std::string> grams{"--maxn", "4", "--minn", "2", "--bucket", "3000"};
  auto r = run_w2v(
      with({"train", dir.file("old.txt"), "-o", dir.file("old.vec"), "--dim", "12", "--min-count",
            "1", "--epochs", "2", "-q", "--checkpoint", dir.file("old.ckpt")},
           grams));
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  const auto old_rows = text_rows(dir.file("old.vec"));
  ASSERT_GT(old_rows.size(), 40u);
  auto start_from = [&](const std::string& name, const std::vector<std::string>& extra) {
    const auto run = run_w2v(
        with({"train", dir.file("new.txt"), "--init", dir.file("old.ckpt"), "--save-init",
              dir.file(name), "-o", dir.file("new.vec"), "--min-count", "3", "--epochs", "1"},
             extra));
    EXPECT_EQ(run.exit_code, 0) << describe(run);
    return std::make_pair(run.err, text_rows(dir.file(name)));
  };
  auto same = [&](const std::map<std::string, std::string>& start) {
    int equal = 0;
    for (const auto& [w, row] : old_rows) equal += start.count(w) && start.at(w) == row ? 1 : 0;
    return equal;
  };

  const auto [err, start] = start_from("start.txt", grams);
  EXPECT_THAT(err, HasSubstr("the 3000 n-gram rows from its n-gram rows"));
  EXPECT_EQ(same(start), static_cast<int>(old_rows.size()))
      << "old words do not start from their vectors: the n-gram rows were not carried";
  EXPECT_EQ(start.size(), old_rows.size() + 20);

  const auto [plain_err, plain] = start_from("plain.txt", {});
  EXPECT_EQ(same(plain), static_cast<int>(old_rows.size())) << "the means were not carried";

  auto other = grams;
  other[1] = "5";  // --maxn 5: other buckets, so a word's rows are not its old ones
  const auto [other_err, other_start] = start_from("other.txt", other);
  EXPECT_THAT(other_err, HasSubstr("the n-gram rows afresh (other n-gram options there)"));
  EXPECT_LT(same(other_start), static_cast<int>(old_rows.size()) / 2);
}

}  // namespace
}  // namespace w2v
