// `w2v train` on bad input and bad options: each case gets a clear message naming the file, the
// documented exit code (1 bad input, 2 usage), no crash and no hang; nothing at the output path.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "process.hpp"

namespace w2v {
namespace {

using testing::describe;
using testing::drop_to_nobody;
using testing::gzip;
using ::testing::HasSubstr;
using testing::make_corpus;
using ::testing::Not;
using testing::read_file;
using testing::run_w2v;
using testing::RunOptions;
using testing::RunResult;
using testing::ScratchDir;
using testing::write_file;

// Small, fast training settings for the cases that are expected to succeed.
const std::vector<std::string> kFast = {"--dim",     "8", "--epochs",    "1",
                                        "--threads", "2", "--min-count", "1"};

std::vector<std::string> train_args(const std::vector<std::string>& inputs, const std::string& out,
                                    std::vector<std::string> extra = {}) {
  std::vector<std::string> a{"train"};
  a.insert(a.end(), inputs.begin(), inputs.end());
  a.push_back("-o");
  a.push_back(out);
  a.insert(a.end(), extra.begin(), extra.end());
  return a;
}

// Bad input: exit 1, the message names the file, nothing written.
void expect_input_error(const RunResult& r, const std::string& path, const std::string& message,
                        const std::string& out) {
  EXPECT_EQ(r.exit_code, 1) << describe(r);
  EXPECT_THAT(r.err, HasSubstr("w2v: error: " + path + ": " + message)) << describe(r);
  EXPECT_FALSE(testing::fs::exists(out));
}

TEST(TrainErrors, MissingFile) {
  ScratchDir d("missing");
  const auto in = d.file("nope.txt"), out = d.file("v.bin");
  const auto r = run_w2v(train_args({in}, out));
  expect_input_error(r, in, "cannot open input: No such file or directory", out);
}

#ifndef W2V_WITH_MPI
// The default build started by mpirun with several ranks would train N separate models on the
// whole input, and N ranks would race to write one file: it refuses, before reading anything.
TEST(TrainErrors, PlainBuildUnderMpirunRefuses) {
  ScratchDir dir("train-errors-mpirun");
  write_file(dir.file("c.txt"), make_corpus(100, 10, 50));
  const auto r = testing::run_command({"/usr/bin/env", "OMPI_COMM_WORLD_SIZE=4", W2V_BINARY,
                                       "train", dir.file("c.txt"), "-o", dir.file("v.bin")});
  EXPECT_EQ(r.exit_code, 2) << describe(r);
  EXPECT_THAT(r.err, HasSubstr("started by an MPI launcher with 4 ranks, but this w2v was built "
                               "without MPI"));
  EXPECT_FALSE(std::filesystem::exists(dir.file("v.bin")));
  // One rank is simply a plain run.
  const auto one = testing::run_command({"/usr/bin/env", "OMPI_COMM_WORLD_SIZE=1", W2V_BINARY,
                                         "train", dir.file("c.txt"), "-o", dir.file("v.bin"),
                                         "--min-count", "1", "--epochs", "1", "-q"});
  EXPECT_EQ(one.exit_code, 0) << describe(one);
}
#endif

// Far too high a learning rate: the model fills with NaN. That used to index the sigmoid table
// with NaN and crash; now it is an error, and no file is written.
TEST(TrainErrors, DivergedTrainingWritesNothing) {
  ScratchDir dir("train-errors-diverged");
  write_file(dir.file("c.txt"), make_corpus(3000, 12, 300));
  write_file(dir.file("v.bin"), "earlier output");
  const auto r = run_w2v({"train", dir.file("c.txt"), "-o", dir.file("v.bin"), "--lr", "10",
                          "--threads", "1", "--min-count", "1", "--epochs", "3", "-q"});
  EXPECT_EQ(r.exit_code, 1) << describe(r);
  EXPECT_THAT(r.err, HasSubstr("training diverged: the vectors hold NaN or infinite values"));
  EXPECT_THAT(r.err, HasSubstr("--lr 10"));
  EXPECT_EQ(read_file(dir.file("v.bin")), "earlier output");
}

TEST(TrainErrors, Directory) {
  ScratchDir d("directory");
  const auto out = d.file("v.bin");
  const auto r = run_w2v(train_args({d.path().string()}, out));
  expect_input_error(r, d.path().string(), "is a directory, not a text file", out);
}

TEST(TrainErrors, UnreadableFile) {
  // chmod 000 does not stop root, so the child drops to "nobody" first when run as root.
  ScratchDir d("unreadable");
  testing::fs::permissions(d.path(), testing::fs::perms::all);  // nobody may write here
  const auto in = d.file("secret.txt"), out = d.file("v.bin");
  write_file(in, "some words here\n");
  ::chmod(in.c_str(), 0);
  RunOptions opt;
  opt.in_child = drop_to_nobody;
  const auto r = run_w2v(train_args({in}, out), opt);
  if (r.exit_code == 126) GTEST_SKIP() << "cannot drop privileges here (setuid failed)";
  expect_input_error(r, in, "cannot read input: Permission denied", out);
}

TEST(TrainErrors, EmptyFile) {
  ScratchDir d("empty");
  const auto in = d.file("empty.txt"), out = d.file("v.bin");
  write_file(in, "");
  const auto r = run_w2v(train_args({in}, out, kFast));
  expect_input_error(r, in, "no words found in the input (empty or whitespace only)", out);
}

TEST(TrainErrors, WhitespaceOnly) {
  ScratchDir d("whitespace");
  const auto in = d.file("ws.txt"), out = d.file("v.bin");
  // ASCII and Unicode white space (NBSP, ideographic space), blank lines, no final newline.
  write_file(in, "  \t\n\n \xC2\xA0 \xE3\x80\x80\r\n   ");
  const auto r = run_w2v(train_args({in}, out, kFast));
  expect_input_error(r, in, "no words found in the input (empty or whitespace only)", out);
}

TEST(TrainErrors, BinaryDataWithNulBytes) {
  ScratchDir d("binary");
  const auto in = d.file("model.bin"), out = d.file("v.bin");
  std::string data = "ELF";
  for (int i = 0; i < 5000; ++i) data += static_cast<char>((i * 7919) % 256);
  data[1] = '\0';  // a NUL at offset 1
  write_file(in, data);
  const auto r = run_w2v(train_args({in}, out, kFast));
  expect_input_error(r, in, "looks like binary data, not text (NUL byte at offset 1)", out);
}

TEST(TrainErrors, BinaryDataInsideGzip) {
  ScratchDir d("binary-gz");
  const auto in = d.file("data.gz"), out = d.file("v.bin");
  write_file(in, gzip(std::string("hello world\n") + std::string(100, '\0')));
  const auto r = run_w2v(train_args({in}, out, kFast));
  expect_input_error(r, in, "looks like binary data, not text (NUL byte at offset 12)", out);
}

TEST(TrainErrors, Utf16TextSaysConvert) {
  ScratchDir d("utf16");
  const auto in = d.file("utf16.txt"), out = d.file("v.bin");
  write_file(in, std::string("\xFF\xFEh\0i\0 \0t\0h\0e\0r\0e\0\n\0", 20));
  const auto r = run_w2v(train_args({in}, out, kFast));
  expect_input_error(r, in, "this is UTF-16 or UTF-32 text", out);
  EXPECT_THAT(r.err, HasSubstr("iconv -f UTF-16 -t UTF-8"));
}

TEST(TrainErrors, InvalidUtf8IsReplacedAndCounted) {
  ScratchDir d("utf8");
  const auto in = d.file("latin1.txt"), out = d.file("v.txt");
  // Latin-1 "café" (1 bad byte) and a stray 0xFF 0xFE pair (2 bad bytes): 3 per line.
  std::string text;
  for (int i = 0; i < 50; ++i) text += "caf\xE9 au lait \xFF\xFE ok\n";
  write_file(in, text);
  const auto r = run_w2v(train_args({in}, out, kFast));
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_THAT(r.err, HasSubstr("150 invalid UTF-8 bytes replaced"));
  const std::string vectors = read_file(out);
  EXPECT_THAT(vectors, HasSubstr("\ncaf\xEF\xBF\xBD "));           // U+FFFD replaces 0xE9
  EXPECT_THAT(vectors, HasSubstr("\n\xEF\xBF\xBD\xEF\xBF\xBD "));  // and 0xFF 0xFE
}

TEST(TrainErrors, TenKilobyteWordIsTruncatedAndCounted) {
  ScratchDir d("longword");
  const auto in = d.file("long.txt"), out = d.file("v.txt");
  std::string text;
  for (int i = 0; i < 3; ++i) text += std::string(10 * 1024, 'x') + " hello world hello world\n";
  write_file(in, text);
  const auto r = run_w2v(train_args({in}, out, kFast));
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_THAT(r.err, HasSubstr("3 tokens truncated at 100 bytes"));
  EXPECT_THAT(read_file(out), HasSubstr("\n" + std::string(100, 'x') + " "));
}

TEST(TrainErrors, TwoHundredMegabyteLineWithoutNewline) {
  // One 200 MB line (text8-style, no newline anywhere): read in bounded pieces, not in one
  // 200 MB string; the summary says the line was split. Three frequent words keep training
  // short with strong subsampling.
  ScratchDir d("hugeline");
  const auto in = d.file("line.txt"), out = d.file("v.bin");
  {
    std::FILE* f = std::fopen(in.c_str(), "wb");
    ASSERT_NE(f, nullptr);
    std::string chunk;
    const char* words[] = {"alpha", "beta", "gamma", "delta"};
    for (int i = 0; chunk.size() < (1u << 20); ++i) {
      chunk += words[i % 4];
      chunk += std::string(40, static_cast<char>('a' + i % 4));
      chunk += ' ';
    }
    for (int i = 0; i < 200; ++i)
      ASSERT_EQ(std::fwrite(chunk.data(), 1, chunk.size(), f), chunk.size());
    std::fclose(f);
  }
  const auto r = run_w2v(train_args({in}, out,
                                    {"--dim", "4", "--epochs", "1", "--threads", "2", "--window",
                                     "1", "--negative", "1", "--sample", "1e-6"}));
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_THAT(r.err, HasSubstr("1 long lines split"));
  EXPECT_THAT(r.err, HasSubstr("(1 lines, 209.7 MB)"));
  EXPECT_TRUE(testing::fs::exists(out));
  if (!testing::kUnderSanitizer) {
    // The line is never held whole: far less memory than its 200 MB (ids of ~5M tokens: 20 MB).
    EXPECT_LT(r.max_rss_kb, 150 * 1024) << "peak RSS " << r.max_rss_kb << " kB";
  }
  testing::fs::remove(in);
}

TEST(TrainErrors, TruncatedGzip) {
  ScratchDir d("truncgz");
  const auto in = d.file("corpus.txt.gz"), out = d.file("v.bin");
  const std::string gz = gzip(make_corpus(2000, 20, 500));
  write_file(in, gz.substr(0, gz.size() / 2));
  const auto r = run_w2v(train_args({in}, out, kFast));
  expect_input_error(r, in, "compressed data ends early after", out);
  EXPECT_THAT(r.err, HasSubstr("the .gz file is truncated or damaged"));
}

TEST(TrainErrors, DamagedGzipChecksum) {
  ScratchDir d("badcrc");
  const auto in = d.file("corpus.txt.gz"), out = d.file("v.bin");
  std::string gz = gzip(make_corpus(200, 20, 500));
  gz[gz.size() - 6] = static_cast<char>(gz[gz.size() - 6] ^ 0x5A);  // inside the CRC-32
  write_file(in, gz);
  const auto r = run_w2v(train_args({in}, out, kFast));
  expect_input_error(r, in, "damaged .gz data after", out);
  EXPECT_THAT(r.err, HasSubstr("(CRC-32 or length check failed)"));
}

TEST(TrainErrors, VocabularyEmptiedByMinCount) {
  ScratchDir d("mincount");
  const auto in = d.file("c.txt"), out = d.file("v.bin");
  std::string text;
  for (int i = 0; i < 40; ++i) text += "the cat sat\n";  // "the" occurs 40 times
  write_file(in, text);
  auto args = train_args({in}, out, {"--min-count", "1000", "--dim", "8"});
  const auto r = run_w2v(args);
  EXPECT_EQ(r.exit_code, 1) << describe(r);
  EXPECT_THAT(r.err, HasSubstr("vocabulary is empty: no word occurs at least 1000 times"));
  EXPECT_FALSE(testing::fs::exists(out));
}

// Enable when cmd_train names the value (issue 6: "say which value would keep words").
TEST(TrainErrors, VocabularyEmptiedByMinCountSaysWhichValueKeepsWords) {
  ScratchDir d("mincount-hint");
  const auto in = d.file("c.txt"), out = d.file("v.bin");
  std::string text;
  for (int i = 0; i < 40; ++i) text += "the cat sat\n";
  write_file(in, text);
  const auto r = run_w2v(train_args({in}, out, {"--min-count", "1000"}));
  EXPECT_EQ(r.exit_code, 1) << describe(r);
  EXPECT_THAT(r.err, HasSubstr("the most frequent word occurs 40 times; --min-count 40 or lower "
                               "keeps words"));
}

TEST(TrainErrors, SingleWordIsTooLittleText) {
  ScratchDir d("oneword");
  const auto in = d.file("one.txt"), out = d.file("v.bin");
  write_file(in, "lonely\n");
  const auto r = run_w2v(train_args({in}, out, kFast));
  expect_input_error(r, in, "too little text to train on: 1 in-vocabulary token(s)", out);
}

TEST(TrainErrors, CorpusShorterThanWindowStillTrains) {
  ScratchDir d("shortcorpus");
  const auto in = d.file("short.txt"), out = d.file("v.txt");
  write_file(in, "a b c\n");
  const auto r =
      run_w2v(train_args({in}, out, {"--min-count", "1", "--window", "5", "--dim", "4"}));
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  const std::string v = read_file(out);
  EXPECT_EQ(v.substr(0, 4), "3 4\n");
  EXPECT_EQ(std::count(v.begin(), v.end(), '\n'), 4);
}

TEST(TrainErrors, BadOptionsAreReportedTogetherBeforeAnyWork) {
  ScratchDir d("badopts");
  const auto in = d.file("c.txt"), out = d.file("v.bin");
  write_file(in, make_corpus(100, 10, 50));
  const auto r = run_w2v(
      train_args({in}, out,
                 {"--dim", "0", "--window", "-1", "--sample", "-1", "--threads", "100000", "--lr",
                  "nan", "--epochs", "0", "--format", "xml", "--negative", "five"}));
  EXPECT_EQ(r.exit_code, 2) << describe(r);
  for (const char* msg :
       {"w2v: error: bad options:", "--dim 0 is out of range", "--window -1 is out of range",
        "--sample -1 is out of range", "--threads 100000 is out of range",
        "--lr 'nan' is not a finite number", "--epochs 0 is out of range", "unknown --format 'xml'",
        "--negative 'five' is not a whole number"}) {
    EXPECT_THAT(r.err, HasSubstr(msg));
  }
  EXPECT_THAT(r.err, Not(HasSubstr("reading")));  // no work started
  EXPECT_FALSE(testing::fs::exists(out));
}

TEST(TrainErrors, UnknownOptionIsUsageError) {
  const auto r = run_w2v({"train", "x.txt", "--dimension", "5"});
  EXPECT_EQ(r.exit_code, 2) << describe(r);
  EXPECT_THAT(r.err, HasSubstr("w2v: usage error:"));
  EXPECT_THAT(r.err, HasSubstr("--dimension"));
}

TEST(TrainErrors, OutputInMissingDirectoryFoundBeforeReading) {
  ScratchDir d("outmissing");
  const auto in = d.file("c.txt"), out = d.file("no/such/dir/v.bin");
  write_file(in, make_corpus(100, 10, 50));
  const auto r = run_w2v(train_args({in}, out, {"--epochs", "100000"}));
  EXPECT_EQ(r.exit_code, 1) << describe(r);
  EXPECT_THAT(r.err, HasSubstr(out + ": cannot write output: directory " + d.file("no/such/dir") +
                               " does not exist"));
  EXPECT_THAT(r.err, Not(HasSubstr("reading")));
}

TEST(TrainErrors, OutputIsDirectoryFoundBeforeReading) {
  ScratchDir d("outdir");
  const auto in = d.file("c.txt");
  write_file(in, make_corpus(100, 10, 50));
  const auto r = run_w2v(train_args({in}, d.path().string(), {"--epochs", "100000"}));
  EXPECT_EQ(r.exit_code, 1) << describe(r);
  EXPECT_THAT(r.err, HasSubstr(d.path().string() + ": output path is a directory"));
  EXPECT_THAT(r.err, Not(HasSubstr("reading")));
}

TEST(TrainErrors, OutputInReadOnlyDirectoryFoundBeforeReading) {
  ScratchDir d("outro");
  const auto in = d.file("c.txt");
  write_file(in, make_corpus(100, 10, 50));
  ::chmod(in.c_str(), 0644);
  testing::fs::create_directory(d.file("ro"));
  ::chmod(d.file("ro").c_str(), 0555);
  const auto out = d.file("ro/v.bin");
  RunOptions opt;
  opt.in_child = drop_to_nobody;
  const auto r = run_w2v(train_args({in}, out, {"--epochs", "100000"}), opt);
  if (r.exit_code == 126) GTEST_SKIP() << "cannot drop privileges here (setuid failed)";
  EXPECT_EQ(r.exit_code, 1) << describe(r);
  EXPECT_THAT(r.err, HasSubstr(out + ": cannot write output: Permission denied"));
  EXPECT_THAT(r.err, Not(HasSubstr("reading")));
  EXPECT_TRUE(d.entries().count("ro") == 1 && testing::fs::is_empty(d.file("ro")));
}

TEST(TrainErrors, StdinTwiceIsUsageError) {
  const auto r = run_w2v({"train", "-", "-", "-o", "/nonexistent-dir/v.bin"});
  EXPECT_EQ(r.exit_code, 2) << describe(r);
  EXPECT_THAT(r.err, HasSubstr("stdin ('-') given more than once"));
}

TEST(TrainErrors, StdinCorpusTrains) {
  ScratchDir d("stdin");
  const auto out = d.file("v.txt");
  RunOptions opt;
  opt.stdin_data = make_corpus(200, 10, 30);
  const auto r = run_w2v(train_args({"-"}, out, kFast), opt);
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_THAT(read_file(out), ::testing::StartsWith("29 8\nw0 "));  // 29 distinct words
}

TEST(TrainErrors, CountingBoundIsReportedWhenItPrunes) {
  // 200k distinct rare tokens plus frequent ones, with a bound of 50k distinct words (one bound
  // for all threads): the run must prune, say so, and still train on the frequent words.
  ScratchDir d("prune");
  const auto in = d.file("c.txt"), out = d.file("v.txt");
  std::string text;
  text.reserve(4 << 20);
  for (int i = 0; i < 200000; ++i) {
    text += "rare" + std::to_string(i) + " common" + std::to_string(i % 20) + " the";
    text += (i % 10 == 9) ? '\n' : ' ';
  }
  write_file(in, text);
  const auto r = run_w2v(train_args({in}, out,
                                    {"--max-counter-words", "50000", "--threads", "2", "--dim", "4",
                                     "--epochs", "1", "--max-vocab", "15"}));
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_THAT(r.err, HasSubstr("counting hit its bound of 50000 distinct words: pruned"));
  EXPECT_THAT(r.err, HasSubstr("final count threshold"));
  EXPECT_THAT(read_file(out), ::testing::StartsWith("15 4\n"));  // --max-vocab keeps 15 words
}

}  // namespace
}  // namespace w2v
