// w2v train through the built binary: inputs, outputs, formats, determinism, exit codes.
#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <sstream>

#include "cli/process.hpp"
#include "util/rng.hpp"

namespace w2v {
namespace {

using testing::read_file;
using testing::run_w2v;
using testing::ScratchDir;
using testing::write_file;

std::string small_corpus() {
  std::string text;
  Rng rng(2);
  for (int line = 0; line < 600; ++line) {
    for (int k = 0; k < 10; ++k) text += "w" + std::to_string(rng.below(40)) + " ";
    text += "\n";
  }
  return text;
}

struct Parsed {
  std::size_t rows = 0, dim = 0;
  std::vector<std::string> words;
  std::vector<float> values;
};

Parsed parse_binary(const std::string& bytes) {
  Parsed p;
  std::size_t pos = bytes.find('\n');
  std::istringstream header(bytes.substr(0, pos));
  header >> p.rows >> p.dim;
  ++pos;
  for (std::size_t r = 0; r < p.rows; ++r) {
    const std::size_t sp = bytes.find(' ', pos);
    p.words.push_back(bytes.substr(pos, sp - pos));
    pos = sp + 1;
    for (std::size_t d = 0; d < p.dim; ++d) {
      float v;
      std::memcpy(&v, bytes.data() + pos, 4);
      p.values.push_back(v);
      pos += 4;
    }
    EXPECT_EQ(bytes[pos], '\n') << "row " << r;
    ++pos;
  }
  EXPECT_EQ(pos, bytes.size());
  return p;
}

Parsed parse_text(const std::string& text) {
  Parsed p;
  std::istringstream in(text);
  in >> p.rows >> p.dim;
  for (std::size_t r = 0; r < p.rows; ++r) {
    std::string w;
    in >> w;
    p.words.push_back(w);
    for (std::size_t d = 0; d < p.dim; ++d) {
      float v;
      in >> v;
      p.values.push_back(v);
    }
  }
  return p;
}

TEST(TrainCli, WritesBinaryAndTextThatAgreeExactly) {
  ScratchDir dir(::testing::UnitTest::GetInstance()->current_test_info()->name());
  write_file(dir.file("c.txt"), small_corpus());
  const std::vector<std::string> common{
      "train", dir.file("c.txt"), "--threads", "1",           "--seed", "5", "--dim",
      "12",    "--epochs",        "2",         "--min-count", "1",      "-q"};
  auto args = common;
  args.insert(args.end(), {"-o", dir.file("v.bin")});
  auto r = run_w2v(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.out.empty()) << "stdout carries results only";
  args = common;
  args.insert(args.end(), {"-o", dir.file("v.txt")});
  ASSERT_EQ(run_w2v(args).exit_code, 0);
  const Parsed bin = parse_binary(read_file(dir.file("v.bin")));
  const Parsed txt = parse_text(read_file(dir.file("v.txt")));
  EXPECT_EQ(bin.rows, 40u);
  EXPECT_EQ(bin.dim, 12u);
  EXPECT_EQ(bin.words, txt.words);
  EXPECT_EQ(bin.values, txt.values) << "text values must round-trip to the same floats";
  // --format overrides the extension.
  args = common;
  args.insert(args.end(), {"-o", dir.file("v2.txt"), "--format", "binary"});
  ASSERT_EQ(run_w2v(args).exit_code, 0);
  EXPECT_EQ(read_file(dir.file("v2.txt")), read_file(dir.file("v.bin")));
}

TEST(TrainCli, OneThreadSameSeedIsByteIdentical) {
  ScratchDir dir(::testing::UnitTest::GetInstance()->current_test_info()->name());
  write_file(dir.file("c.txt"), small_corpus());
  for (const char* out : {"a.bin", "b.bin"}) {
    auto r = run_w2v({"train", dir.file("c.txt"), "-o", dir.file(out), "--threads", "1", "--seed",
                      "9", "--min-count", "1", "--dim", "16", "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  EXPECT_EQ(read_file(dir.file("a.bin")), read_file(dir.file("b.bin")));
  run_w2v({"train", dir.file("c.txt"), "-o", dir.file("c.bin"), "--threads", "1", "--seed", "10",
           "--min-count", "1", "--dim", "16", "-q"});
  EXPECT_NE(read_file(dir.file("a.bin")), read_file(dir.file("c.bin")));
}

TEST(TrainCli, StdinIsReadOnceAndTrainsEveryEpoch) {
  ScratchDir dir(::testing::UnitTest::GetInstance()->current_test_info()->name());
  const std::string corpus = small_corpus();
  write_file(dir.file("c.txt"), corpus);
  const std::vector<std::string> opts{"--threads", "1",        "--min-count", "1",      "--dim",
                                      "8",         "--epochs", "3",           "--seed", "2"};
  auto a = opts;
  a.insert(a.begin(), {"train", "-", "-o", dir.file("stdin.bin")});
  testing::RunOptions in;
  in.stdin_data = corpus;
  auto r = run_w2v(a, in);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("done"), std::string::npos);
  auto b = opts;
  b.insert(b.begin(), {"train", dir.file("c.txt"), "-o", dir.file("file.bin"), "-q"});
  ASSERT_EQ(run_w2v(b).exit_code, 0);
  EXPECT_EQ(read_file(dir.file("stdin.bin")), read_file(dir.file("file.bin")));
}

TEST(TrainCli, DefaultOutputIsVectorsBinInTheCurrentDirectory) {
  ScratchDir dir(::testing::UnitTest::GetInstance()->current_test_info()->name());
  write_file(dir.file("c.txt"), small_corpus());
  const std::string cmd =
      "cd '" + dir.path().string() + "' && '" W2V_BINARY "' train c.txt --min-count 1 --dim 4 -q";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  EXPECT_EQ(read_file(dir.file("vectors.bin")).substr(0, 5), "40 4\n");
}

TEST(TrainCli, SaveVocabThenReadVocab) {
  ScratchDir dir(::testing::UnitTest::GetInstance()->current_test_info()->name());
  write_file(dir.file("c.txt"), "a a a b b c\n");
  auto r = run_w2v({"train", dir.file("c.txt"), "-o", dir.file("v.txt"), "--min-count", "2",
                    "--save-vocab", dir.file("vocab.txt"), "-q", "--dim", "4"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read_file(dir.file("vocab.txt")), "a 3\nb 2\n");
  write_file(dir.file("vocab2.txt"), "c 9\nb 1\n");
  r = run_w2v({"train", dir.file("c.txt"), "-o", dir.file("v2.txt"), "--min-count", "1",
               "--read-vocab", dir.file("vocab2.txt"), "-q", "--dim", "4"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read_file(dir.file("v2.txt")).substr(0, 6), "2 4\nc ");
}

TEST(TrainCli, ExitCodes) {
  ScratchDir dir(::testing::UnitTest::GetInstance()->current_test_info()->name());
  write_file(dir.file("c.txt"), small_corpus());
  auto r = run_w2v({"train", dir.file("missing.txt"), "-o", dir.file("v.bin")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("missing.txt"), std::string::npos) << r.err;
  r = run_w2v({"train", dir.file("c.txt"), "--no-such-flag"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  r = run_w2v({"train", dir.file("c.txt"), "--dim", "0", "--window", "-1", "--lr", "nan"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("--dim"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--window"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--lr"), std::string::npos) << r.err;
  r = run_w2v({"train", dir.file("c.txt"), "--threads", "0"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("--threads 0 is out of range"), std::string::npos) << r.err;
  r = run_w2v({});
  EXPECT_EQ(r.exit_code, 2);
  r = run_w2v({"--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("train"), std::string::npos);
}

TEST(TrainCli, SummaryReportsCounts) {
  ScratchDir dir(::testing::UnitTest::GetInstance()->current_test_info()->name());
  write_file(dir.file("c.txt"),
             std::string("ok ok ok bad\xff word\n") + std::string(300, 'x') + "\n");
  auto r = run_w2v(
      {"train", dir.file("c.txt"), "-o", dir.file("v.bin"), "--min-count", "1", "--dim", "4"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("1 invalid UTF-8 bytes replaced"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("1 tokens truncated at 100 bytes"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("vocabulary 4"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace w2v
