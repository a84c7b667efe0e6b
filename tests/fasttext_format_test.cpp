// io/fasttext_format: fastText's n-gram hash and n-grams, and a written model read back.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cli/process.hpp"
#include "io/fasttext_format.hpp"
#include "io/vectors_format.hpp"
#include "util/error.hpp"

namespace w2v {
namespace {

TEST(FastTextFormat, HashIsFnv1aWithSignedBytes) {
  EXPECT_EQ(io::fasttext::hash(""), 2166136261u);
  // Plain FNV-1a for ASCII ("a": 0xe40c292c, "foobar": 0xbf9cf968, the published test values).
  EXPECT_EQ(io::fasttext::hash("a"), 0xe40c292cu);
  EXPECT_EQ(io::fasttext::hash("foobar"), 0xbf9cf968u);
  // A byte >= 0x80 is mixed in sign-extended: not plain FNV-1a's value.
  std::uint32_t plain = 2166136261u;
  for (const unsigned char c : std::string("\xc3\xa9")) plain = (plain ^ c) * 16777619u;
  std::uint32_t sign = 2166136261u;
  for (const unsigned char c : std::string("\xc3\xa9")) {
    sign = (sign ^ (0xFFFFFF00u | c)) * 16777619u;
  }
  EXPECT_EQ(io::fasttext::hash("\xc3\xa9"), sign);
  EXPECT_NE(sign, plain);
}

TEST(FastTextFormat, NgramsCountUtf8CharactersAndSkipLoneBoundaries) {
  Matrix rows(1000, 2);
  const io::fasttext::Subwords sub(1, 2, 1000, -1, {}, std::move(rows));
  // "<é>" with n 1..2: "é" (the lone '<' and '>' are left out), "<é", "é>".
  const std::vector<std::int32_t> ids = sub.ngrams("\xc3\xa9");
  ASSERT_EQ(ids.size(), 3u);
  EXPECT_EQ(ids[0], static_cast<std::int32_t>(io::fasttext::hash("<\xc3\xa9") % 1000));
  EXPECT_EQ(ids[1], static_cast<std::int32_t>(io::fasttext::hash("\xc3\xa9") % 1000));
  EXPECT_EQ(ids[2], static_cast<std::int32_t>(io::fasttext::hash("\xc3\xa9>") % 1000));
  EXPECT_TRUE(sub.ngrams("</s>").empty());
}

TEST(FastTextFormat, WrittenModelReadsBackAndTruncationNamesTheFile) {
  testing::ScratchDir dir("fasttext-format");
  const std::vector<std::string> words = {"the", "cat", "sat"};
  const std::vector<std::uint64_t> counts = {30, 20, 10};
  std::vector<float> in(3 * 16, 0.0f), out(3 * 16, 0.0f);
  for (std::size_t i = 0; i < in.size(); ++i) {
    in[i] = static_cast<float>(i) * 0.25f - 3.0f;
    out[i] = -in[i];
  }
  io::fasttext::ModelData d;
  d.args.dim = 4;
  d.words = &words;
  d.counts = &counts;
  d.ntokens = 60;
  d.input = in.data();
  d.output = out.data();
  d.stride = 16;
  const std::string path = dir.file("m.bin");
  io::fasttext::write_model(path, d);
  const io::Vectors v = io::read_vectors(path);
  ASSERT_EQ(v.words, words);
  ASSERT_EQ(v.dim(), 4u);
  EXPECT_EQ(v.subwords, nullptr);
  for (std::size_t r = 0; r < 3; ++r) {
    for (std::size_t c = 0; c < 4; ++c) EXPECT_EQ(v.matrix.row(r)[c], in[r * 16 + c]);
  }
  const std::string bytes = testing::read_file(path);
  // 8 + 56 args + 28 dictionary header + 3 entries + flag + 16 + 3 x 4 floats + flag + 16 + ...
  EXPECT_EQ(bytes.size(), 8u + 56 + 28 + (4 + 9) * 3 + 1 + 16 + 48 + 1 + 16 + 48);
  const std::string cut = dir.file("cut.bin");
  testing::write_file(cut, bytes.substr(0, bytes.size() - 5));
  try {
    io::read_vectors(cut);
    FAIL() << "a truncated model was read";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(
                  cut + ": fastText model: the output matrix announces 3 x 4 floats"),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace w2v
