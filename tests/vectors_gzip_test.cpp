// gzip in io::read_vectors / io::write_vectors: a gzipped file reads as its content does, in
// every format; a ".gz" name writes gzip whose content is the plain file; the format comes from
// the name before ".gz".
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cli/process.hpp"
#include "io/vectors_format.hpp"
#include "util/error.hpp"

namespace w2v {
namespace {

using testing::read_file;
using testing::ScratchDir;
using testing::write_file;

const std::string kGolden = std::string(W2V_SOURCE_DIR) + "/tests/data/query/";

void expect_same(const io::Vectors& a, const io::Vectors& b) {
  EXPECT_EQ(a.format, b.format);
  ASSERT_EQ(a.words, b.words);
  ASSERT_EQ(a.dim(), b.dim());
  for (std::size_t r = 0; r < a.size(); ++r) {
    for (std::size_t d = 0; d < a.dim(); ++d) ASSERT_EQ(a.matrix.row(r)[d], b.matrix.row(r)[d]);
  }
}

TEST(VectorsGzip, GzippedFilesReadAsTheirContent) {
  ScratchDir dir("vectors-gzip-read");
  const std::string txt = read_file(kGolden + "golden.txt");
  const std::string glove = txt.substr(txt.find('\n') + 1);  // no header: GloVe
  write_file(dir.file("glove.txt"), glove);
  for (const auto& [plain, content] : std::vector<std::pair<std::string, std::string>>{
           {kGolden + "golden.bin", read_file(kGolden + "golden.bin")},
           {kGolden + "golden.txt", txt},
           {dir.file("glove.txt"), glove}}) {
    write_file(dir.file("v.gz"), testing::gzip(content));
    expect_same(io::read_vectors(dir.file("v.gz")), io::read_vectors(plain));
  }
  EXPECT_EQ(io::read_vectors(dir.file("v.gz")).format, "GloVe text");
}

TEST(VectorsGzip, WriteGzipHoldsThePlainFile) {
  ScratchDir dir("vectors-gzip-write");
  const io::Vectors v = io::read_vectors(kGolden + "golden.bin");
  const std::size_t dim = v.dim();
  for (const std::string name : {"a.txt", "a.bin", "a.txt.gz", "a.vec.gz", "a.bin.gz"}) {
    io::write_vectors(dir.file(name), v.words, v.matrix.data(), dim, dim,
                      io::format_for_path(name));
  }
  const std::string txt = read_file(dir.file("a.txt"));
  const std::string bin = read_file(dir.file("a.bin"));
  EXPECT_EQ(txt.substr(0, 5), "20 8\n");
  EXPECT_NE(txt, bin);
  for (const std::string name : {"a.txt.gz", "a.vec.gz", "a.bin.gz"}) {
    const std::string gz = read_file(dir.file(name));
    ASSERT_GE(gz.size(), 2u);
    EXPECT_EQ(gz.substr(0, 2), "\x1F\x8B") << name;
    const bool text = name != "a.bin.gz";
    EXPECT_EQ(testing::gunzip(gz), text ? txt : bin) << name;
    expect_same(io::read_vectors(dir.file(name)),
                io::read_vectors(dir.file(text ? "a.txt" : "a.bin")));
  }
  EXPECT_EQ(io::read_vectors(dir.file("a.txt.gz")).format, "word2vec text");
  EXPECT_EQ(io::read_vectors(dir.file("a.bin.gz")).format, "word2vec binary");
}

TEST(VectorsGzip, FormatFromTheNameBeforeGz) {
  EXPECT_EQ(io::format_for_path("v.txt.gz"), io::VectorFormat::kText);
  EXPECT_EQ(io::format_for_path("v.vec.gz"), io::VectorFormat::kText);
  EXPECT_EQ(io::format_for_path("v.bin.gz"), io::VectorFormat::kBinary);
  EXPECT_EQ(io::format_for_path("v.gz"), io::VectorFormat::kBinary);
  EXPECT_EQ(io::format_for_path("v.txt"), io::VectorFormat::kText);
  EXPECT_TRUE(io::is_gzip_path("dir/v.txt.gz"));
  EXPECT_FALSE(io::is_gzip_path("v.txt"));
  EXPECT_FALSE(io::is_gzip_path("v.gzip"));
}

}  // namespace
}  // namespace w2v
