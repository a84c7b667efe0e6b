// Unicode normalisation through the real binary: a corpus with NFD Hangul trains the NFC word.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

namespace {

namespace fs = std::filesystem;

const std::string kNfdSeoul = "\u1109\u1165\u110B\u116E\u11AF";

int run(const std::string& cmd) {
  const int status = std::system(cmd.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// The words of a word2vec text file (first field of every line after the header).
std::set<std::string> words_of(const fs::path& vectors) {
  std::ifstream in(vectors, std::ios::binary);
  std::string line;
  std::getline(in, line);  // header
  std::set<std::string> words;
  while (std::getline(in, line)) words.insert(line.substr(0, line.find(' ')));
  return words;
}

class NormalizeCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(W2V_BUILD_DIR) / "test_tmp" /
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  std::string train(const std::string& extra, const std::string& out_name) {
    const fs::path corpus = fs::path(W2V_SOURCE_DIR) / "tests/data/nfd_korean.txt";
    const fs::path out = dir_ / out_name;
    const std::string cmd = std::string("'") + W2V_BINARY + "' train '" + corpus.string() +
                            "' -o '" + out.string() +
                            "' --min-count 1 --dim 8 --epochs 1 --threads 1 -q " + extra;
    EXPECT_EQ(run(cmd), 0) << cmd;
    return out.string();
  }
  fs::path dir_;
};

TEST_F(NormalizeCli, NfdCorpusTrainsTheNfcWord) {
  for (const char* mode : {"whitespace", "words"}) {
    const auto words =
        words_of(train(std::string("--tokenize ") + mode, std::string(mode) + ".txt"));
    EXPECT_TRUE(words.count(mode == std::string("words") ? "서울" : "서울,") || words.count("서울"))
        << mode;
    for (const auto& w : words) {
      // No decomposed Hangul jamo (U+1100..U+11FF, bytes E1 84..87) anywhere in the vocabulary.
      EXPECT_EQ(w.find("\xE1\x84"), std::string::npos) << mode << ": " << w;
      EXPECT_EQ(w.find("\xE1\x85"), std::string::npos) << mode << ": " << w;
      EXPECT_EQ(w.find("\xE1\x86"), std::string::npos) << mode << ": " << w;
    }
  }
  const auto words = words_of(train("--tokenize words", "w.txt"));
  EXPECT_TRUE(words.count("서울"));
  EXPECT_FALSE(words.count(kNfdSeoul));
}

TEST_F(NormalizeCli, NoNormalizeKeepsBothForms) {
  const auto words = words_of(train("--tokenize words --no-normalize", "raw.txt"));
  EXPECT_TRUE(words.count("서울"));
  EXPECT_TRUE(words.count(kNfdSeoul));
}

}  // namespace
