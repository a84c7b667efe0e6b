// Korean mode: the closed suffix set, the learned stem table, and the query-side resolution.
#include "text/korean.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "text/tokenizer.hpp"

namespace w2v::text::korean {
namespace {

// Counts shaped like a Korean corpus: nouns alone and with particles, a verb stem only with
// endings, words that merely start with another word (서울특별시), and nouns ending in a syllable
// that is also a particle (사이, 나이).
vocab::Counter counts() {
  vocab::Counter c(0);
  const std::vector<std::pair<const char*, std::uint64_t>> words = {
      {"서울", 60},       {"서울의", 40},     {"서울에서", 30},   {"서울은", 12},
      {"서울을", 10},     {"서울에서는", 4},  {"서울특별시", 20}, {"대한민국", 30},
      {"대한민국의", 20}, {"대한민국은", 10}, {"먹었다", 10},     {"먹는", 12},
      {"먹고", 10},       {"먹을", 6},        {"먹어", 4},        {"사이", 20},
      {"사이에", 15},     {"사이의", 10},     {"사람", 100},      {"사람들", 30},
      {"사용", 80},       {"사는", 2},        {"가나다의", 9},    {"부산", 30},
      {"부산으로", 9},    {"부산의", 8}};
  for (const auto& [w, n] : words) c.add(w, n);
  return c;
}

std::pair<std::string, std::string> split_of(const Segmenter& seg, const vocab::Counter& c,
                                             const char* word) {
  const std::uint32_t id = c.find(word);
  EXPECT_NE(id, vocab::Counter::kDead) << word;
  const auto [stem, suffix] = split(seg, c, id);
  return {std::string(stem), std::string(suffix)};
}

using P = std::pair<std::string, std::string>;

TEST(Korean, ParticlesAndEndingsAreSplitOffLearnedStems) {
  const vocab::Counter c = counts();
  const Segmenter seg = Segmenter::learn(c);
  EXPECT_EQ(split_of(seg, c, "서울에서"), P("서울", "에서"));
  EXPECT_EQ(split_of(seg, c, "서울의"), P("서울", "의"));
  EXPECT_EQ(split_of(seg, c, "대한민국의"), P("대한민국", "의"));
  EXPECT_EQ(split_of(seg, c, "먹었다"), P("먹", "었다"));  // 먹 never alone, but 5 endings
  EXPECT_EQ(split_of(seg, c, "부산으로"), P("부산", "으로"));
  // The shortest stem wins: not 서울에서 + 는.
  EXPECT_EQ(split_of(seg, c, "서울에서는"), P("서울", "에서는"));
}

TEST(Korean, WordsThatAreNotStemPlusSuffixStayWhole) {
  const vocab::Counter c = counts();
  const Segmenter seg = Segmenter::learn(c);
  EXPECT_EQ(split_of(seg, c, "서울"), P("서울", ""));
  EXPECT_EQ(split_of(seg, c, "서울특별시"), P("서울특별시", ""));  // 특별시 is no particle
  // 사 mostly starts other words (사람, 사용): 사이 is not 사 + 이, 사는 not 사 + 는.
  EXPECT_EQ(split_of(seg, c, "사이"), P("사이", ""));
  EXPECT_EQ(split_of(seg, c, "사는"), P("사는", ""));
  EXPECT_EQ(split_of(seg, c, "사이에"), P("사이", "에"));
  // A stem seen in one form only is not learned.
  EXPECT_EQ(split_of(seg, c, "가나다의"), P("가나다의", ""));
  EXPECT_GT(seg.stats().split_distinct, 5u);
  EXPECT_GT(seg.stats().stems, 3u);
}

TEST(Korean, StemsNeedSupport) {
  vocab::Counter c(0);
  c.add("서울", 2);
  c.add("서울의", 2);
  SegmenterOptions o;
  o.min_support = 5;
  EXPECT_EQ(split_of(Segmenter::learn(c, o), c, "서울의"), P("서울의", ""));
  o.min_support = 2;
  EXPECT_EQ(split_of(Segmenter::learn(c, o), c, "서울의"), P("서울", "의"));
}

TEST(Korean, TheDecisionsDependOnlyOnTheCountsNotTheirOrder) {
  const vocab::Counter a = counts();
  vocab::Counter b(0);
  for (std::uint32_t id = a.size(); id-- > 0;) b.add(a.word(id), a.count(id));
  const Segmenter sa = Segmenter::learn(a), sb = Segmenter::learn(b);
  for (std::uint32_t id = 0; id < a.size(); ++id) {
    const auto [stem, suffix] = split(sa, a, id);
    const auto [stem_b, suffix_b] = split(sb, b, b.find(a.word(id)));
    EXPECT_EQ(stem, stem_b);
    EXPECT_EQ(suffix, suffix_b);
  }
}

TEST(Korean, TheSuffixSetIsClosedAndSmall) {
  EXPECT_TRUE(is_suffix("의"));
  EXPECT_TRUE(is_suffix("에서"));
  EXPECT_TRUE(is_suffix("었다"));
  EXPECT_TRUE(is_suffix("했다"));
  EXPECT_FALSE(is_suffix("특별시"));
  EXPECT_FALSE(is_suffix("서울"));
  EXPECT_FALSE(is_suffix(""));
  const auto& all = suffixes();
  EXPECT_LT(all.size(), 400u);
  for (std::size_t i = 1; i < all.size(); ++i) EXPECT_GE(all[i - 1].size(), all[i].size());
  EXPECT_EQ(std::set<std::string_view>(all.begin(), all.end()).size(), all.size());
}

TEST(Korean, QueriesResolveToAStemTheVocabularyHolds) {
  const std::set<std::string, std::less<>> vocab = {"서울", "부산", "대한민국", "먹"};
  const auto known = [&](std::string_view w) { return vocab.count(w) != 0; };
  auto r = resolve("서울에서", known);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->stem, "서울");
  EXPECT_EQ(r->suffix, "에서");
  r = resolve("부산으로", known);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->stem, "부산");
  r = resolve("대한민국의", known);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->stem, "대한민국");
  r = resolve("먹었다", known);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->stem, "먹");
  EXPECT_EQ(r->suffix, "었다");
  EXPECT_FALSE(resolve("서울특별시", known));  // no known suffix
  EXPECT_FALSE(resolve("인천의", known));      // stem not in the vocabulary
  EXPECT_FALSE(resolve("의", known));          // nothing before the suffix
  EXPECT_FALSE(resolve("Paris", known));
}

TEST(Korean, HangulDominantText) {
  EXPECT_TRUE(is_hangul_dominant(
      "서울은 대한민국의 수도이며 가장 큰 도시이다. 부산은 항구 도시이다. Seoul is big."));
  EXPECT_FALSE(is_hangul_dominant("Seoul is the capital of South Korea, 서울."));
  EXPECT_FALSE(is_hangul_dominant("서울"));  // too little to judge
  EXPECT_FALSE(is_hangul_dominant(""));
  EXPECT_DOUBLE_EQ(hangul_share("서울 ab"), 0.5);
}

TEST(Korean, TokenizeModeNames) {
  EXPECT_EQ(parse_tokenize_mode("korean"), TokenizeMode::kKorean);
  EXPECT_EQ(parse_tokenize_mode("auto"), TokenizeMode::kAuto);
  EXPECT_STREQ(tokenize_mode_name(TokenizeMode::kKorean), "korean");
  // Korean mode tokenises like words mode (punctuation split off) before the segmentation.
  Tokenizer t({TokenizeMode::kKorean});
  std::vector<std::string_view> tokens;
  t.split("\"서울에서\", 부산.", tokens);
  EXPECT_EQ(tokens, (std::vector<std::string_view>{"서울에서", "부산"}));
}

}  // namespace
}  // namespace w2v::text::korean
