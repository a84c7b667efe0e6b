// w2v's query subcommands against gensim, on files written by gensim (binary and text) and by
// fastText (.vec): same top-10 words in the same order as most_similar, same analogy answers as
// most_similar(positive=[A, C], negative=[B]) and most_similar_cosmul, same vectors and ids.
// The work is done by tests/interop/gensim_query.py under /usr/bin/python3. A missing
// python3-gensim or fasttext package FAILS this test (CI installs them); it never skips.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <string>

#include "cli/process.hpp"

namespace w2v {
namespace {

TEST(QueryInterop, GensimAndFastTextFilesAgreeWithGensim) {
  testing::ScratchDir dir("query-interop");
  const std::string log = dir.file("log.txt");
  const std::string cmd = std::string("/usr/bin/python3 ") + W2V_SOURCE_DIR +
                          "/tests/interop/gensim_query.py " + W2V_BINARY + " " +
                          dir.path().string() + " > " + log + " 2>&1";
  const int status = std::system(cmd.c_str());
  const std::string out = testing::read_file(log);
  ASSERT_TRUE(WIFEXITED(status)) << out;
  const int code = WEXITSTATUS(status);
  ASSERT_NE(code, 127) << "/usr/bin/python3 is missing (apt-get install python3-gensim)\n" << out;
  ASSERT_NE(code, 3) << "a required package is missing; CI must install python3-gensim and "
                        "fasttext\n"
                     << out;
  ASSERT_EQ(code, 0) << out;
  EXPECT_NE(out.find("gensim.bin: 300 words x 24 checked"), std::string::npos) << out;
  EXPECT_NE(out.find("gensim.txt: 300 words x 24 checked"), std::string::npos) << out;
  EXPECT_NE(out.find("fasttext.vec: 301 words x 16 checked"), std::string::npos) << out;
  EXPECT_NE(out.find("all agree"), std::string::npos) << out;
}

}  // namespace
}  // namespace w2v
