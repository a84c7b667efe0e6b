// End to end on real text shipped in data/: train, then the neighbours that must appear do, and
// gensim (the Debian python3-gensim package) loads both output formats with the same vectors.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include <map>
#include <set>
#include <sstream>

#include "cli/neighbours.hpp"
#include "cli/process.hpp"

namespace w2v {
namespace {

using testing::describe;
using testing::neighbours;
using testing::read_file;
using testing::run_w2v;
using testing::ScratchDir;
using testing::write_file;

class EndToEnd : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new ScratchDir("end-to-end");
    write_file(dir_->file("en.txt"), testing::demo_english());
    for (const char* out : {"v.bin", "v.txt"}) {
      std::vector<std::string> args{"train",         dir_->file("en.txt"), "-o",
                                    dir_->file(out), "--threads",          "1"};
      for (const auto& o : testing::demo_train_options()) args.push_back(o);
      const auto r = run_w2v(args);
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
  testing::expect_sensible_neighbours(dir_->file("v.bin"));
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
