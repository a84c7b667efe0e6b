#include "io/text_reader.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include <string>
#include <vector>

#include "cli/process.hpp"
#include "util/error.hpp"

namespace w2v::io {
namespace {

using testing::gzip;
using ::testing::HasSubstr;
using testing::ScratchDir;
using testing::write_file;

std::vector<TextBlock> read_all(TextReader& r) {
  std::vector<TextBlock> blocks;
  TextBlock b;
  while (r.next(b)) blocks.push_back(b);
  return blocks;
}

std::string concat(const std::vector<TextBlock>& blocks) {
  std::string s;
  for (const auto& b : blocks) s += b.text;
  return s;
}

// The error message of reading all of `paths`, or "" if there was none.
std::string read_error(const std::vector<std::string>& paths, std::size_t block = 1 << 16) {
  try {
    TextReader r(paths, block);
    read_all(r);
  } catch (const Error& e) {
    EXPECT_EQ(e.exit_code(), kExitInput);
    return e.what();
  }
  return "";
}

TEST(TextReader, BlocksHoldWholeLinesWithLineNumbers) {
  ScratchDir d("tr-lines");
  std::string text;
  for (int i = 0; i < 1000; ++i) text += "line " + std::to_string(i) + " of text\n";
  text += "last line without newline";
  write_file(d.file("a.txt"), text);
  TextReader r({d.file("a.txt")}, 256);
  const auto blocks = read_all(r);
  ASSERT_GT(blocks.size(), 10u);
  EXPECT_EQ(concat(blocks), text);
  std::uint64_t expected_line = 1;
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    EXPECT_FALSE(blocks[i].continues);
    EXPECT_EQ(blocks[i].first_line, expected_line);
    EXPECT_LE(blocks[i].text.size(), 256u);
    if (i + 1 < blocks.size()) {
      EXPECT_EQ(blocks[i].text.back(), '\n');
    }
    expected_line +=
        static_cast<std::uint64_t>(std::count(blocks[i].text.begin(), blocks[i].text.end(), '\n'));
  }
  EXPECT_EQ(r.stats().lines, 1001u);
  EXPECT_EQ(r.stats().bytes, text.size());
  EXPECT_EQ(r.stats().split_lines, 0u);
}

TEST(TextReader, SeveralInputsRestartLineNumbers) {
  ScratchDir d("tr-multi");
  write_file(d.file("a.txt"), "a1\na2\n");
  write_file(d.file("b.txt.gz"), gzip("b1\nb2\nb3\n"));
  TextReader r({d.file("a.txt"), d.file("b.txt.gz")}, 64);
  const auto blocks = read_all(r);
  ASSERT_EQ(blocks.size(), 2u);
  EXPECT_EQ(blocks[0].file_index, 0u);
  EXPECT_EQ(blocks[1].file_index, 1u);
  EXPECT_EQ(blocks[1].first_line, 1u);
  EXPECT_EQ(blocks[1].text, "b1\nb2\nb3\n");
  EXPECT_EQ(r.stats().lines, 5u);
}

TEST(TextReader, LongLineIsHandedOutInBoundedPiecesSplitAtSpaces) {
  ScratchDir d("tr-longline");
  std::string line;
  for (int i = 0; line.size() < 100000; ++i) line += "word" + std::to_string(i) + ' ';
  write_file(d.file("a.txt"), "short\n" + line + "\nafter\n");
  TextReader r({d.file("a.txt")}, 4096);
  const auto blocks = read_all(r);
  EXPECT_EQ(concat(blocks), "short\n" + line + "\nafter\n");
  int pieces = 0;
  for (const auto& b : blocks) {
    EXPECT_LE(b.text.size(), 4096u);
    if (b.continues) {
      ++pieces;
      EXPECT_EQ(b.text.back(), ' ') << "a piece must end at a space when there is one";
    }
  }
  EXPECT_GT(pieces, 20);
  EXPECT_EQ(r.stats().split_lines, 1u);  // one long line, counted once
  EXPECT_EQ(r.stats().lines, 3u);
}

TEST(TextReader, LongLineNeverSplitsAUtf8Character) {
  ScratchDir d("tr-utf8");
  std::string line;
  for (int i = 0; i < 20000; ++i) line += "\xE4\xB8\xAD";  // 中, three bytes, no spaces
  write_file(d.file("a.txt"), line);
  TextReader r({d.file("a.txt")}, 1000);
  const auto blocks = read_all(r);
  EXPECT_EQ(concat(blocks), line);
  for (const auto& b : blocks) EXPECT_EQ(b.text.size() % 3, 0u) << "cut inside a character";
}

TEST(TextReader, BinaryJunkLineDoesNotShrinkPieces) {
  // A long run of UTF-8 continuation bytes once made every piece 1 byte long (a hang on big
  // inputs): pieces must stay near the block size.
  ScratchDir d("tr-junk");
  const std::string junk(200000, '\x80');
  write_file(d.file("a.txt"), junk);
  TextReader r({d.file("a.txt")}, 4096);
  const auto blocks = read_all(r);
  EXPECT_EQ(concat(blocks), junk);
  EXPECT_LT(blocks.size(), 60u);
}

TEST(TextReader, NulByteAtStartMeansBinary) {
  ScratchDir d("tr-nul");
  write_file(d.file("x.bin"), std::string("abc\0def\n", 8));
  EXPECT_EQ(read_error({d.file("x.bin")}),
            d.file("x.bin") +
                ": looks like binary data, not text (NUL byte at offset 3); w2v train reads UTF-8 "
                "text, plain or gzip-compressed");
}

TEST(TextReader, NulByteInSecondBlockOfSniffWindowIsFound) {
  ScratchDir d("tr-nul2");
  std::string text(50000, 'a');
  text += '\0';
  write_file(d.file("x.txt"), text);
  EXPECT_THAT(read_error({d.file("x.txt")}, 4096), HasSubstr("NUL byte at offset 50000"));
}

TEST(TextReader, NulBytesLateInTextAreCountedNotFatal) {
  ScratchDir d("tr-nul3");
  std::string text;
  while (text.size() < kSniffBytes + 1000) text += "plain text line\n";
  text += std::string("a\0b\0c\n", 6);
  write_file(d.file("x.txt"), text);
  TextReader r({d.file("x.txt")}, 8192);
  EXPECT_EQ(concat(read_all(r)), text);
  EXPECT_EQ(r.stats().nul_bytes, 2u);
}

TEST(TextReader, Utf16ByteOrderMarkSaysConvert) {
  ScratchDir d("tr-bom");
  write_file(d.file("u.txt"), std::string("\xFF\xFEh\0i\0\n\0", 8));
  EXPECT_THAT(read_error({d.file("u.txt")}), HasSubstr("this is UTF-16 or UTF-32 text"));
  write_file(d.file("be.txt"), std::string("\xFE\xFF\0h\0i\0\n", 8));
  EXPECT_THAT(read_error({d.file("be.txt")}), HasSubstr(d.file("be.txt") + ": this is UTF-16"));
}

TEST(TextReader, Utf8ByteOrderMarkIsText) {
  ScratchDir d("tr-bom8");
  write_file(d.file("u.txt"), "\xEF\xBB\xBFhello\n");
  EXPECT_EQ(read_error({d.file("u.txt")}), "");
}

TEST(TextReader, GzipReadsLikePlainText) {
  ScratchDir d("tr-gz");
  std::string text;
  for (int i = 0; i < 20000; ++i) text += "the quick brown fox " + std::to_string(i) + "\n";
  write_file(d.file("a.gz"), gzip(text));
  TextReader r({d.file("a.gz")}, 1 << 14);
  EXPECT_EQ(concat(read_all(r)), text);
  EXPECT_EQ(r.stats().lines, 20000u);
}

TEST(TextReader, ConcatenatedGzipMembersAreAllRead) {
  ScratchDir d("tr-gz2");
  write_file(d.file("a.gz"), gzip("first member\n") + gzip("second member\n"));
  TextReader r({d.file("a.gz")});
  EXPECT_EQ(concat(read_all(r)), "first member\nsecond member\n");
}

TEST(TextReader, TruncatedGzipIsAnErrorNamingTheFile) {
  ScratchDir d("tr-gztrunc");
  std::string text;
  for (int i = 0; i < 20000; ++i) text += "line " + std::to_string(i * 7919) + "\n";
  const std::string gz = gzip(text);
  for (const std::size_t keep : {gz.size() / 2, gz.size() - 4, std::size_t{12}}) {
    write_file(d.file("t.gz"), gz.substr(0, keep));
    const std::string err = read_error({d.file("t.gz")}, 4096);
    EXPECT_THAT(err, HasSubstr(d.file("t.gz") + ": compressed data ends early after"))
        << "keeping " << keep << " of " << gz.size() << " bytes: " << err;
    EXPECT_THAT(err, HasSubstr("the .gz file is truncated or damaged"));
  }
}

TEST(TextReader, CorruptGzipIsAnErrorNamingTheFile) {
  ScratchDir d("tr-gzbad");
  std::string text;
  for (int i = 0; i < 2000; ++i) text += "line " + std::to_string(i * 7919) + "\n";
  std::string gz = gzip(text);
  gz[gz.size() - 6] = static_cast<char>(gz[gz.size() - 6] ^ 1);  // CRC-32 in the trailer
  write_file(d.file("c.gz"), gz);
  EXPECT_THAT(read_error({d.file("c.gz")}), HasSubstr(d.file("c.gz") + ": damaged .gz data after"));
}

TEST(TextReader, EmptyFileGivesNoBlocks) {
  ScratchDir d("tr-empty");
  write_file(d.file("e.txt"), "");
  TextReader r({d.file("e.txt")});
  TextBlock b;
  EXPECT_FALSE(r.next(b));
  EXPECT_EQ(r.stats().lines, 0u);
}

TEST(CheckInputs, NamesTheFirstBadInput) {
  ScratchDir d("ci");
  write_file(d.file("ok.txt"), "x\n");
  auto error_of = [](const std::vector<std::string>& paths) -> std::pair<std::string, int> {
    try {
      check_inputs(paths);
    } catch (const Error& e) {
      return {e.what(), e.exit_code()};
    }
    return {"", 0};
  };
  EXPECT_EQ(error_of({d.file("ok.txt"), "-"}).first, "");
  EXPECT_EQ(error_of({d.file("ok.txt"), d.file("no.txt")}),
            std::make_pair(d.file("no.txt") + ": cannot open input: No such file or directory", 1));
  EXPECT_EQ(error_of({d.path().string()}),
            std::make_pair(d.path().string() + ": is a directory, not a text file", 1));
  EXPECT_EQ(error_of({"-", "-"}),
            std::make_pair(std::string("stdin ('-') given more than once"), 2));
  EXPECT_EQ(error_of({}), std::make_pair(std::string("no input given"), 2));
  EXPECT_EQ(error_of({""}), std::make_pair(std::string("an input path is empty"), 2));
}

}  // namespace
}  // namespace w2v::io
