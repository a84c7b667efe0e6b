#include "io/shard.hpp"

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "cli/process.hpp"
#include "io/gzip_members.hpp"
#include "io/text_reader.hpp"
#include "util/error.hpp"

namespace w2v::io {
namespace {

using testing::gzip;
using ::testing::HasSubstr;
using testing::ScratchDir;
using testing::write_file;

struct Read {
  std::vector<InputPart> parts;
  std::vector<TextBlock> blocks;
  ReadStats stats;
  std::string text;
};

Read read_parts(std::vector<InputPart> parts, std::size_t block) {
  Read out;
  out.parts = parts;
  TextReader r(std::move(parts), block);
  TextBlock b;
  while (r.next(b)) {
    out.text += b.text;
    out.blocks.push_back(b);
  }
  out.stats = r.stats();
  return out;
}

Read read_rank(const std::vector<std::string>& paths, int rank, int ranks, std::size_t block) {
  return read_parts(plan_shard(paths, rank, ranks), block);
}

// The error message of reading `parts`, or "" if there was none.
std::string read_error(std::vector<InputPart> parts, std::size_t block = 4096) {
  try {
    read_parts(std::move(parts), block);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

// The lines of `text` whose first byte lies in [begin, end), concatenated.
std::string lines_starting_in(const std::string& text, std::uint64_t begin, std::uint64_t end) {
  std::string out;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t nl = text.find('\n', start);
    const std::size_t stop = nl == std::string::npos ? text.size() : nl + 1;
    if (start >= begin && start < end) out.append(text, start, stop - start);
    start = stop;
  }
  return out;
}

std::size_t first_difference(const std::string& a, const std::string& b) {
  return static_cast<std::size_t>(std::mismatch(a.begin(), a.end(), b.begin(), b.end()).first -
                                  a.begin());
}

// One input of a generated corpus: its path and its text (inflated, for a gzip file).
struct Input {
  std::string path;
  std::string text;
};

// Reads `inputs` with 1..7 ranks and checks that the ranks together hand out every byte once,
// in order, in blocks that start at line starts.
void check_sharding(const std::vector<Input>& inputs, std::size_t block, const std::string& what) {
  std::vector<std::string> paths;
  std::string all;
  std::vector<std::size_t> starts;  // where each input starts in `all`
  for (const auto& in : inputs) {
    paths.push_back(in.path);
    starts.push_back(all.size());
    all += in.text;
  }
  const Read whole = read_parts(plan_shard(paths, 0, 1), block);
  ASSERT_EQ(whole.text, all) << what;
  // The input that holds byte g of `all`.
  auto input_at = [&](std::size_t g) {
    for (std::size_t i = inputs.size(); i-- > 0;) {
      if (starts[i] <= g && g < starts[i] + inputs[i].text.size()) return i;
    }
    return inputs.size();
  };
  auto is_line_start = [&](std::size_t g) {
    return g == 0 || all[g - 1] == '\n' ||
           std::find(starts.begin(), starts.end(), g) != starts.end();
  };
  for (int ranks = 1; ranks <= 7; ++ranks) {
    SCOPED_TRACE(what + ", " + std::to_string(ranks) + " ranks");
    std::string joined;
    ReadStats sum;
    for (int rank = 0; rank < ranks; ++rank) {
      const Read rr = read_rank(paths, rank, ranks, block);
      for (std::size_t i = 0; i < rr.blocks.size(); ++i) {
        const TextBlock& b = rr.blocks[i];
        const std::size_t g = joined.size();
        ASSERT_FALSE(b.text.empty()) << "rank " << rank << " block " << i;
        ASSERT_LE(b.text.size(), std::max<std::size_t>(block, 64));
        const std::size_t in = input_at(g);
        ASSERT_LT(in, inputs.size()) << "rank " << rank << " block " << i << " past the end";
        EXPECT_EQ(rr.parts[b.file_index].path, inputs[in].path)
            << "rank " << rank << " block " << i;
        const bool piece = i > 0 && rr.blocks[i - 1].continues;
        if (piece) {
          EXPECT_EQ(rr.blocks[i - 1].file_index, b.file_index);
        } else {
          EXPECT_TRUE(is_line_start(g))
              << "rank " << rank << " block " << i << " starts inside a line at byte " << g;
        }
        joined += b.text;
      }
      if (!rr.blocks.empty()) {
        EXPECT_FALSE(rr.blocks.back().continues) << "rank " << rank;
      }
      sum.bytes += rr.stats.bytes;
      sum.lines += rr.stats.lines;
      sum.split_lines += rr.stats.split_lines;
      sum.nul_bytes += rr.stats.nul_bytes;
    }
    EXPECT_TRUE(joined == all) << "sizes " << joined.size() << " and " << all.size()
                               << ", first difference at byte " << first_difference(joined, all);
    EXPECT_EQ(sum.lines, whole.stats.lines);
    EXPECT_EQ(sum.bytes, all.size());
    EXPECT_EQ(sum.split_lines, whole.stats.split_lines);
    EXPECT_EQ(sum.nul_bytes, whole.stats.nul_bytes);
  }
}

std::string random_line(std::mt19937& rng, std::size_t block) {
  static const std::vector<std::string> kPieces = {
      "a", "b", "word", " ", " ", "\t", "\xC3\xA9", "\xE4\xB8\xAD", "\xF0\x9F\x98\x80", "\r"};
  const unsigned kind = rng() % 10;
  std::size_t len = 0;
  if (kind < 2) {
    len = 0;  // an empty line
  } else if (kind == 2) {
    len = block + rng() % (3 * block);  // longer than a block
  } else {
    len = 1 + rng() % 40;
  }
  std::string line;
  while (line.size() < len) line += kPieces[rng() % kPieces.size()];
  return line;
}

std::string random_text(std::mt19937& rng, std::size_t block) {
  std::string text;
  const unsigned lines = rng() % 40;
  for (unsigned i = 0; i < lines; ++i) text += random_line(rng, block) + '\n';
  if (rng() % 3 == 0) text += random_line(rng, block) + "x";  // no final newline
  return text;
}

TEST(ShardRead, RanksTogetherReadEveryByteOnceForFixedInputs) {
  ScratchDir d("shard-fixed");
  std::mt19937 rng(7);
  for (const std::size_t block : {std::size_t{64}, std::size_t{100}}) {
    std::vector<Input> inputs;
    auto add = [&](const std::string& name, const std::string& text, bool gz = false) {
      write_file(d.file(name), gz ? gzip(text) : text);
      inputs.push_back({d.file(name), text});
    };
    add("a.txt", random_text(rng, block) + "end of a\n");
    add("empty.txt", "");
    std::string huge;
    while (huge.size() < 20 * block) huge += "\xE4\xB8\xAD word ";
    add("huge.txt", huge);  // one line, no newline
    add("b.txt", "first\n\n\nfourth\n" + random_text(rng, block), true);
    add("c.txt", random_text(rng, block) + "no newline at the end");
    add("d.txt", "\n\n\n");
    add("e.txt", huge + "\n");
    check_sharding(inputs, block, "block " + std::to_string(block));
  }
}

TEST(ShardRead, RanksTogetherReadEveryByteOnceForRandomInputs) {
  ScratchDir d("shard-random");
  for (unsigned seed = 0; seed < 80; ++seed) {
    std::mt19937 rng(seed);
    const std::size_t block = seed % 2 == 0 ? 64 : 100;
    std::vector<Input> inputs;
    const unsigned files = 1 + rng() % 5;
    bool have_gz = false;
    for (unsigned f = 0; f < files; ++f) {
      const std::string name = d.file("f" + std::to_string(f) + ".txt");
      std::string text;
      const unsigned kind = rng() % 8;
      if (kind == 0) {
        text = "";
      } else if (kind == 1) {
        text.assign(block * (2 + rng() % 10), 'z');  // one huge line
        if (rng() % 2 == 0) text += '\n';
      } else {
        text = random_text(rng, block);
      }
      const bool gz = !have_gz && kind == 2;
      have_gz = have_gz || gz;
      write_file(name, gz ? gzip(text) : text);
      inputs.push_back({name, text});
    }
    check_sharding(inputs, block, "seed " + std::to_string(seed));
    if (::testing::Test::HasFailure()) return;
  }
}

// `text` as a gzip file of members cut at `cuts` (byte offsets into text, ascending; a repeated
// offset makes an empty member).
std::string gzip_members(const std::string& text, const std::vector<std::size_t>& cuts) {
  std::string out;
  std::size_t from = 0;
  for (const std::size_t c : cuts) {
    out += gzip(text.substr(from, c - from));
    from = c;
  }
  return out + gzip(text.substr(from));
}

TEST(ShardRead, RanksTogetherReadEveryByteOnceOfMultiMemberGzip) {
  // Members cut anywhere: inside lines, inside UTF-8 characters, inside long lines, empty ones.
  ScratchDir d("shard-members");
  for (unsigned seed = 0; seed < 60; ++seed) {
    std::mt19937 rng(seed + 1000);
    const std::size_t block = seed % 2 == 0 ? 64 : 100;
    std::vector<Input> inputs;
    const unsigned files = 1 + rng() % 3;
    for (unsigned f = 0; f < files; ++f) {
      const std::string name = d.file("m" + std::to_string(f) + ".txt");
      std::string text = random_text(rng, block);
      if (rng() % 2 == 0) text += random_text(rng, block);
      std::vector<std::size_t> cuts;
      const unsigned members = rng() % 12;
      for (unsigned m = 0; m < members; ++m) {
        cuts.push_back(text.empty() ? 0 : rng() % (text.size() + 1));
      }
      if (rng() % 4 == 0 && !text.empty()) {
        // Cut right after newlines.
        for (std::size_t i = 0; i < text.size(); ++i) {
          if (text[i] == '\n' && rng() % 3 == 0) cuts.push_back(i + 1);
        }
      }
      std::sort(cuts.begin(), cuts.end());
      const bool gz = f != 1 || rng() % 2 == 0;  // the second file may be plain
      write_file(name, gz ? gzip_members(text, cuts) : text);
      inputs.push_back({name, text});
    }
    check_sharding(inputs, block, "seed " + std::to_string(seed));
    if (::testing::Test::HasFailure()) return;
  }
}

TEST(ShardRead, GzipPartEndsAtAMemberThatEndsALineWhereverTheBlocksFall) {
  // The member before the cut ends with a newline, and its end may fall on the reader's block
  // edge (its trailer then comes in the next read, with no text): nothing of the next member
  // may follow.
  ScratchDir d("shard-member-edge");
  const std::string path = d.file("edge.gz");
  for (const std::size_t block : {std::size_t{64}, std::size_t{100}}) {
    for (std::size_t len = 1; len < 3 * block + 70; ++len) {
      std::string first;
      while (first.size() < len) first += first.size() % 9 == 8 ? '\n' : 'w';
      first.back() = '\n';
      const std::string m1 = gzip(first);
      write_file(path, m1 + gzip("next line\n"));
      const Read a = read_parts({InputPart{path, 0, m1.size()}}, block);
      ASSERT_EQ(a.text, first) << "block " << block << ", " << len << " bytes";
      ASSERT_EQ(read_parts({InputPart{path, m1.size(), kToEnd}}, block).text, "next line\n");
    }
  }
}

TEST(ShardPlan, ManyMemberGzipIsSplitAmongAllRanks) {
  ScratchDir d("shard-split");
  std::mt19937 rng(5);
  std::string text;
  std::vector<std::size_t> cuts;
  for (int m = 0; m < 32; ++m) {
    for (int i = 0; i < 40; ++i) text += random_line(rng, 64) + '\n';
    cuts.push_back(text.size() - 7);  // inside a line
  }
  const std::string f = d.file("many.txt.gz");
  write_file(f, gzip_members(text, cuts));
  for (int ranks = 2; ranks <= 6; ++ranks) {
    std::string joined;
    for (int rank = 0; rank < ranks; ++rank) {
      const auto parts = plan_shard({f}, rank, ranks);
      ASSERT_EQ(parts.size(), 1u) << "rank " << rank << " of " << ranks << " reads nothing";
      joined += read_parts(parts, 4096).text;
    }
    EXPECT_TRUE(joined == text) << ranks << " ranks: first difference at byte "
                                << first_difference(joined, text);
  }
}

TEST(GzipMembers, AGzipFileStoredInsideAMemberIsNoMemberStart) {
  // A stored (level 0) member holds another gzip file verbatim: its header inflates fine, to
  // far more than kConfirmBytes, but no member ends where it starts.
  ScratchDir d("shard-stored");
  std::string inner_text;
  while (inner_text.size() < 2 * kConfirmBytes) inner_text += "inner words\n";
  const std::string inner = gzip(inner_text);
  // Past the sniffed start (the inner file holds NUL bytes), and well inside the second of the
  // stored blocks (65,535 bytes each), so that the inner file lies in the outer one verbatim.
  std::string outer_text(kSniffBytes + 98, 'a');
  outer_text += '\n';
  const std::size_t inner_at_text = outer_text.size();
  outer_text += inner;
  outer_text += std::string(1000, 'b') + "\n";
  const std::string first = gzip(outer_text, 0);
  const std::string second = gzip("the second member\n");
  const std::string path = d.file("stored.gz");
  write_file(path, first + second);
  const std::size_t inner_at = first.find(inner.substr(0, 10));
  ASSERT_NE(inner_at, std::string::npos);
  ASSERT_GT(inner_at, inner_at_text);  // after the header and the stored blocks' headers
  ASSERT_EQ(first.substr(inner_at, inner.size()), inner);
  const int fd = ::open(path.c_str(), O_RDONLY);
  ASSERT_GE(fd, 0);
  const GzipFile g{fd, path, first.size() + second.size()};
  EXPECT_EQ(find_member_start(g, 1, g.size), first.size());
  EXPECT_EQ(find_member_start(g, 1, first.size()), first.size());  // none in the range
  EXPECT_EQ(find_member_start(g, first.size(), g.size), first.size());
  EXPECT_EQ(find_member_start(g, first.size() + 1, g.size), g.size);
  const TextBefore before = text_before(g, first.size());
  EXPECT_TRUE(before.any);
  EXPECT_EQ(before.last, '\n');
  try {
    text_before(g, inner_at);
    ADD_FAILURE() << "the stored gzip file was taken for a member";
  } catch (const Error& e) {
    EXPECT_THAT(e.what(),
                HasSubstr(path + ": no gzip member ends at byte " + std::to_string(inner_at)));
  }
  ::close(fd);
  // Read by 2..5 ranks, every byte once.
  check_sharding({{path, outer_text + "the second member\n"}}, 4096, "stored");
}

TEST(GzipMembers, TextBeforeLooksPastEmptyMembers) {
  ScratchDir d("shard-empty-members");
  const std::string a = gzip("ends inside a li");
  const std::string e = gzip("");
  const std::string b = gzip("ne\n");
  const std::string path = d.file("e.gz");
  write_file(path, e + a + e + e + b);
  const int fd = ::open(path.c_str(), O_RDONLY);
  ASSERT_GE(fd, 0);
  const GzipFile g{fd, path, 3 * e.size() + a.size() + b.size()};
  const TextBefore at_b = text_before(g, 3 * e.size() + a.size());
  EXPECT_TRUE(at_b.any);
  EXPECT_EQ(at_b.last, 'i');
  const TextBefore at_a = text_before(g, e.size());
  EXPECT_FALSE(at_a.any);
  ::close(fd);
  EXPECT_EQ(read_parts({InputPart{path, 2 * e.size() + a.size(), kToEnd}}, 4096).text, "");
  EXPECT_EQ(read_parts({InputPart{path, 0, 2 * e.size() + a.size()}}, 4096).text,
            "ends inside a line\n");
  EXPECT_EQ(read_parts({InputPart{path, 0, e.size()}}, 4096).text, "");
}

TEST(ShardRead, LineEndingAtABlockBoundaryAtEndOfFileIsNotLeftOpen) {
  // A last line without '\n' that ends exactly at a block boundary.
  ScratchDir d("shard-boundary");
  write_file(d.file("z.txt"), std::string(128, 'z'));
  write_file(d.file("n.txt"), "next\n");
  for (const auto& parts : {plan_shard({d.file("z.txt"), d.file("n.txt")}, 0, 1),
                            std::vector<InputPart>{InputPart{d.file("z.txt"), 0, 10}}}) {
    const Read r = read_parts(parts, 64);
    ASSERT_GE(r.blocks.size(), 2u);
    EXPECT_TRUE(r.blocks[0].continues);
    EXPECT_EQ(r.blocks[1].text, std::string(64, 'z'));
    EXPECT_FALSE(r.blocks[1].continues) << "the file ends here";
    EXPECT_EQ(r.stats.lines, parts.size());
    EXPECT_EQ(r.stats.split_lines, 1u);
  }
}

TEST(ShardRead, EveryRangeGivesTheLinesThatStartInIt) {
  ScratchDir d("shard-ranges");
  const std::vector<std::string> texts = {
      "aa\nbb\n\nc\ndd",
      "\n\nx\n",
      "one line only",
      "ab\ncd\n",
      "\n",
      "a\n" + std::string(150, 'q') + "\n" + std::string(70, 'r') + " s\nt"};
  for (const auto& text : texts) {
    write_file(d.file("t.txt"), text);
    const std::uint64_t n = text.size();
    for (std::uint64_t b = 0; b <= n + 1; ++b) {
      std::vector<std::uint64_t> ends;
      for (std::uint64_t e = b; e <= n + 2; ++e) ends.push_back(e);
      ends.push_back(kToEnd);
      for (const std::uint64_t e : ends) {
        const Read r = read_parts({InputPart{d.file("t.txt"), b, e}}, 64);
        const std::string want = lines_starting_in(text, b, e);
        ASSERT_EQ(r.text, want) << "range " << b << ".." << e << " of \"" << text << "\"";
        ASSERT_EQ(r.stats.bytes, want.size());
        std::uint64_t lines =
            static_cast<std::uint64_t>(std::count(want.begin(), want.end(), '\n'));
        if (!want.empty() && want.back() != '\n') ++lines;
        ASSERT_EQ(r.stats.lines, lines) << "range " << b << ".." << e;
      }
    }
  }
}

TEST(ShardRead, GzipPartsBeginAndEndAtMemberStarts) {
  ScratchDir d("shard-gzrange");
  const std::string m1 = gzip("some text\nmore");
  const std::string m2 = gzip(" text\nlast line\n");
  const std::string f = d.file("a.txt");
  write_file(f, m1 + m2);
  // The line that runs across the cut belongs to the part that holds its first byte.
  EXPECT_EQ(read_parts({InputPart{f, 0, m1.size()}}, 4096).text, "some text\nmore text\n");
  EXPECT_EQ(read_parts({InputPart{f, m1.size(), kToEnd}}, 4096).text, "last line\n");
  EXPECT_THAT(read_error({InputPart{f, 5, kToEnd}}),
              HasSubstr(f + ": no gzip member ends at byte 5, so the file cannot be split"));
  EXPECT_THAT(read_error({InputPart{f, 0, 5}}),
              HasSubstr(f + ": no gzip member starts at byte 5 (one ends at byte " +
                        std::to_string(m1.size()) + ")"));
  EXPECT_EQ(read_error({InputPart{f, 0, kToEnd}}), "");
}

TEST(ShardRead, PartFarIntoASparseFile) {
  ScratchDir d("shard-sparse");
  const std::uint64_t at = std::uint64_t{5} << 30;
  const std::string f = d.file("s.txt");
  const int fd = ::open(f.c_str(), O_RDWR | O_CREAT | O_TRUNC, 0644);
  ASSERT_GE(fd, 0);
  const std::string tail = "x\nhello\nworld\n";
  const bool ok = ::ftruncate(fd, static_cast<off_t>(at - 2)) == 0 &&
                  ::pwrite(fd, tail.data(), tail.size(), static_cast<off_t>(at - 2)) ==
                      static_cast<ssize_t>(tail.size());
  ::close(fd);
  if (!ok) GTEST_SKIP() << "no room for a sparse file";
  EXPECT_EQ(read_parts({InputPart{f, at, kToEnd}}, 64).text, "hello\nworld\n");
  EXPECT_EQ(read_parts({InputPart{f, at - 1, at + 1}}, 64).text, "hello\n");
  EXPECT_EQ(read_parts({InputPart{f, at + 1, kToEnd}}, 64).text, "world\n");
  const auto parts = plan_shard({f}, 1, 2);
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(parts[0].begin, (at - 2 + tail.size()) / 2);
  EXPECT_EQ(parts[0].end, kToEnd);
}

// About 3 * kSniffBytes of text lines.
std::string long_text() {
  std::string text;
  for (int i = 0; text.size() < 3 * kSniffBytes; ++i) {
    text += "line number " + std::to_string(i) + " of a long text\n";
  }
  return text;
}

TEST(ShardRead, LateNulIsNoErrorForAnyRank) {
  ScratchDir d("shard-latenul");
  std::string text = long_text();
  const std::size_t at = kSniffBytes * 8 / 5;
  ASSERT_NE(text[at], '\n');
  text[at] = '\0';
  write_file(d.file("n.txt"), text);
  for (int ranks = 1; ranks <= 7; ++ranks) {
    std::string joined;
    std::uint64_t nuls = 0;
    for (int rank = 0; rank < ranks; ++rank) {
      Read r;
      ASSERT_NO_THROW(r = read_rank({d.file("n.txt")}, rank, ranks, 4096))
          << "rank " << rank << " of " << ranks;
      joined += r.text;
      nuls += r.stats.nul_bytes;
    }
    EXPECT_TRUE(joined == text) << ranks << " ranks";
    EXPECT_EQ(nuls, 1u) << ranks << " ranks";
  }
}

TEST(ShardRead, EarlyNulIsAnErrorForTheRankThatReadsIt) {
  ScratchDir d("shard-earlynul");
  for (const std::size_t at : {std::size_t{3}, kSniffBytes - 5}) {
    std::string text = long_text();
    ASSERT_NE(text[at], '\n');
    text[at] = '\0';
    write_file(d.file("n.txt"), text);
    std::size_t line_start = text.rfind('\n', at);
    line_start = line_start == std::string::npos ? 0 : line_start + 1;
    for (int ranks = 1; ranks <= 7; ++ranks) {
      int failed = 0;
      for (int rank = 0; rank < ranks; ++rank) {
        const auto parts = plan_shard({d.file("n.txt")}, rank, ranks);
        // The rank whose range holds the first byte of the line with the NUL.
        const bool owner = parts.size() == 1 && parts[0].begin <= line_start &&
                           (parts[0].end == kToEnd || line_start < parts[0].end);
        const std::string err = read_error(parts);
        if (owner) {
          EXPECT_EQ(err, d.file("n.txt") +
                             ": looks like binary data, not text (NUL byte at offset " +
                             std::to_string(at) +
                             "); w2v train reads UTF-8 text, plain or gzip-compressed")
              << "rank " << rank << " of " << ranks;
        } else {
          EXPECT_EQ(err, "") << "rank " << rank << " of " << ranks;
        }
        failed += err.empty() ? 0 : 1;
      }
      EXPECT_EQ(failed, 1) << ranks << " ranks, NUL at " << at;
    }
  }
}

TEST(ShardRead, ByteOrderMarkCountsOnlyAtTheStartOfTheFile) {
  ScratchDir d("shard-bom");
  std::string text;
  for (int i = 0; text.size() < 3000; ++i) text += "\xFF\xFEline " + std::to_string(i) + "\n";
  write_file(d.file("mid.txt"), "x\n" + text);
  write_file(d.file("start.txt"), text);
  for (int ranks = 1; ranks <= 7; ++ranks) {
    int failed = 0;
    for (int rank = 0; rank < ranks; ++rank) {
      EXPECT_EQ(read_error(plan_shard({d.file("mid.txt")}, rank, ranks), 64), "")
          << "rank " << rank << " of " << ranks;
      const auto parts = plan_shard({d.file("start.txt")}, rank, ranks);
      const std::string err = read_error(parts, 64);
      EXPECT_EQ(err.empty(), parts.empty() || parts[0].begin > 0) << err;
      if (!err.empty()) {
        EXPECT_THAT(err, HasSubstr(d.file("start.txt") + ": this is UTF-16"));
      }
      failed += err.empty() ? 0 : 1;
    }
    EXPECT_EQ(failed, 1) << ranks << " ranks";
  }
}

TEST(ShardPlan, OneRankReadsEveryPathWhole) {
  ScratchDir d("shard-one");
  write_file(d.file("a.txt"), "a\nb\n");
  write_file(d.file("e.txt"), "");
  write_file(d.file("g.txt"), gzip("g\n"));
  const std::vector<std::string> paths = {d.file("a.txt"), d.file("e.txt"), "-", d.file("g.txt")};
  const auto parts = plan_shard(paths, 0, 1);
  ASSERT_EQ(parts.size(), paths.size());
  for (std::size_t i = 0; i < paths.size(); ++i) {
    EXPECT_EQ(parts[i].path, paths[i]);
    EXPECT_EQ(parts[i].begin, 0u);
    EXPECT_EQ(parts[i].end, kToEnd);
  }
}

// The file and stream positions of the plain parts of all ranks, checked to tile each file.
// whole[i]: the file is read whole, by the rank holding its midpoint ('m', a FIFO or stdin) or
// its first byte ('f', a gzip file of one member); 0: split by bytes.
void check_tiling(const std::vector<std::string>& paths, const std::vector<std::uint64_t>& sizes,
                  const std::vector<char>& whole, int ranks) {
  SCOPED_TRACE(std::to_string(ranks) + " ranks");
  std::uint64_t total = 0;
  std::vector<std::uint64_t> at;  // stream offset of each file
  for (const auto s : sizes) {
    at.push_back(total);
    total += s;
  }
  std::vector<std::uint64_t> next(paths.size(), 0);  // per file: where the next part must begin
  std::vector<int> whole_count(paths.size(), 0);
  for (int rank = 0; rank < ranks; ++rank) {
    const std::uint64_t lo = shard_boundary(total, rank, ranks);
    const std::uint64_t hi = shard_boundary(total, rank + 1, ranks);
    std::size_t last = 0;
    for (const auto& p : plan_shard(paths, rank, ranks)) {
      const auto it =
          std::find(paths.begin() + static_cast<std::ptrdiff_t>(last), paths.end(), p.path);
      ASSERT_NE(it, paths.end()) << "rank " << rank << ": parts out of order";
      const auto i = static_cast<std::size_t>(it - paths.begin());
      last = i;
      if (whole[i]) {
        EXPECT_EQ(p.begin, 0u);
        EXPECT_EQ(p.end, kToEnd);
        ++whole_count[i];
        // Read by the rank whose range holds the file's midpoint, or its first byte.
        const std::uint64_t mid = at[i] + (whole[i] == 'f' ? 0 : sizes[i] / 2);
        if (mid < total) {
          EXPECT_TRUE(lo <= mid && mid < hi) << p.path << " in rank " << rank;
        } else {
          EXPECT_EQ(rank, ranks - 1);
        }
        continue;
      }
      const std::uint64_t end = p.end == kToEnd ? sizes[i] : p.end;
      EXPECT_EQ(p.begin, next[i]) << p.path << " in rank " << rank << ": a gap or overlap";
      if (ranks > 1) {
        EXPECT_LT(p.begin, end) << "an empty part";
      }
      EXPECT_LE(end, sizes[i]);
      EXPECT_EQ(p.end == kToEnd, end == sizes[i]);
      EXPECT_GE(at[i] + p.begin, lo) << p.path << " in rank " << rank;
      EXPECT_LE(at[i] + end, hi) << p.path << " in rank " << rank;
      next[i] = end;
    }
  }
  for (std::size_t i = 0; i < paths.size(); ++i) {
    if (whole[i]) {
      EXPECT_EQ(whole_count[i], 1) << paths[i] << " must be read by exactly one rank";
    } else {
      EXPECT_EQ(next[i], sizes[i]) << paths[i] << " is not read to its end";
    }
  }
}

TEST(ShardPlan, PlainRangesTileTheStreamAndOneMemberGzipIsWholeInOneRank) {
  ScratchDir d("shard-tile");
  std::string gz_text;
  for (int i = 0; i < 500; ++i) gz_text += "compressed line " + std::to_string(i) + "\n";
  const std::string gz = gzip(gz_text);
  write_file(d.file("e0.txt"), "");
  write_file(d.file("one.txt"), "x");
  write_file(d.file("a.txt"), std::string(1000, 'a'));
  write_file(d.file("packed.txt"), gz);                  // gzip, whatever the name says
  write_file(d.file("plain.gz"), std::string(37, 'p'));  // plain, whatever the name says
  write_file(d.file("b.txt"), std::string(4096, 'b'));
  write_file(d.file("e1.txt"), "");
  const std::vector<std::string> paths = {d.file("e0.txt"),     d.file("one.txt"),  d.file("a.txt"),
                                          d.file("packed.txt"), d.file("plain.gz"), d.file("b.txt"),
                                          d.file("e1.txt")};
  const std::vector<std::uint64_t> sizes = {0, 1, 1000, gz.size(), 37, 4096, 0};
  const std::vector<char> whole = {0, 0, 0, 'f', 0, 0, 0};
  for (int ranks = 1; ranks <= 9; ++ranks) check_tiling(paths, sizes, whole, ranks);
  check_tiling(paths, sizes, whole, 6000);  // more ranks than bytes
  // plain.gz is split when the ranks are many.
  bool split = false;
  for (int rank = 0; rank < 200; ++rank) {
    for (const auto& p : plan_shard(paths, rank, 200)) {
      split = split || (p.path == d.file("plain.gz") && (p.begin > 0 || p.end != kToEnd));
    }
  }
  EXPECT_TRUE(split);
}

TEST(ShardPlan, FifoAndStdinAreWholeInOneRankAndNotOpened) {
  ScratchDir d("shard-fifo");
  write_file(d.file("a.txt"), std::string(300, 'a'));
  write_file(d.file("b.txt"), std::string(100, 'b'));
  const std::string fifo = d.file("f.fifo");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  // Holding the FIFO open for writing makes a reader's open() return at once, so a plan that
  // read from it would take the bytes instead of hanging.
  const int fd = ::open(fifo.c_str(), O_RDWR | O_NONBLOCK);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::write(fd, "hello\n", 6), 6);
  const std::vector<std::string> paths = {d.file("a.txt"), fifo, "-", d.file("b.txt")};
  for (int ranks = 1; ranks <= 6; ++ranks) {
    check_tiling(paths, {300, 0, 0, 100}, {0, 'm', 'm', 0}, ranks);
    // At the end of the stream: the last rank.
    check_tiling({d.file("a.txt"), fifo, "-"}, {300, 0, 0}, {0, 'm', 'm'}, ranks);
    check_tiling({"-"}, {0}, {'m'}, ranks);
  }
  char buf[16] = {};
  EXPECT_EQ(::read(fd, buf, sizeof buf), 6);
  EXPECT_EQ(std::string(buf), "hello\n");
  ::close(fd);
}

TEST(ShardPlan, MissingFileIsAnErrorNamingIt) {
  ScratchDir d("shard-missing");
  write_file(d.file("a.txt"), "a\n");
  for (const int ranks : {1, 3}) {
    try {
      plan_shard({d.file("a.txt"), d.file("nope.txt")}, 0, ranks);
      ADD_FAILURE() << "no error";
    } catch (const Error& e) {
      EXPECT_EQ(std::string(e.what()),
                d.file("nope.txt") + ": cannot open input: No such file or directory");
      EXPECT_EQ(e.exit_code(), kExitInput);
    }
  }
  EXPECT_THROW(plan_shard({d.file("a.txt")}, 3, 3), Error);
  EXPECT_THROW(plan_shard({d.file("a.txt")}, -1, 3), Error);
  EXPECT_THROW(plan_shard({d.file("a.txt")}, 0, 0), Error);
}

TEST(ShardPlan, BoundariesDoNotOverflow) {
  __extension__ using u128 = unsigned __int128;
  for (const std::uint64_t total :
       {std::uint64_t{0}, std::uint64_t{5}, std::uint64_t{1} << 40, UINT64_MAX / 3, UINT64_MAX}) {
    for (const int ranks : {1, 2, 3, 7, 1000, INT_MAX}) {
      for (const int rank : {0, 1, 2, ranks / 2, ranks - 1, ranks}) {
        if (rank < 0 || rank > ranks) continue;
        const auto want = static_cast<std::uint64_t>(u128{total} * static_cast<u128>(rank) /
                                                     static_cast<u128>(ranks));
        EXPECT_EQ(shard_boundary(total, rank, ranks), want)
            << total << " * " << rank << " / " << ranks;
      }
    }
  }
}

}  // namespace
}  // namespace w2v::io
