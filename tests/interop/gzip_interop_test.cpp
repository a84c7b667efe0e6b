// gzipped vectors files between w2v and gensim, both ways: gensim's
// KeyedVectors.load_word2vec_format loads `w2v train -o x.txt.gz / x.bin.gz` with exactly the
// vectors of the uncompressed files, and w2v reads gensim's .txt.gz / .bin.gz. The work is done
// by tests/interop/gensim_gzip.py under /usr/bin/python3. A missing python3-gensim FAILS this
// test (CI installs it); it never skips.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <string>

#include "cli/process.hpp"

namespace w2v {
namespace {

TEST(GzipInterop, GensimLoadsOurGzipFilesAndWeLoadGensims) {
  testing::ScratchDir dir("gzip-interop");
  const std::string log = dir.file("log.txt");
  const std::string cmd = std::string("/usr/bin/python3 ") + W2V_SOURCE_DIR +
                          "/tests/interop/gensim_gzip.py " + W2V_BINARY + " " +
                          dir.path().string() + " > " + log + " 2>&1";
  const int status = std::system(cmd.c_str());
  const std::string out = testing::read_file(log);
  ASSERT_TRUE(WIFEXITED(status)) << out;
  const int code = WEXITSTATUS(status);
  ASSERT_NE(code, 127) << "/usr/bin/python3 is missing (apt-get install python3-gensim)\n" << out;
  ASSERT_NE(code, 3) << "python3-gensim is missing; CI must install it\n" << out;
  ASSERT_EQ(code, 0) << out;
  EXPECT_NE(out.find("v.txt.gz: gensim loaded"), std::string::npos) << out;
  EXPECT_NE(out.find("v.bin.gz: gensim loaded"), std::string::npos) << out;
  EXPECT_NE(out.find("max difference 0.0"), std::string::npos) << out;
  EXPECT_NE(out.find("gensim.bin.gz: w2v read 50 words"), std::string::npos) << out;
  EXPECT_NE(out.find("gensim.txt.gz: w2v read 50 words"), std::string::npos) << out;
  EXPECT_NE(out.find("all agree"), std::string::npos) << out;
}

}  // namespace
}  // namespace w2v
