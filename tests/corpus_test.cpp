#include <gtest/gtest.h>
#include <zlib.h>

#include "cli/process.hpp"
#include "train/corpus.hpp"
#include "util/error.hpp"
#include "util/rng.hpp"

namespace w2v::train {
namespace {

std::vector<std::string> decode(const LoadedCorpus& c) {
  std::vector<std::string> sentences;
  std::uint64_t start = 0;
  for (auto end : c.corpus.sentence_ends) {
    std::string s;
    for (auto i = start; i < end; ++i)
      s += (s.empty() ? "" : " ") + c.vocab.word(c.corpus.tokens[i]);
    sentences.push_back(s);
    start = end;
  }
  return sentences;
}

CorpusOptions opts(std::uint64_t min_count = 1, int threads = 1) {
  CorpusOptions o;
  o.vocab.min_count = min_count;
  o.threads = threads;
  return o;
}

TEST(Corpus, LinesAreSentencesAndOovTokensAreDropped) {
  testing::ScratchDir dir(::testing::UnitTest::GetInstance()->current_test_info()->name());
  testing::write_file(dir.file("a.txt"), "the cat sat\n\nthe dog  sat\tdown\nrare the\n");
  auto c = load_corpus({dir.file("a.txt")}, opts(2));
  EXPECT_EQ(c.stats.tokens_read, 9u);
  EXPECT_EQ(c.vocab.size(), 2u);  // the(3) sat(2)
  EXPECT_EQ(decode(c), (std::vector<std::string>{"the sat", "the sat", "the"}));
  EXPECT_EQ(c.stats.tokens_dropped, 4u);
}

TEST(Corpus, SeveralInputsAndGzipAreOneStream) {
  testing::ScratchDir dir(::testing::UnitTest::GetInstance()->current_test_info()->name());
  testing::write_file(dir.file("a.txt"), "one two\nthree");  // no final newline
  gzFile gz = gzopen(dir.file("b.txt.gz").c_str(), "wb");
  const std::string text = "four five\n";
  gzwrite(gz, text.data(), static_cast<unsigned>(text.size()));
  gzclose(gz);
  auto c = load_corpus({dir.file("a.txt"), dir.file("b.txt.gz")}, opts());
  EXPECT_EQ(decode(c), (std::vector<std::string>{"one two", "three", "four five"}));
}

TEST(Corpus, LongSentencesAreSplitAndCounted) {
  testing::ScratchDir dir(::testing::UnitTest::GetInstance()->current_test_info()->name());
  std::string line;
  for (int i = 0; i < 2500; ++i) line += "w ";
  testing::write_file(dir.file("a.txt"), line + "\nw w\n");
  auto c = load_corpus({dir.file("a.txt")}, opts());
  ASSERT_EQ(c.corpus.sentence_ends.size(), 4u);
  EXPECT_EQ(c.corpus.sentence_ends[0], 1000u);
  EXPECT_EQ(c.corpus.sentence_ends[1], 2000u);
  EXPECT_EQ(c.corpus.sentence_ends[2], 2500u);
  EXPECT_EQ(c.corpus.sentence_ends[3], 2502u);
  EXPECT_EQ(c.stats.sentences_split, 1u);
}

TEST(Corpus, ResultDoesNotDependOnThreadsOrBlockSize) {
  testing::ScratchDir dir(::testing::UnitTest::GetInstance()->current_test_info()->name());
  std::string text;
  Rng rng(4);
  for (int line = 0; line < 3000; ++line) {
    const int n = 1 + static_cast<int>(rng.below(30));
    for (int k = 0; k < n; ++k) text += "w" + std::to_string(rng.below(500) * rng.below(3)) + " ";
    text += "\n";
  }
  testing::write_file(dir.file("a.txt"), text);
  auto one = load_corpus({dir.file("a.txt")}, opts(3, 1));
  auto o = opts(3, 3);
  o.block_bytes = 1000;  // many blocks, some lines cut across them
  auto three = load_corpus({dir.file("a.txt")}, o);
  EXPECT_EQ(one.vocab.words(), three.vocab.words());
  EXPECT_EQ(one.vocab.counts(), three.vocab.counts());
  EXPECT_EQ(one.corpus.tokens, three.corpus.tokens);
  EXPECT_EQ(one.corpus.sentence_ends, three.corpus.sentence_ends);
}

TEST(Corpus, CountingUnderABoundPrunesAndReports) {
  testing::ScratchDir dir(::testing::UnitTest::GetInstance()->current_test_info()->name());
  std::string text;
  for (int i = 0; i < 20000; ++i) text += "u" + std::to_string(i) + " common\n";
  testing::write_file(dir.file("a.txt"), text);
  auto o = opts(2);
  o.max_counter_entries = 1000;
  auto c = load_corpus({dir.file("a.txt")}, o);
  EXPECT_GT(c.stats.prune.rounds, 0u);
  EXPECT_GT(c.stats.prune.entries_removed, 15000u);
  EXPECT_GE(c.stats.prune.threshold, 2u);
  ASSERT_EQ(c.vocab.size(), 1u);
  EXPECT_EQ(c.vocab.word(0), "common");
  EXPECT_EQ(c.vocab.count(0), 20000u);
}

TEST(Corpus, ReadVocabUsesTheFilesWordsAndCounts) {
  testing::ScratchDir dir(::testing::UnitTest::GetInstance()->current_test_info()->name());
  testing::write_file(dir.file("a.txt"), "a b c a b a\n");
  testing::write_file(dir.file("v.txt"), "b 100\nc 50\n");
  auto o = opts();
  o.read_vocab = dir.file("v.txt");
  auto c = load_corpus({dir.file("a.txt")}, o);
  EXPECT_EQ(c.vocab.words(), (std::vector<std::string>{"b", "c"}));
  EXPECT_EQ(decode(c), (std::vector<std::string>{"b c b"}));
}

TEST(Corpus, MissingInputIsAnErrorNamingIt) {
  try {
    load_corpus({"/nonexistent/corpus.txt"}, opts());
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/corpus.txt"), std::string::npos);
    EXPECT_EQ(e.exit_code(), kExitInput);
  }
}

TEST(Corpus, KoreanModeEncodesStemAndSuffixAndIgnoresTheThreadCount) {
  testing::ScratchDir dir(::testing::UnitTest::GetInstance()->current_test_info()->name());
  std::string text;
  for (int i = 0; i < 40; ++i) {
    text += "서울에서 부산으로 갔다. 서울의 인구는 많다. 부산의 바다, 서울 부산\n";
    text += "서울은 크다 부산은 바다 서울을 보았다 부산을 보았다 먹었다 먹고 먹는\n";
  }
  testing::write_file(dir.file("ko.txt"), text);
  CorpusOptions o = opts(1, 1);
  o.tokenizer.mode = text::TokenizeMode::kAuto;
  o.block_bytes = 512;  // many blocks, so several threads really share the work
  const auto one = load_corpus({dir.file("ko.txt")}, o);
  EXPECT_EQ(one.stats.mode, text::TokenizeMode::kKorean);
  EXPECT_GT(one.stats.hangul_share, 0.9);
  const auto s = decode(one);
  ASSERT_FALSE(s.empty());
  EXPECT_EQ(s[0].substr(0, s[0].find(" 갔")), "서울 에서 부산 으로");
  EXPECT_EQ(one.vocab.find("서울의"), vocab::Vocab::kNone);
  EXPECT_EQ(one.stats.distinct_words, 19u);  // eojeol
  EXPECT_GT(one.stats.units, one.stats.tokens_read);
  for (int threads : {2, 3}) {
    o.threads = threads;
    const auto many = load_corpus({dir.file("ko.txt")}, o);
    EXPECT_EQ(many.vocab.words(), one.vocab.words()) << threads;
    EXPECT_EQ(many.vocab.counts(), one.vocab.counts()) << threads;
    EXPECT_EQ(many.corpus.tokens, one.corpus.tokens) << threads;
  }
  // Dropping the suffixes keeps only stems; words mode keeps eojeol whole.
  o.korean_suffix_tokens = false;
  EXPECT_EQ(decode(load_corpus({dir.file("ko.txt")}, o))[0].substr(0, 13), "서울 부산");
  o.tokenizer.mode = text::TokenizeMode::kWords;
  EXPECT_NE(load_corpus({dir.file("ko.txt")}, o).vocab.find("서울의"), vocab::Vocab::kNone);
}

TEST(Corpus, AutoModeKeepsWhitespaceTokensForOtherText) {
  testing::ScratchDir dir(::testing::UnitTest::GetInstance()->current_test_info()->name());
  testing::write_file(dir.file("en.txt"), "the cat, sat on the mat. 서울의\n");
  CorpusOptions o = opts();
  o.tokenizer.mode = text::TokenizeMode::kAuto;
  const auto c = load_corpus({dir.file("en.txt")}, o);
  EXPECT_EQ(c.stats.mode, text::TokenizeMode::kWhitespace);
  EXPECT_NE(c.vocab.find("cat,"), vocab::Vocab::kNone);
  EXPECT_NE(c.vocab.find("서울의"), vocab::Vocab::kNone);
}

}  // namespace
}  // namespace w2v::train
