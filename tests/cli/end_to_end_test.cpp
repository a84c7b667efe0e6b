// End to end on real text shipped in data/: train, then the neighbours that must appear do, and
// gensim (the Debian python3-gensim package) loads both output formats with the same vectors.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include <map>
#include <set>
#include <sstream>

#include "cli/process.hpp"

namespace w2v {
namespace {

using testing::describe;
using testing::read_file;
using testing::run_w2v;
using testing::ScratchDir;
using testing::write_file;

// The first `lines` lines of a .gz file.
std::string head_gz(const std::string& path, int lines) {
  gzFile f = gzopen(path.c_str(), "rb");
  EXPECT_NE(f, nullptr) << path;
  std::string out;
  char buf[1 << 16];
  for (int i = 0; i < lines && gzgets(f, buf, sizeof buf) != nullptr; ++i) out += buf;
  gzclose(f);
  return out;
}

// query -> its neighbours in rank order, from w2v's TSV output.
std::map<std::string, std::vector<std::string>> neighbours(const std::string& tsv) {
  std::map<std::string, std::vector<std::string>> out;
  std::istringstream in(tsv);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream f(line);
    std::string query, rank, word;
    std::getline(f, query, '\t');
    std::getline(f, rank, '\t');
    std::getline(f, word, '\t');
    out[query].push_back(word);
  }
  return out;
}

int overlap(const std::vector<std::string>& got, const std::set<std::string>& expected) {
  int n = 0;
  for (const auto& w : got) n += expected.count(w) ? 1 : 0;
  return n;
}

class EndToEnd : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new ScratchDir("end-to-end");
    write_file(dir_->file("en.txt"), head_gz(W2V_SOURCE_DIR "/data/en_wiki_demo.txt.gz", 40000));
    for (const char* out : {"v.bin", "v.txt"}) {
      const auto r = run_w2v({"train", dir_->file("en.txt"), "-o", dir_->file(out), "--dim", "50",
                              "--epochs", "2", "--tokenize", "words", "--lowercase", "--threads",
                              "1", "--seed", "3", "-q"});
      ASSERT_EQ(r.exit_code, 0) << describe(r);
    }
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static ScratchDir* dir_;
};
ScratchDir* EndToEnd::dir_ = nullptr;

TEST_F(EndToEnd, NeighboursThatMustAppearDo) {
  const auto r =
      run_w2v({"nearest", "-m", dir_->file("v.bin"), "-k", "10", "france", "january", "king"});
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  const auto nn = neighbours(r.out);
  EXPECT_GE(overlap(nn.at("france"),
                    {"germany", "spain", "italy", "belgium", "netherlands", "portugal", "austria",
                     "britain", "england", "europe", "french", "paris", "switzerland", "denmark"}),
            3)
      << r.out;
  EXPECT_GE(overlap(nn.at("january"), {"february", "march", "april", "may", "june", "july",
                                       "august", "september", "october", "november", "december"}),
            6)
      << r.out;
  EXPECT_GE(overlap(nn.at("king"), {"queen", "prince", "emperor", "ruler", "throne", "monarch",
                                    "kings", "duke", "reign", "kingdom", "pharaoh", "sultan",
                                    "ferdinand", "darius", "son", "crown", "princess", "lord"}),
            2)
      << r.out;
}

TEST_F(EndToEnd, BinaryAndTextHoldTheSameVectors) {
  // Same seed, one thread: the two files differ only in encoding.
  const auto a = run_w2v({"vec", "-m", dir_->file("v.bin"), "france", "king"});
  const auto b = run_w2v({"vec", "-m", dir_->file("v.txt"), "france", "king"});
  ASSERT_EQ(a.exit_code, 0) << describe(a);
  EXPECT_EQ(a.out, b.out);
}

TEST_F(EndToEnd, GensimLoadsBothFormats) {
  const std::string script = R"(
import sys
from gensim.models import KeyedVectors
b = KeyedVectors.load_word2vec_format(sys.argv[1], binary=True)
t = KeyedVectors.load_word2vec_format(sys.argv[2], binary=False)
assert len(b) == len(t) and b.vector_size == t.vector_size == 50, (len(b), len(t))
assert b.index_to_key == t.index_to_key
assert (abs(b.vectors - t.vectors).max()) == 0.0
print(len(b), b.most_similar("france", topn=1)[0][0])
)";
  write_file(dir_->file("load.py"), script);
  const auto r = testing::run_command(
      {"/usr/bin/python3", dir_->file("load.py"), dir_->file("v.bin"), dir_->file("v.txt")});
  ASSERT_EQ(r.exit_code, 0) << "gensim (Debian python3-gensim) must be installed\n" << describe(r);
  const auto w = run_w2v({"nearest", "-m", dir_->file("v.bin"), "-k", "1", "france"});
  const auto vocab =
      read_file(dir_->file("v.txt")).substr(0, read_file(dir_->file("v.txt")).find(' '));
  EXPECT_EQ(r.out, vocab + " " + neighbours(w.out).at("france").at(0) + "\n");
}

}  // namespace
}  // namespace w2v
