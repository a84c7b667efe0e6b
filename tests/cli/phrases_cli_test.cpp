// w2v phrases through the binary: which pairs join, inputs (.gz, stdin) and thread counts that
// must not change the output, option and file errors. Exact agreement with word2phrase is
// tests/interop/phrases_agreement_test.cpp.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "cli/process.hpp"

namespace w2v {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using testing::make_corpus;
using testing::read_file;
using testing::run_w2v;
using testing::RunOptions;
using testing::ScratchDir;
using testing::write_file;

// make_corpus text with "alpha beta" (always together) and "gamma" / "delta" (often, apart)
// inserted into every 16th line.
std::string corpus_with_pairs() {
  std::string text = make_corpus(2000, 12, 300, 7);
  std::string out;
  std::size_t line = 0, pos = 0;
  while (pos < text.size()) {
    const std::size_t nl = text.find('\n', pos);
    out.append(text, pos, nl - pos);
    if (line % 16 == 0) out += " alpha beta gamma w1 delta";
    out += '\n';
    pos = nl + 1;
    ++line;
  }
  return out;
}

TEST(PhrasesCli, JoinsPairsThatAlwaysOccurTogether) {
  ScratchDir dir("phrases-join");
  write_file(dir.file("in.txt"), corpus_with_pairs());
  const auto r = run_w2v({"phrases", dir.file("in.txt"), "-o", dir.file("out.txt")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string out = read_file(dir.file("out.txt"));
  EXPECT_NE(out.find(" alpha_beta gamma"), std::string::npos) << "alpha beta not joined";
  EXPECT_EQ(out.find("gamma_w1"), std::string::npos);
  EXPECT_EQ(out.find("w1_delta"), std::string::npos);
  // Same lines as the input; each word preceded by ' ' or '_'.
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 2000);
  EXPECT_EQ(out.substr(0, 1), " ");
  EXPECT_THAT(r.err, HasSubstr("joined"));
}

TEST(PhrasesCli, GzipStdinAndThreadCountsGiveTheSameOutput) {
  ScratchDir dir("phrases-same");
  const std::string text = corpus_with_pairs();
  write_file(dir.file("in.txt"), text);
  write_file(dir.file("in.txt.gz"), testing::gzip(text));
  const auto a = run_w2v({"phrases", dir.file("in.txt"), "-o", dir.file("a.txt"), "--threads", "1",
                          "--threshold", "5", "--passes", "2"});
  ASSERT_EQ(a.exit_code, 0) << a.err;
  const auto b = run_w2v({"phrases", dir.file("in.txt.gz"), "-o", dir.file("b.txt"), "--threads",
                          "2", "--threshold", "5", "--passes", "2"});
  ASSERT_EQ(b.exit_code, 0) << b.err;
  RunOptions in;
  in.stdin_data = text;
  const auto c = run_w2v({"phrases", "-", "-o", "-", "--threshold", "5", "--passes", "2"}, in);
  ASSERT_EQ(c.exit_code, 0) << c.err;
  const std::string expected = read_file(dir.file("a.txt"));
  EXPECT_NE(expected.find("alpha_beta"), std::string::npos);
  EXPECT_TRUE(read_file(dir.file("b.txt")) == expected) << "2 threads, .gz input";
  EXPECT_TRUE(c.out == expected) << "stdin to stdout";
}

// word2phrase drops a last word with no line break after it; w2v keeps it.
TEST(PhrasesCli, KeepsALastWordWithoutLineBreak) {
  ScratchDir dir("phrases-last");
  write_file(dir.file("in.txt"), "one two\r\nthree\tfour");
  const auto r = run_w2v({"phrases", dir.file("in.txt"), "-o", "-"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, " one two\n three four");
}

TEST(PhrasesCli, RefusesToOverwriteItsInput) {
  ScratchDir dir("phrases-same-file");
  const std::string text = corpus_with_pairs();
  write_file(dir.file("in.txt"), text);
  const auto r = run_w2v({"phrases", dir.file("in.txt"), "-o", dir.file("./in.txt")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("in.txt"));
  EXPECT_EQ(read_file(dir.file("in.txt")), text);
}

TEST(PhrasesCli, ReportsEveryBadOptionAndMissingFiles) {
  ScratchDir dir("phrases-errors");
  write_file(dir.file("in.txt"), "a b\n");
  const auto r = run_w2v({"phrases", dir.file("in.txt"), "-o", dir.file("o.txt"), "--min-count",
                          "0", "--threshold", "lots", "--passes", "x"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--min-count"));
  EXPECT_THAT(r.err, HasSubstr("--threshold"));
  EXPECT_THAT(r.err, HasSubstr("--passes"));
  const auto m = run_w2v({"phrases", dir.file("missing.txt"), "-o", dir.file("o.txt")});
  EXPECT_EQ(m.exit_code, 1);
  EXPECT_THAT(m.err, HasSubstr("missing.txt"));
  const auto no_out = run_w2v({"phrases", dir.file("in.txt")});
  EXPECT_EQ(no_out.exit_code, 2);
  EXPECT_FALSE(fs::exists(dir.file("o.txt")));
  const auto help = run_w2v({"phrases", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_THAT(help.out, HasSubstr("--threshold"));
  EXPECT_THAT(help.out, HasSubstr("word2phrase"));
}

}  // namespace
}  // namespace w2v
