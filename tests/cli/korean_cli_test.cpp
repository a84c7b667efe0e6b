// Korean mode through the binary, on the first lines of the Korean demo corpus: the defaults
// choose it, the vocabulary holds 서울 but not 서울의 / 서울에서, and queries typed as eojeol
// resolve to their stem.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include <set>
#include <sstream>
#include <string>

#include "cli/process.hpp"

namespace w2v {
namespace {

using ::testing::HasSubstr;
using testing::run_w2v;
using testing::ScratchDir;

// The first `lines` lines of data/ko_wiki_demo.txt.gz.
std::string demo_slice(int lines) {
  const std::string path = std::string(W2V_SOURCE_DIR) + "/data/ko_wiki_demo.txt.gz";
  gzFile gz = gzopen(path.c_str(), "rb");
  if (gz == nullptr) throw std::runtime_error("cannot open " + path);
  std::string text;
  std::string buf(1 << 16, '\0');
  int n = 0;
  while (n < lines && gzgets(gz, buf.data(), static_cast<int>(buf.size())) != nullptr) {
    const std::string part(buf.c_str());
    text += part;
    if (!part.empty() && part.back() == '\n') ++n;
  }
  gzclose(gz);
  return text;
}

std::set<std::string> vocab_words(const std::string& path) {
  std::istringstream in(testing::read_file(path));
  std::set<std::string> words;
  std::string w, count;
  while (in >> w >> count) words.insert(w);
  return words;
}

class KoreanCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new ScratchDir("KoreanCli");
    testing::write_file(dir_->file("ko.txt"), demo_slice(3000));
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static ScratchDir* dir_;
};
ScratchDir* KoreanCli::dir_ = nullptr;

TEST_F(KoreanCli, DefaultsSplitParticlesOffAndSayHowToTurnItOff) {
  const auto r = run_w2v({"train", dir_->file("ko.txt"), "--vocab-only", "--save-vocab",
                          dir_->file("v.txt"), "--threads", "2"});
  ASSERT_EQ(r.exit_code, 0) << testing::describe(r);
  EXPECT_THAT(r.err, HasSubstr("Korean mode (chosen"));
  EXPECT_THAT(r.err, HasSubstr("--tokenize words"));
  const auto words = vocab_words(dir_->file("v.txt"));
  EXPECT_TRUE(words.count("서울"));
  EXPECT_TRUE(words.count("에서"));
  EXPECT_FALSE(words.count("서울의"));
  EXPECT_FALSE(words.count("서울에서"));

  // --tokenize words keeps the eojeol.
  const auto w = run_w2v({"train", dir_->file("ko.txt"), "--vocab-only", "--save-vocab",
                          dir_->file("w.txt"), "--tokenize", "words"});
  ASSERT_EQ(w.exit_code, 0) << testing::describe(w);
  EXPECT_THAT(w.err, ::testing::Not(HasSubstr("Korean mode")));
  const auto whole = vocab_words(dir_->file("w.txt"));
  EXPECT_TRUE(whole.count("서울의"));
  EXPECT_TRUE(whole.count("서울에서"));
}

TEST_F(KoreanCli, QueriesTypedAsEojeolResolveToTheStem) {
  const std::string model = dir_->file("ko.txt.vec");
  const auto t = run_w2v({"train", dir_->file("ko.txt"), "-o", model, "--dim", "16", "--epochs",
                          "1", "--threads", "1", "-q"});
  ASSERT_EQ(t.exit_code, 0) << testing::describe(t);

  const auto plain = run_w2v({"nearest", "-m", model, "-k", "3", "서울"});
  const auto typed = run_w2v({"nearest", "-m", model, "-k", "3", "서울의"});
  ASSERT_EQ(plain.exit_code, 0) << testing::describe(plain);
  ASSERT_EQ(typed.exit_code, 0) << testing::describe(typed);
  EXPECT_THAT(typed.err, HasSubstr("'서울의' is not in the vocabulary: using '서울'"));
  // The same neighbours, under the query as typed.
  auto strip_query = [](const std::string& out) {
    std::string rest;
    std::istringstream in(out);
    std::string line;
    while (std::getline(in, line)) rest += line.substr(line.find('\t')) + "\n";
    return rest;
  };
  EXPECT_EQ(strip_query(typed.out), strip_query(plain.out));
  EXPECT_THAT(typed.out, HasSubstr("서울의\t1\t"));

  const auto s1 = run_w2v({"similarity", "-m", model, "서울에서", "부산으로"});
  const auto s2 = run_w2v({"similarity", "-m", model, "서울", "부산"});
  ASSERT_EQ(s1.exit_code, 0) << testing::describe(s1);
  ASSERT_EQ(s2.exit_code, 0) << testing::describe(s2);
  EXPECT_THAT(s1.err, HasSubstr("using '서울'"));
  EXPECT_THAT(s1.err, HasSubstr("using '부산'"));
  EXPECT_EQ(s1.out.substr(s1.out.rfind('\t')), s2.out.substr(s2.out.rfind('\t')));

  // An eojeol whose stem the file does not hold stays unknown.
  const auto u = run_w2v({"nearest", "-m", model, "없는낱말의"});
  EXPECT_EQ(u.exit_code, 1);
  EXPECT_THAT(u.err, HasSubstr("unknown word"));
}

TEST_F(KoreanCli, EvalAnalogyComposesTheCorpusFormsIntoCandidates) {
  const std::string model = dir_->file("forms-model.vec");
  const auto t = run_w2v({"train", dir_->file("ko.txt"), "-o", model, "--dim", "16", "--epochs",
                          "1", "--threads", "1", "-q"});
  ASSERT_EQ(t.exit_code, 0) << testing::describe(t);
  // The surface forms: the same text counted whole.
  const std::string forms = dir_->file("forms.txt");
  const auto f = run_w2v({"train", dir_->file("ko.txt"), "--tokenize", "words", "--vocab-only",
                          "--save-vocab", forms, "--min-count", "2", "-q"});
  ASSERT_EQ(f.exit_code, 0) << testing::describe(f);
  const auto whole = vocab_words(forms);
  ASSERT_TRUE(whole.count("서울에서") && whole.count("부산에서"));
  const std::string questions = dir_->file("syn.txt");
  testing::write_file(questions, ": syn1_case\n서울 서울에서 부산 부산에서\n");

  const auto plain = run_w2v({"eval", "analogy", questions, "-m", model, "--json"});
  ASSERT_EQ(plain.exit_code, 0) << testing::describe(plain);
  EXPECT_THAT(plain.out, HasSubstr("\"composed\": 0, \"answered_by\": {\"vocabulary\": 0, "
                                   "\"composed\": 0, \"stem\": 1, \"none\": 0}"));
  const auto with =
      run_w2v({"eval", "analogy", questions, "-m", model, "--forms", forms, "--json"});
  ASSERT_EQ(with.exit_code, 0) << testing::describe(with);
  EXPECT_THAT(with.out, HasSubstr("\"answered_by\": {\"vocabulary\": 0, \"composed\": 1, "
                                  "\"stem\": 0, \"none\": 0}"));
  EXPECT_THAT(with.out, ::testing::Not(HasSubstr("\"composed\": 0, ")));

  const auto missing =
      run_w2v({"eval", "analogy", questions, "-m", model, "--forms", dir_->file("nope.txt")});
  EXPECT_NE(missing.exit_code, 0);
  EXPECT_THAT(missing.err, HasSubstr("nope.txt"));
}

}  // namespace
}  // namespace w2v
