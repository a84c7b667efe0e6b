// Query commands in pipelines: `similarity -` and `vec -` print one row per query line (failed
// lines included) so `paste` lines up; '#' comments and a byte order mark are skipped; query
// words are split at the tokenizer's separators (U+00A0, U+3000, ...); similarity files
// ("W1 W2 SCORE", tab / comma / space separated) are accepted by `similarity -`.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cli/process.hpp"

namespace w2v {
namespace {

using ::testing::HasSubstr;
using testing::run_w2v;
using testing::RunOptions;

const std::string kBin = std::string(W2V_SOURCE_DIR) + "/tests/data/query/golden.bin";

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    out.push_back(text.substr(pos, nl - pos));
    pos = nl + 1;
  }
  return out;
}

// The similarity of one pair, asked as arguments (the reference for the stdin rows).
std::string pair_row(const std::string& a, const std::string& b) {
  const auto r = run_w2v({"similarity", "-m", kBin, a, b});
  EXPECT_EQ(r.exit_code, 0) << testing::describe(r);
  return r.out.substr(0, r.out.size() - 1);
}

TEST(PipelineCli, SimilarityPrintsOneRowPerPairLineInOrder) {
  const std::string in =
      "\xEF\xBB\xBF"  // a byte order mark, as Windows editors write
      "king prince\n"
      "\n"
      "# a comment line\n"
      "   # an indented comment\n"
      "king nosuchword\n"
      "king\xC2\xA0queen\n"       // U+00A0 NO-BREAK SPACE
      "man\xE3\x80\x80woman\r\n"  // U+3000 IDEOGRAPHIC SPACE, CRLF
      "king,prince,7.5\n"         // similarity-file forms: comma, tab, spaces + score
      "paris\tfrance\t3\n"
      "dog  cat   -1.5e0\n"
      "lonely\n"
      "\xE2\x80\x83\n";  // U+2003 EM SPACE alone: a blank line
  const auto r = run_w2v({"similarity", "-m", kBin, "-"}, RunOptions{in});
  EXPECT_EQ(r.exit_code, 1) << testing::describe(r);
  const std::vector<std::string> want = {pair_row("king", "prince"), "king\tnosuchword\t",
                                         pair_row("king", "queen"),  pair_row("man", "woman"),
                                         pair_row("king", "prince"), pair_row("paris", "france"),
                                         pair_row("dog", "cat"),     "lonely\t\t"};
  EXPECT_EQ(lines_of(r.out), want) << r.out;
  // Failures are named with their line numbers (counted in the input as given).
  EXPECT_THAT(r.err, HasSubstr("line 5: unknown word 'nosuchword'"));
  EXPECT_THAT(r.err, HasSubstr("line 11: expected two words W1 W2 (and a score), got 1"));
  // The reference rows really are scores (not all the same text).
  EXPECT_NE(pair_row("king", "prince"), pair_row("king", "queen"));
  EXPECT_THAT(pair_row("king", "prince"), ::testing::StartsWith("king\tprince\t0.96"));

  // JSON: one object per line too, the failed ones with a null similarity.
  const auto j =
      run_w2v({"similarity", "-m", kBin, "--json", "-"}, RunOptions{"king xx\nking prince\n"});
  EXPECT_EQ(j.exit_code, 1);
  const auto jl = lines_of(j.out);
  ASSERT_EQ(jl.size(), 2u) << j.out;
  EXPECT_EQ(jl[0],
            "{\"word1\":\"king\",\"word2\":\"xx\",\"similarity\":null,\"error\":\"unknown word "
            "'xx'\"}");
  EXPECT_THAT(jl[1], ::testing::StartsWith("{\"word1\":\"king\",\"word2\":\"prince\","
                                           "\"similarity\":0.96"));
}

TEST(PipelineCli, QueriesSplitWhereTheTokenizerSplits) {
  // Every kind of separator text::is_separator names (the tokenizer's): controls, C1, NBSP,
  // U+1680, U+2000..U+200A, U+200B, U+2028, U+2029, U+202F, U+205F, U+3000, U+FEFF.
  const std::vector<std::string> seps = {
      "\x0B",         "\x1F",         "\x7F",         "\xC2\x85",     "\xC2\xA0",
      "\xE1\x9A\x80", "\xE2\x80\x80", "\xE2\x80\x8A", "\xE2\x80\x8B", "\xE2\x80\xA8",
      "\xE2\x80\xA9", "\xE2\x80\xAF", "\xE2\x81\x9F", "\xE3\x80\x80", "\xEF\xBB\xBF"};
  std::string in;
  for (const auto& sep : seps) in += "king" + sep + "queen" + sep + "\n";
  const auto r = run_w2v({"similarity", "-m", kBin, "-"}, RunOptions{in});
  EXPECT_EQ(r.exit_code, 0) << testing::describe(r);
  EXPECT_EQ(lines_of(r.out), std::vector<std::string>(seps.size(), pair_row("king", "queen")));
  // Not separators: U+2060 WORD JOINER and U+00AD SOFT HYPHEN stay inside the word.
  const auto j = run_w2v({"similarity", "-m", kBin, "-"},
                         RunOptions{"king\xE2\x81\xA0queen\nking\xC2\xADqueen\n"});
  EXPECT_EQ(j.exit_code, 1);
  EXPECT_THAT(j.err, HasSubstr("line 1: expected two words W1 W2 (and a score), got 1"));
  EXPECT_THAT(j.err, HasSubstr("line 2: expected two words W1 W2 (and a score), got 1"));
}

TEST(PipelineCli, PasteLinesUpWithTheInput) {
  testing::ScratchDir dir("pipeline-paste");
  const std::string pairs = dir.file("pairs.tsv");
  testing::write_file(pairs,
                      "king\tqueen\t8.5\nking\tzzz\t1\napple\torange\t7\nnope\tnada\t0\n"
                      "boy\tgirl\t6\n");
  // The human score beside the model's, line by line: w2v's exit status 1 (two unknown pairs)
  // does not stop the pipe.
  const auto r =
      testing::run_command({"/bin/bash", "-c",
                            "'" W2V_BINARY "' similarity -m '" + kBin + "' - < '" + pairs +
                                "' 2>/dev/null | paste '" + pairs + "' - | cut -f 1,3,6"});
  ASSERT_EQ(r.exit_code, 0) << testing::describe(r);
  const auto rows = lines_of(r.out);
  ASSERT_EQ(rows.size(), 5u) << r.out;
  const std::string kq = pair_row("king", "queen");
  EXPECT_EQ(rows[0], "king\t8.5\t" + kq.substr(kq.rfind('\t') + 1));
  EXPECT_EQ(rows[1], "king\t1\t");
  EXPECT_EQ(rows[3], "nope\t0\t");
  const std::string bg = pair_row("boy", "girl");
  EXPECT_EQ(rows[4], "boy\t6\t" + bg.substr(bg.rfind('\t') + 1));
}

TEST(PipelineCli, SimilarityFileHeaderIsAnsweredByOursOnlyOnTheFirstLine) {
  const auto r = run_w2v({"similarity", "-m", kBin, "-"},
                         RunOptions{"# Korean WordSim-353 style\nword 1,word 2,kor_score\n"
                                    "king,prince,9\nking queen x\n"});
  EXPECT_EQ(r.exit_code, 1) << testing::describe(r);
  // The input's header line is answered by ours: paste still lines up.
  EXPECT_EQ(lines_of(r.out),
            (std::vector<std::string>{"word1\tword2\tsimilarity", pair_row("king", "prince"),
                                      "king\tqueen x\t"}));
  const auto j = run_w2v({"similarity", "-m", kBin, "--json", "-"},
                         RunOptions{"w1\tw2\tscore\nking\tprince\t9\n"});
  EXPECT_EQ(j.exit_code, 0) << testing::describe(j);
  EXPECT_THAT(j.out, ::testing::StartsWith("{\"word1\":\"king\",\"word2\":\"prince\""));
  EXPECT_EQ(lines_of(j.out).size(), 1u);
  EXPECT_THAT(r.err, HasSubstr("line 2: taken for a header line"));
  EXPECT_THAT(r.err, HasSubstr("line 4: expected two words W1 W2 (and a score), got 3"));
}

TEST(PipelineCli, VecPrintsOneRowPerLine) {
  const std::string in = "king\n# comment\nnosuchword\n\n\xEF\xBB\xBFqueen\nking queen\nman\n";
  const auto r = run_w2v({"vec", "-m", kBin, "-"}, RunOptions{in});
  EXPECT_EQ(r.exit_code, 1) << testing::describe(r);
  const auto v = run_w2v({"vec", "-m", kBin, "king", "queen", "man"});
  ASSERT_EQ(v.exit_code, 0) << testing::describe(v);
  const auto ref = lines_of(v.out);
  ASSERT_EQ(ref.size(), 3u);
  // A BOM is only skipped at the very start; inside it is a separator like U+200B.
  EXPECT_EQ(lines_of(r.out),
            (std::vector<std::string>{ref[0], "nosuchword\t\t", ref[1], "king queen\t\t", ref[2]}));
  EXPECT_THAT(r.err, HasSubstr("line 3: unknown word 'nosuchword'"));
  EXPECT_THAT(r.err, HasSubstr("line 6: expected one word per line, got 2"));
  const auto j = run_w2v({"vec", "-m", kBin, "--json", "-"}, RunOptions{"xx\n"});
  EXPECT_EQ(j.exit_code, 1);
  EXPECT_EQ(j.out,
            "{\"word\":\"xx\",\"id\":null,\"vector\":null,\"error\":\"unknown word 'xx'\"}\n");
  // Arguments keep one row per word.
  const auto a = run_w2v({"vec", "-m", kBin, "king\xE3\x80\x80queen"});
  ASSERT_EQ(a.exit_code, 0) << testing::describe(a);
  EXPECT_EQ(lines_of(a.out), (std::vector<std::string>{ref[0], ref[1]}));
}

TEST(PipelineCli, NearestAndAnalogySplitAtUnicodeSpacesAndSkipComments) {
  const auto want = run_w2v({"nearest", "-m", kBin, "-k", "3", "king queen"});
  ASSERT_EQ(want.exit_code, 0) << testing::describe(want);
  ASSERT_THAT(want.out, ::testing::StartsWith("king queen\t1\t"));
  const auto arg = run_w2v({"nearest", "-m", kBin, "-k", "3", "king\xC2\xA0queen"});
  EXPECT_EQ(arg.exit_code, 0) << testing::describe(arg);
  EXPECT_EQ(arg.out, want.out);
  const auto in = run_w2v({"nearest", "-m", kBin, "-k", "3", "-"},
                          RunOptions{"\xEF\xBB\xBF# queries\nking\xE3\x80\x80queen\n"});
  EXPECT_EQ(in.exit_code, 0) << testing::describe(in);
  EXPECT_EQ(in.out, want.out);

  const auto a = run_w2v({"analogy", "-m", kBin, "-k", "2", "king man woman"});
  ASSERT_EQ(a.exit_code, 0) << testing::describe(a);
  const auto b = run_w2v({"analogy", "-m", kBin, "-k", "2", "-"},
                         RunOptions{"# A B C\nking\xE2\x80\xAFman\tcomment\xC2\xA0x\n"
                                    "king\xE2\x80\x80man\xE3\x80\x80woman\n"});
  EXPECT_EQ(b.exit_code, 1) << testing::describe(b);
  EXPECT_EQ(b.out, a.out);
  EXPECT_THAT(b.err, HasSubstr("line 2: expected three words A B C, got 4"));
}

}  // namespace
}  // namespace w2v
