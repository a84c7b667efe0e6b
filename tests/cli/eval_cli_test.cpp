// `w2v eval analogy|similarity` and `w2v train --eval-*` through the built binary: output styles
// (TSV on a pipe, --json), the settings printed with the scores, exit codes and error messages.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "io/vectors_format.hpp"

namespace w2v {
namespace {

namespace fs = std::filesystem;

struct CmdResult {
  int code = -1;
  std::string out, err;
};

std::string slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

void spit(const fs::path& p, const std::string& s) {
  std::ofstream f(p, std::ios::binary);
  f << s;
}

std::string quote(const std::string& s) {
  std::string q = "'";
  for (const char c : s) {
    q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  }
  return q + "'";
}

class EvalCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(W2V_BUILD_DIR) / "test-scratch" /
           ("eval-cli-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    // The hand-made embedding of eval_test.cpp.
    const std::vector<std::string> words{"man", "woman", "king",   "queen",    "Woman",
                                         "boy", "girl",  "prince", "princess", "apple"};
    const float rows[10][4] = {{0, 1, 0, 0},        {0, -1, 0, 0}, {1, 1, 0, 0},  {1, -1, 1, 0},
                               {0.9f, -1, 0.1f, 0}, {0, 1, 0, 1},  {0, -1, 0, 1}, {1, 1, 0, 1},
                               {1, -1, 0, 1},       {0, 0, 0, -1}};
    io::write_vectors(file("m.bin"), words, &rows[0][0], 4, 4, io::VectorFormat::kBinary);
    spit(dir_ / "q.txt",
         ": family\nman woman king queen\nking queen man woman\nboy girl prince princess\n"
         ": gram-mixed\nman boy woman girl\nman woman boy girl\nMan WOMAN Prince Princess\n"
         "man woman apple pear\nman woman king apple\n");
    spit(dir_ / "p.csv",
         "\xEF\xBB\xBFword 1,word 2,score\nman,woman,5\nking,queen,6\nboy,girl,5.5\n"
         "king,man,3\nqueen,apple,0.5\nman,unknown,1\n");
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  std::string file(const std::string& name) const { return (dir_ / name).string(); }

  // Runs the binary with stdout and stderr redirected to files (stdout is not a terminal).
  CmdResult w2v(const std::string& args) const {
    const std::string cmd = std::string(W2V_BINARY) + " " + args + " >" + quote(file("out")) +
                            " 2>" + quote(file("err")) + " </dev/null";
    const int status = std::system(cmd.c_str());
    CmdResult r;
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = slurp(dir_ / "out");
    r.err = slurp(dir_ / "err");
    return r;
  }

  fs::path dir_;
};

TEST_F(EvalCli, AnalogyJsonHasCountsAndSettings) {
  const CmdResult r =
      w2v("eval analogy " + file("q.txt") + " -m " + file("m.bin") + " --restrict 9 --json");
  ASSERT_EQ(r.code, 0) << r.err;
  // One object on one line.
  EXPECT_EQ(r.out.find('\n'), r.out.size() - 1) << r.out;
  for (const char* part :
       {"\"task\": \"analogy\"", "\"restrict\": 9", "\"vocab\": 9", "\"method\": \"3cosadd\"",
        "\"case\": \"ascii\"", "\"rules\": \"word2vec\"", "\"correct\": 5", "\"seen\": 6",
        "\"total\": 8", "\"accuracy_pct\": 83.3333", "\"coverage_pct\": 75.0000",
        "\"semantic_pct\": 66.6667", "\"semantic_correct\": 2", "\"syntactic_pct\": 100.0000",
        "{\"name\": \"family\", \"kind\": \"semantic\", \"correct\": 2, \"seen\": 3, \"total\": 3",
        "{\"name\": \"gram-mixed\", \"kind\": \"syntactic\", \"correct\": 3, \"seen\": 3, "
        "\"total\": 5"}) {
    EXPECT_NE(r.out.find(part), std::string::npos) << part << "\n" << r.out;
  }
}

TEST_F(EvalCli, AnalogyTsvOnAPipeRepeatsTheSettings) {
  const CmdResult r = w2v("eval analogy " + file("q.txt") + " -m " + file("m.bin") +
                          " --restrict 9 --rules gensim --method 3cosmul");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out,
            "name\tkind\tcorrect\tseen\ttotal\taccuracy_pct\trestrict\tmethod\tcase\trules\n"
            "family\tsemantic\t1\t3\t3\t33.3333\t9\t3cosmul\tunicode\tgensim\n"
            "gram-mixed\tsyntactic\t2\t3\t5\t66.6667\t9\t3cosmul\tunicode\tgensim\n"
            "semantic\ttotal\t1\t3\t3\t33.3333\t9\t3cosmul\tunicode\tgensim\n"
            "syntactic\ttotal\t2\t3\t5\t66.6667\t9\t3cosmul\tunicode\tgensim\n"
            "all\ttotal\t3\t6\t8\t50.0000\t9\t3cosmul\tunicode\tgensim\n");
  // Logs go to stderr only.
  EXPECT_NE(r.err.find("analogy: 8 questions"), std::string::npos) << r.err;
}

TEST_F(EvalCli, ModelFromEnvironment) {
  ASSERT_EQ(::setenv("W2V_MODEL", file("m.bin").c_str(), 1), 0);
  const CmdResult ok = w2v("eval analogy " + file("q.txt") + " --restrict 9 --case none --json");
  ::unsetenv("W2V_MODEL");
  ASSERT_EQ(ok.code, 0) << ok.err;
  EXPECT_NE(ok.out.find("\"case\": \"none\""), std::string::npos);
  EXPECT_NE(ok.out.find("\"seen\": 5"), std::string::npos) << ok.out;  // "Man WOMAN ..." unknown
  EXPECT_NE(ok.out.find(file("m.bin")), std::string::npos) << ok.out;
}

TEST_F(EvalCli, SimilarityCsvWithBomAndHeader) {
  const CmdResult r = w2v("eval similarity " + file("p.csv") + " -m " + file("m.bin") + " --json");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("\"task\": \"similarity\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"pairs\": 5, \"skipped\": 1"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"restrict\": 300000, \"vocab\": 10, \"case\": \"unicode\""),
            std::string::npos)
      << r.out;
  const CmdResult tsv =
      w2v("eval similarity " + file("p.csv") + " -m " + file("m.bin") + " --restrict 9");
  ASSERT_EQ(tsv.code, 0) << tsv.err;
  EXPECT_EQ(tsv.out.substr(0, tsv.out.find('\n')),
            "file\tspearman\tpearson\tpairs\tskipped\trestrict\tcase");
  EXPECT_NE(tsv.out.find("\t4\t2\t9\tunicode\n"), std::string::npos) << tsv.out;  // apple cut
}

TEST_F(EvalCli, MalformedLinesAreErrorsNamingFileAndLine) {
  spit(dir_ / "bad.txt", ": s\nman woman king queen\nman woman king\n");
  CmdResult r = w2v("eval analogy " + file("bad.txt") + " -m " + file("m.bin"));
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("w2v: error: " + file("bad.txt") + ":3: expected"), std::string::npos)
      << r.err;
  EXPECT_EQ(r.out, "");
  spit(dir_ / "bad.tsv", "a\tb\t1\nc\td\tmany\n");
  r = w2v("eval similarity " + file("bad.tsv") + " -m " + file("m.bin"));
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find(file("bad.tsv") + ":2: score 'many' is not a number"), std::string::npos)
      << r.err;
  r = w2v("eval analogy " + file("missing.txt") + " -m " + file("m.bin"));
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find(file("missing.txt")), std::string::npos) << r.err;
}

TEST_F(EvalCli, UsageErrorsExitTwo) {
  EXPECT_EQ(
      w2v("eval analogy " + file("q.txt") + " -m " + file("m.bin") + " --method 3cosfoo").code, 2);
  EXPECT_EQ(
      w2v("eval analogy " + file("q.txt") + " -m " + file("m.bin") + " --rules fasttext").code, 2);
  EXPECT_EQ(w2v("eval similarity " + file("p.csv") + " -m " + file("m.bin") + " --case upper").code,
            2);
  EXPECT_EQ(w2v("eval").code, 2);
  EXPECT_EQ(w2v("eval analogy").code, 2);
}

TEST_F(EvalCli, TrainThenEvaluate) {
  std::string corpus;
  for (int i = 0; i < 200; ++i) {
    corpus += "the man and the woman saw the king and the queen with a boy and a girl\n";
    corpus += "a prince and a princess ate an apple\n";
  }
  spit(dir_ / "corpus.txt", corpus);
  const CmdResult r = w2v("train " + file("corpus.txt") + " -o " + file("t.bin") +
                          " --dim 8 --epochs 1 --min-count 1 --threads 2 -q --eval-analogy " +
                          file("q.txt") + " --eval-similarity " + file("p.csv"));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(fs::exists(dir_ / "t.bin"));
  // The analogy TSV, a blank line, the similarity TSV.
  EXPECT_EQ(
      r.out.rfind("name\tkind\tcorrect\tseen\ttotal\taccuracy_pct\trestrict\tmethod\tcase\trules\n",
                  0),
      0u)
      << r.out;
  EXPECT_NE(r.out.find("all\ttotal\t"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\t30000\t3cosadd\tascii\tword2vec\n\nfile\tspearman"), std::string::npos)
      << r.out;
  // Bad evaluation file: the error names it.
  spit(dir_ / "bad.txt", "a b\n");
  const CmdResult bad =
      w2v("train " + file("corpus.txt") + " -o " + file("t2.bin") +
          " --dim 8 --epochs 1 --min-count 1 -q --eval-analogy " + file("bad.txt"));
  EXPECT_EQ(bad.code, 1);
  EXPECT_NE(bad.err.find(file("bad.txt") + ":1:"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace w2v
