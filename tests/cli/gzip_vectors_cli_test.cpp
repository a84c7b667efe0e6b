// gzip-compressed vectors files both ways through the binary: `train -o x.txt.gz | .vec.gz |
// .bin.gz` writes gzip whose content is exactly the uncompressed file of the same run, and every
// query command and `eval` read a gzipped file, detected by its content (any name), as they read
// the plain one. A truncated or damaged .gz, or a header that promises more than the content
// holds, is an error naming the file.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cli/process.hpp"

namespace w2v {
namespace {

using ::testing::HasSubstr;
using testing::read_file;
using testing::run_w2v;
using testing::RunOptions;
using testing::ScratchDir;
using testing::write_file;

const std::string kGolden = std::string(W2V_SOURCE_DIR) + "/tests/data/query/";

bool starts_gzip(const std::string& bytes) {
  return bytes.size() > 18 && bytes[0] == '\x1F' && bytes[1] == '\x8B';
}

TEST(GzipVectorsCli, TrainWritesGzipNamedByTheSuffixBeforeGz) {
  ScratchDir dir("gzip-train");
  write_file(dir.file("c.txt"), testing::make_corpus(300, 12, 60));
  auto train = [&](const std::string& out) {
    const auto r = run_w2v({"train", dir.file("c.txt"), "-o", dir.file(out), "--threads", "1",
                            "--seed", "3", "--min-count", "1", "--dim", "8", "--epochs", "1"});
    EXPECT_EQ(r.exit_code, 0) << out << "\n" << testing::describe(r);
    return r;
  };
  for (const std::string name : {"v.txt", "v.bin", "v.txt.gz", "v.vec.gz", "v.bin.gz", "v.gz"}) {
    train(name);
  }
  const std::string txt = read_file(dir.file("v.txt"));
  const std::string bin = read_file(dir.file("v.bin"));
  const std::string header = txt.substr(0, txt.find('\n'));  // "V 8"
  ASSERT_THAT(header, ::testing::EndsWith(" 8"));
  ASSERT_NE(txt, bin);
  for (const auto& [gz, plain] : std::vector<std::pair<std::string, std::string>>{
           {"v.txt.gz", txt}, {"v.vec.gz", txt}, {"v.bin.gz", bin}, {"v.gz", bin}}) {
    const std::string bytes = read_file(dir.file(gz));
    ASSERT_TRUE(starts_gzip(bytes)) << gz << " is not gzip";
    EXPECT_EQ(testing::gunzip(bytes), plain) << gz;
  }
  // Text compresses; the log says what was written.
  EXPECT_LT(read_file(dir.file("v.txt.gz")).size(), txt.size() / 2);
  const auto r = train("w.txt.gz");
  EXPECT_THAT(r.err,
              HasSubstr("w.txt.gz (" + header.substr(0, header.find(' ')) + " x 8, text, gzip)"));
  // Only the final file: the temporary one was renamed into place.
  for (const auto& e : dir.entries()) EXPECT_EQ(e.find(".tmp-"), std::string::npos) << e;
}

TEST(GzipVectorsCli, EveryQueryCommandAndEvalReadGzipByContent) {
  ScratchDir dir("gzip-read");
  const std::string bin = read_file(kGolden + "golden.bin");
  const std::string txt = read_file(kGolden + "golden.txt");
  write_file(dir.file("g.bin.gz"), testing::gzip(bin));
  // A name that says nothing: the content decides. Two members, as `cat a.gz b.gz` makes.
  write_file(dir.file("model"), testing::gzip(txt.substr(0, 100)) + testing::gzip(txt.substr(100)));
  write_file(dir.file("pairs.txt"), "king queen 9\nman woman 8\nparis rome 6\ndog cat 7\n");
  write_file(dir.file("q.txt"),
             ": capital\nparis france rome italy\n: family\nking queen man woman\n");
  const std::vector<std::vector<std::string>> commands = {
      {"nearest", "-k", "4", "king", "서울"},
      {"analogy", "-k", "2", "king", "man", "woman"},
      {"similarity", "king", "prince", "apple", "orange"},
      {"vec", "king", "부산"},
      {"eval", "similarity", dir.file("pairs.txt")},
      {"eval", "analogy", dir.file("q.txt")},
  };
  for (const auto& cmd : commands) {
    auto with = [&](const std::string& model) {
      std::vector<std::string> args = cmd;
      args.insert(args.begin() + (cmd[0] == "eval" ? 2 : 1), {"-m", model});
      return run_w2v(args);
    };
    for (const auto& [plain, gz] : std::vector<std::pair<std::string, std::string>>{
             {kGolden + "golden.bin", dir.file("g.bin.gz")},
             {kGolden + "golden.txt", dir.file("model")}}) {
      const auto want = with(plain);
      ASSERT_EQ(want.exit_code, 0) << cmd[0] << "\n" << testing::describe(want);
      ASSERT_FALSE(want.out.empty());
      const auto got = with(gz);
      EXPECT_EQ(got.exit_code, 0) << cmd[0] << " " << gz << "\n" << testing::describe(got);
      std::string expected = want.out;
      // eval names the file it scored.
      for (std::size_t p; (p = expected.find(plain)) != std::string::npos;) {
        expected.replace(p, plain.size(), gz);
      }
      EXPECT_EQ(got.out, expected) << cmd[0] << " " << gz;
    }
  }
}

TEST(GzipVectorsCli, BrokenGzipFilesAreErrorsNamingTheFile) {
  ScratchDir dir("gzip-broken");
  const std::string txt = read_file(kGolden + "golden.txt");
  const std::string gz = testing::gzip(txt);
  auto load = [&](const std::string& name, const std::string& bytes) {
    write_file(dir.file(name), bytes);
    const auto r = run_w2v({"nearest", "-m", dir.file(name), "king"});
    EXPECT_EQ(r.exit_code, 1) << name << "\n" << testing::describe(r);
    EXPECT_EQ(r.out, "") << name;
    return r.err;
  };
  EXPECT_THAT(load("cut.txt.gz", gz.substr(0, gz.size() / 2)),
              HasSubstr("cut.txt.gz: the gzip data ends early"));
  std::string damaged = gz;
  damaged[20] = static_cast<char>(damaged[20] ^ 0x55);
  damaged[21] = static_cast<char>(damaged[21] ^ 0x55);
  EXPECT_THAT(load("bad.txt.gz", damaged), HasSubstr("bad.txt.gz: damaged gzip data"));
  EXPECT_THAT(load("tail.txt.gz", gz + "junk"), HasSubstr("tail.txt.gz: unexpected data after"));
  // The reader's checks hold for the content: a header that promises far more rows than follow
  // (nothing that large is allocated), and a short row named by its line.
  EXPECT_THAT(load("big.txt.gz", testing::gzip("100000000 300\nking 1 2 3\n")),
              HasSubstr("big.txt.gz: line 1: the header announces 100000000 words of dimension "
                        "300, but only 11 bytes follow it"));
  EXPECT_THAT(load("row.bin.gz", testing::gzip("2 3\nking 1 2 3\nqueen 1 2\n")),
              HasSubstr("row.bin.gz: line 3: 'queen' has 2 value(s), expected 3"));
  EXPECT_THAT(load("empty.gz", testing::gzip("")), HasSubstr("empty.gz: the file is empty"));
}

}  // namespace
}  // namespace w2v
