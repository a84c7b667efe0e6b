// io::read_vectors: every supported layout, and every broken-file case with its message.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "cli/process.hpp"
#include "io/vectors_format.hpp"
#include "query/index.hpp"
#include "util/error.hpp"

namespace w2v {
namespace {

using ::testing::HasSubstr;
using testing::ScratchDir;
using testing::write_file;

const std::string kGolden = std::string(W2V_SOURCE_DIR) + "/tests/data/query/";

std::string bin_row(const std::string& word, const std::vector<float>& v, bool newline) {
  std::string s = word + " ";
  s.append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(float));
  if (newline) s.push_back('\n');
  return s;
}

// The error message read_vectors throws for `content`, or "" if it loads.
std::string error_for(const ScratchDir& dir, const std::string& content, int* code = nullptr) {
  const std::string path = dir.file("bad.vec");
  write_file(path, content);
  try {
    io::read_vectors(path);
  } catch (const Error& e) {
    if (code != nullptr) *code = e.exit_code();
    return e.what();
  }
  return "";
}

TEST(VectorsReader, GoldenTextAndBinaryHoldTheSameVectors) {
  const io::Vectors t = io::read_vectors(kGolden + "golden.txt");
  const io::Vectors b = io::read_vectors(kGolden + "golden.bin");
  EXPECT_EQ(t.format, "word2vec text");
  EXPECT_EQ(b.format, "word2vec binary");
  ASSERT_EQ(t.size(), 20u);
  ASSERT_EQ(t.dim(), 8u);
  ASSERT_EQ(t.words, b.words);
  EXPECT_EQ(t.words[0], "king");
  EXPECT_EQ(t.words[10], "서울");
  EXPECT_EQ(t.matrix.rows(), 20u);
  // Row 0 of golden.txt: king 0.68 0.85 -0.01 0.21 0.09 -0.23 0.02 -0.12
  EXPECT_FLOAT_EQ(t.matrix.row(0)[0], 0.68f);
  EXPECT_FLOAT_EQ(t.matrix.row(0)[7], -0.12f);
  for (std::size_t r = 0; r < t.size(); ++r) {
    for (std::size_t d = 0; d < t.dim(); ++d) EXPECT_EQ(t.matrix.row(r)[d], b.matrix.row(r)[d]);
  }
}

TEST(VectorsReader, BinaryWithAndWithoutNewlineAfterVectors) {
  ScratchDir dir("reader-bin");
  const std::vector<float> a = {1.5f, -2.0f, 0.25f}, b = {0.0f, 3.0f, -1.0f};
  for (bool nl : {true, false}) {
    const std::string path = dir.file(nl ? "nl.bin" : "plain.bin");
    write_file(path, "2 3\n" + bin_row("alpha", a, nl) + bin_row("beta", b, nl));
    const io::Vectors v = io::read_vectors(path);
    EXPECT_EQ(v.format, "word2vec binary");
    ASSERT_EQ(v.words, (std::vector<std::string>{"alpha", "beta"}));
    EXPECT_EQ(v.matrix.row(0)[0], 1.5f);
    EXPECT_EQ(v.matrix.row(1)[2], -1.0f);
  }
}

TEST(VectorsReader, BinaryNonUtf8WordIsKeptAsBytes) {
  ScratchDir dir("reader-bytes");
  const std::string path = dir.file("latin1.bin");
  const std::string bad = "caf\xe9";  // Latin-1, not UTF-8
  write_file(path, "2 2\n" + bin_row(bad, {1, 0}, true) + bin_row("ok", {0, 1}, true));
  const io::Vectors v = io::read_vectors(path);
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v.words[0], bad);
  const query::Index index(io::read_vectors(path));
  EXPECT_EQ(index.find(bad), 0u);
}

TEST(VectorsReader, FastTextVecWithTrailingSpacesAndCrlf) {
  ScratchDir dir("reader-vec");
  const std::string path = dir.file("ft.vec");
  write_file(path, "2 3\r\n</s> 0.1 0.2 0.3 \r\nword -1e-2 +4 5.5 \r\n");
  const io::Vectors v = io::read_vectors(path);
  EXPECT_EQ(v.format, "word2vec text");
  ASSERT_EQ(v.words, (std::vector<std::string>{"</s>", "word"}));
  EXPECT_FLOAT_EQ(v.matrix.row(1)[0], -0.01f);
  EXPECT_FLOAT_EQ(v.matrix.row(1)[1], 4.0f);
  EXPECT_FLOAT_EQ(v.matrix.row(1)[2], 5.5f);
}

TEST(VectorsReader, GloveWithoutHeader) {
  ScratchDir dir("reader-glove");
  const std::string path = dir.file("glove.txt");
  write_file(path, "the 0.1 0.2 0.3 0.4\n, 1 2 3 4\n\nend 4 3 2 1");  // blank line, no final \n
  const io::Vectors v = io::read_vectors(path);
  EXPECT_EQ(v.format, "GloVe text");
  EXPECT_EQ(v.dim(), 4u);
  ASSERT_EQ(v.words, (std::vector<std::string>{"the", ",", "end"}));
  EXPECT_EQ(v.matrix.rows(), 3u);
  EXPECT_EQ(v.matrix.row(2)[0], 4.0f);
}

TEST(VectorsReader, DuplicateWordsKeepTheFirstRow) {
  ScratchDir dir("reader-dup");
  const std::string path = dir.file("dup.txt");
  write_file(path, "4 2\na 1 0\nb 0 1\na 5 5\nc 1 1\n");
  const io::Vectors v = io::read_vectors(path);
  ASSERT_EQ(v.words, (std::vector<std::string>{"a", "b", "c"}));
  ASSERT_EQ(v.matrix.rows(), 3u);
  EXPECT_EQ(v.matrix.row(0)[0], 1.0f);  // the first "a"
  EXPECT_EQ(v.matrix.row(2)[0], 1.0f);  // "c" moved up
  EXPECT_EQ(v.matrix.row(2)[1], 1.0f);
}

TEST(VectorsReader, EmptyHeaderIsAnEmptySet) {
  ScratchDir dir("reader-empty-set");
  write_file(dir.file("e.txt"), "0 5\n");
  const io::Vectors v = io::read_vectors(dir.file("e.txt"));
  EXPECT_EQ(v.size(), 0u);
  EXPECT_EQ(v.dim(), 5u);
}

TEST(VectorsReader, BrokenTextFilesNameTheFileAndLine) {
  ScratchDir dir("reader-broken-text");
  int code = 0;
  EXPECT_THAT(error_for(dir, "", &code), HasSubstr("bad.vec: the file is empty"));
  EXPECT_EQ(code, kExitInput);
  EXPECT_THAT(error_for(dir, "2 3\na 1.0 2.0 3.0\nb 1.0 2.0\n"),
              HasSubstr("bad.vec: line 3: 'b' has 2 value(s), expected 3"));
  EXPECT_THAT(error_for(dir, "2 3\na 1 2 3\nb 1 2 3 4\n"),
              HasSubstr("line 3: 'b' has 4 value(s), expected 3"));
  EXPECT_THAT(error_for(dir, "2 3\na 1 2 3\nb 1 x2 3\n"),
              HasSubstr("line 3: value 2 of 'b' ('x2') is not a number"));
  // A bad value in the first row still reads as text (not as binary garbage).
  EXPECT_THAT(error_for(dir, "2 3\na 1 two 3\nb 1 2 3\n"),
              HasSubstr("line 2: value 2 of 'a' ('two') is not a number"));
  EXPECT_THAT(error_for(dir, "2 2\na 1 nan\nb 1 2\n"),
              HasSubstr("line 2: value 2 of 'a' is NaN (not allowed)"));
  EXPECT_THAT(error_for(dir, "2 2\na 1 2\nb inf 2\n"),
              HasSubstr("line 3: value 1 of 'b' is infinite (not allowed)"));
  EXPECT_THAT(error_for(dir, "2 2\na 1 2\nb 1e39 2\n"), HasSubstr("is out of float range"));
  EXPECT_THAT(error_for(dir, "3 2\na 1.0 2.0\nb 3.0 4.0\n"),
              HasSubstr("the file ends after 2 row(s) but the header announces 3"));
  EXPECT_THAT(error_for(dir, "1 2\na 1 2\nb 3 4\n"),
              HasSubstr("line 3: more rows than the 1 the header announces"));
  EXPECT_THAT(error_for(dir, "2 0\n"), HasSubstr("line 1: the header's dimension is 0"));
  EXPECT_THAT(error_for(dir, "2 2\n 1 2\nb 3 4\n"),
              HasSubstr("line 2: the row starts with a space (empty word)"));
  EXPECT_THAT(error_for(dir, "a 1 2\nb 1 2 3\n"),
              HasSubstr("line 2: 'b' has 3 value(s), expected 2"));  // GloVe
  EXPECT_THAT(error_for(dir, "justoneword\n"),
              HasSubstr("line 1: neither a \"WORDS DIM\" header nor a GloVe row"));
}

TEST(VectorsReader, HeaderIsCheckedAgainstTheSizeBeforeAllocating) {
  ScratchDir dir("reader-header");
  // 2e9 x 2e9 floats would be 16 EB: must be refused from the size, not by a failed allocation.
  EXPECT_THAT(error_for(dir, "2000000000 2000000\nw 1 2\n"),
              HasSubstr("line 1: the header announces 2000000000 words of dimension 2000000"));
  EXPECT_THAT(error_for(dir, "2 2000000000\nw 1 2\n"),
              HasSubstr("dimension 2000000000 is too large"));
  EXPECT_THAT(error_for(dir, "1000000 300\n" + bin_row("w", std::vector<float>(300, 1.0f), true)),
              HasSubstr("a binary row needs at least 1202 bytes"));
  EXPECT_THAT(error_for(dir, "1000 3\na 1 2 3\n"), HasSubstr("a text row needs at least 8 bytes"));
}

TEST(VectorsReader, BrokenBinaryFilesNameTheRow) {
  ScratchDir dir("reader-broken-bin");
  const std::vector<float> v3 = {1, 2, 3};
  const std::string ok = bin_row("a", v3, true);
  // Vector cut short (a long word passes the size check: 2 rows x 14 bytes minimum).
  EXPECT_THAT(
      error_for(dir, "2 3\n" + ok + bin_row("bbbbbbbbbb", {1, 2}, false)),
      HasSubstr("row 2 ('bbbbbbbbbb'): the file ends inside the vector (8 of 12 bytes present)"));
  EXPECT_THAT(error_for(dir, "2 3\n" + ok + "\n\n\n\n\n\n\n\n\n\n\n\n\n\n"),
              HasSubstr("row 2: the file ends after 1 row(s) but the header announces 2"));
  // NaN in a binary row.
  EXPECT_THAT(
      error_for(dir,
                "2 3\n" + ok + bin_row("n", {1, std::numeric_limits<float>::quiet_NaN(), 0}, true)),
      HasSubstr("row 2 ('n'): value 2 is NaN (not allowed)"));
  EXPECT_THAT(
      error_for(dir, "1 3\n" + bin_row("i", {std::numeric_limits<float>::infinity(), 0, 0}, true)),
      HasSubstr("row 1 ('i'): value 1 is infinite"));
  // Header dimension 2 on rows of 3: the second word starts inside a vector and holds a newline.
  EXPECT_THAT(error_for(dir, "2 2\n" + bin_row("a", {1, 2, 3}, true) + bin_row("b", v3, true)),
              HasSubstr("rows are misaligned (is the header's dimension 2 right?)"));
  EXPECT_THAT(error_for(dir, "1 3\n" + ok + "trailing junk"),
              HasSubstr("data after the 1 rows the header announces"));
  EXPECT_THAT(error_for(dir, "1 3\n " + std::string(12, '\x01')),
              HasSubstr("row 1 (byte 4): empty word"));
}

TEST(VectorsReader, MissingFileAndDirectory) {
  ScratchDir dir("reader-missing");
  int code = 0;
  try {
    io::read_vectors(dir.file("nope.bin"));
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr("nope.bin: cannot open: No such file"));
    code = e.exit_code();
  }
  EXPECT_EQ(code, kExitInput);
  EXPECT_THROW(io::read_vectors(dir.path().string()), Error);
}

TEST(VectorsReader, ZeroVectorNeverGivesNan) {
  ScratchDir dir("reader-zero");
  write_file(dir.file("z.txt"), "2 2\nzero 0 0\none 1 0\n");
  const query::Index index(io::read_vectors(dir.file("z.txt")));
  EXPECT_EQ(index.norm(0), 0.0f);
  EXPECT_EQ(index.unit(0)[0], 0.0f);
  EXPECT_FALSE(std::isnan(index.unit(0)[1]));
}

}  // namespace
}  // namespace w2v
