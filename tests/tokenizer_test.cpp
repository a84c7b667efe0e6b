#include "text/tokenizer.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "text/utf8.hpp"
#include "util/error.hpp"

namespace w2v::text {
namespace {

using Tokens = std::vector<std::string>;

Tokens split(std::string_view line, TokenizerOptions o = {}) {
  Tokenizer t(o);
  std::vector<std::string_view> views;
  t.split(line, views);
  return {views.begin(), views.end()};
}

TokenizerOptions words(bool lowercase = false) {
  TokenizerOptions o;
  o.mode = TokenizeMode::kWords;
  o.lowercase = lowercase;
  return o;
}

const std::string kNfdSeoul = "\u1109\u1165\u110B\u116E\u11AF";  // 서울 decomposed

TEST(Tokenizer, ParsesModes) {
  EXPECT_EQ(parse_tokenize_mode("whitespace"), TokenizeMode::kWhitespace);
  EXPECT_EQ(parse_tokenize_mode("words"), TokenizeMode::kWords);
  try {
    parse_tokenize_mode("morphemes");
    FAIL() << "no exception";
  } catch (const Error& e) {
    EXPECT_EQ(e.exit_code(), kExitUsage);
    EXPECT_NE(std::string(e.what()).find("morphemes"), std::string::npos);
  }
}

TEST(Tokenizer, WhitespaceSplitsOnSpacesTabsAndCarriageReturns) {
  EXPECT_EQ(split("  the  quick\tbrown fox\r"), (Tokens{"the", "quick", "brown", "fox"}));
  EXPECT_EQ(split("서울의 인구는, 약"), (Tokens{"서울의", "인구는,", "약"}));
  EXPECT_TRUE(split("").empty());
  EXPECT_TRUE(split(" \t \r ").empty());
}

// Long lines are cut 64 bytes at a time (SSE2 masks) where they are ASCII, short ones byte by
// byte. Words shorter than 64 bytes joined by spaces give the same tokens as each word alone,
// whatever the words hold (controls, DEL, Unicode spaces, Hangul, accents) and wherever the
// 64-byte boundaries fall.
TEST(Tokenizer, LongLinesCutLikeShortOnes) {
  const std::vector<std::string> ascii = {"a",    "bc", "word", "\t",        "\x7f",
                                          "\x01", "\r", "x_y",  "0123456789"};
  const std::vector<std::string> other = {"\xc2\xa0",
                                          "\xe3\x80\x80",
                                          "\xe2\x80\x8b",
                                          "\xef\xbb\xbf",
                                          "\xe2\x80\xa8",
                                          "\xc3\xa9",
                                          "\xec\x84\x9c\xec\x9a\xb8"};
  std::mt19937 rng(42);
  for (int round = 0; round < 400; ++round) {
    // Rounds of ASCII only (the 64-byte path throughout), and rounds where a few pieces are not.
    const unsigned other_in_100 = round % 2 == 0 ? 0 : 3;
    std::string line;
    Tokens expected;
    const int nwords = 1 + static_cast<int>(rng() % 60);
    for (int w = 0; w < nwords; ++w) {
      std::string word;
      const int pieces = 1 + static_cast<int>(rng() % 8);
      for (int k = 0; k < pieces && word.size() < 48; ++k) {
        word +=
            rng() % 100 < other_in_100 ? other[rng() % other.size()] : ascii[rng() % ascii.size()];
      }
      const Tokens alone = split(word);
      expected.insert(expected.end(), alone.begin(), alone.end());
      if (!line.empty()) line += ' ';
      line += word;
    }
    ASSERT_EQ(split(line), expected) << "round " << round << ", " << line.size() << " bytes";
  }
}

TEST(Tokenizer, ControlCharactersAndNulSeparate) {
  static constexpr char kLine[] =
      "a\0b\x01"
      "c\x7F"
      "d\x1B"
      "e\xC2\x85"
      "f\xC2\x9F"
      "g";
  const std::string line(kLine, sizeof kLine - 1);
  ASSERT_EQ(line.size(), 15U);
  EXPECT_EQ(split(line), (Tokens{"a", "b", "c", "d", "e", "f", "g"}));
  EXPECT_EQ(split(line, words()), (Tokens{"a", "b", "c", "d", "e", "f", "g"}));
}

TEST(Tokenizer, EveryUnicodeSpaceSeparates) {
  for (char32_t space : {0x00A0U, 0x1680U, 0x2000U, 0x2001U, 0x2002U, 0x2003U, 0x2004U, 0x2005U,
                         0x2006U, 0x2007U, 0x2008U, 0x2009U, 0x200AU, 0x200BU, 0x2028U, 0x2029U,
                         0x202FU, 0x205FU, 0x3000U, 0xFEFFU, 0x0085U, 0x000BU, 0x000CU}) {
    std::string line = "서울";
    encode(space, line);
    line += "Paris";
    EXPECT_EQ(split(line), (Tokens{"서울", "Paris"})) << std::hex << static_cast<unsigned>(space);
    EXPECT_EQ(split(line, words()), (Tokens{"서울", "Paris"}))
        << std::hex << static_cast<unsigned>(space);
  }
}

TEST(Tokenizer, InvalidBytesBecomeReplacementCharactersAndAreCounted) {
  Tokenizer t;
  std::vector<std::string_view> v;
  t.split(
      "ab\xFF"
      "cd ef \xC0\x80",
      v);
  ASSERT_EQ(v.size(), 3U);
  EXPECT_EQ(v[0], "ab\uFFFDcd");
  EXPECT_EQ(v[1], "ef");
  EXPECT_EQ(v[2], "\uFFFD\uFFFD");  // overlong NUL: two bad bytes, never a NUL
  EXPECT_EQ(t.stats().invalid_bytes, 3U);
}

TEST(Tokenizer, SplitUtf8SequenceAtEndOfLine) {
  // A line that ends in the middle of 울 (EC 9A B8): its first two bytes are replaced.
  Tokenizer t;
  std::vector<std::string_view> v;
  t.split("서울 서\xEC\x9A", v);
  ASSERT_EQ(v.size(), 2U);
  EXPECT_EQ(v[0], "서울");
  EXPECT_EQ(v[1], "서\uFFFD\uFFFD");
  EXPECT_EQ(t.stats().invalid_bytes, 2U);
}

TEST(Tokenizer, LongTokensAreCutAtCharacterBoundaries) {
  for (TokenizeMode mode : {TokenizeMode::kWhitespace, TokenizeMode::kWords}) {
    TokenizerOptions o;
    o.mode = mode;
    o.max_token_bytes = 100;
    Tokenizer t(o);
    std::string huge;
    for (int i = 0; i < 1000; ++i) huge += "가";
    std::vector<std::string_view> v;
    const std::string line1 = "x " + huge + " y";
    t.split(line1, v);
    ASSERT_EQ(v.size(), 3U);
    EXPECT_EQ(v[1].size(), 99U);  // 33 whole syllables
    EXPECT_TRUE(is_valid(v[1]));
    EXPECT_EQ(v[1], huge.substr(0, 99));
    EXPECT_EQ(t.stats().truncated_tokens, 1U);

    const std::string line2 = "a" + huge.substr(0, 150);  // 1 + 33 * 3 = 100 bytes fit exactly
    t.split(line2, v);
    ASSERT_EQ(v.size(), 1U);
    EXPECT_EQ(v[0].size(), 100U);
    const std::string line3(500, 'z');
    t.split(line3, v);
    ASSERT_EQ(v.size(), 1U);
    EXPECT_EQ(v[0], std::string(100, 'z'));
    const std::string line4 = "\U0001F600\U0001F600" + std::string(98, 'q');  // 8 + 98 bytes
    t.split(line4, v);
    if (mode == TokenizeMode::kWhitespace) {
      ASSERT_EQ(v.size(), 1U);
      EXPECT_EQ(v[0].size(), 100U);
      EXPECT_TRUE(is_valid(v[0]));
    }
  }
}

TEST(Tokenizer, NfdAndNfcHangulAreTheSameToken) {
  const Tokens nfc = split("서울 서울의");
  const Tokens nfd = split(kNfdSeoul + " " + kNfdSeoul + "의");
  EXPECT_EQ(nfc, (Tokens{"서울", "서울의"}));
  EXPECT_EQ(nfd, nfc);
  EXPECT_EQ(split(kNfdSeoul + ",", words()), (Tokens{"서울"}));
  EXPECT_EQ(split("cafe\u0301"), (Tokens{"caf\u00E9"}));
}

TEST(Tokenizer, NoNormalizeKeepsTheBytes) {
  TokenizerOptions o;
  o.normalize = false;
  EXPECT_EQ(split(kNfdSeoul, o), (Tokens{kNfdSeoul}));
  EXPECT_NE(split(kNfdSeoul, o), split("서울", o));
}

TEST(Tokenizer, LowercaseFollowsUnicode) {
  TokenizerOptions o;
  o.lowercase = true;
  EXPECT_EQ(split("Paris ΑΘΗΝΑ МОСКВА Éire 서울 ＡＢＣ", o),
            (Tokens{"paris", "αθηνα", "москва", "éire", "서울", "ａｂｃ"}));
  // Lowercase and NFC together: a decomposed capital É.
  EXPECT_EQ(split("E\u0301COLE", o), (Tokens{"\u00E9cole"}));
  EXPECT_EQ(split("PLAIN ASCII", o), (Tokens{"plain", "ascii"}));
}

TEST(Tokenizer, WordsModeKorean) {
  EXPECT_EQ(
      split("서울, 서울. \"서울\" 「서울」 『서울』 (서울) 《서울》 “서울” '서울' [서울]", words()),
      Tokens(10, "서울"));
  EXPECT_EQ(split("서울의 인구는 2022년 약 950만 명이다.", words()),
            (Tokens{"서울의", "인구는", "2022년", "약", "950만", "명이다"}));
  EXPECT_EQ(split("경제·사회·문화 서울-부산 간 1990-2000년 〈서울〉…", words()),
            (Tokens{"경제", "사회", "문화", "서울", "부산", "간", "1990", "2000년", "서울"}));
  EXPECT_EQ(split("東京・大阪、北京。", words()), (Tokens{"東京", "大阪", "北京"}));
}

TEST(Tokenizer, WordsModeEnglish) {
  EXPECT_EQ(split("\"Don't,\" he said; rock'n'roll isn't O’Neill's.", words()),
            (Tokens{"Don't", "he", "said", "rock'n'roll", "isn't", "O’Neill's"}));
  EXPECT_EQ(
      split("'tis the dogs' toys (e-mail) state-of-the-art covid-19 F-16", words()),
      (Tokens{"tis", "the", "dogs", "toys", "e-mail", "state-of-the-art", "covid-19", "F-16"}));
  EXPECT_EQ(split("pi is 3.14, a crowd of 1,000. In 1990-2000 -x y- a--b", words()),
            (Tokens{"pi", "is", "3.14", "a", "crowd", "of", "1,000", "In", "1990", "2000", "x", "y",
                    "a", "b"}));
  EXPECT_EQ(split("U.S. C++ C# $100 50% snake_case a/b x&y", words()),
            (Tokens{"U", "S", "C", "C", "100", "50", "snake_case", "a", "b", "x", "y"}));
  EXPECT_EQ(split("naïve café Ελλάδα Москва", words()),
            (Tokens{"naïve", "café", "Ελλάδα", "Москва"}));
  EXPECT_EQ(split("Paris, France.", words(true)), (Tokens{"paris", "france"}));
}

TEST(Tokenizer, WordsModeDropsSymbolsAndKeepsJoiners) {
  EXPECT_EQ(split("I ❤ NY 😀!", words()), (Tokens{"I", "NY"}));
  EXPECT_EQ(split("می\u200Cخواهم co\u00ADoperate", words()),
            (Tokens{"می\u200Cخواهم", "co\u00ADoperate"}));
  EXPECT_EQ(split("\u200Dx\u200D", words()), (Tokens{"x"}));
}

TEST(Tokenizer, NormalizeWordMatchesCorpusTokens) {
  Tokenizer t;
  EXPECT_EQ(t.normalize_word(kNfdSeoul), "서울");
  EXPECT_EQ(t.normalize_word("a\xFF"), "a\uFFFD");
  EXPECT_EQ(t.stats().invalid_bytes, 1U);
  TokenizerOptions o;
  o.lowercase = true;
  Tokenizer lower(o);
  EXPECT_EQ(lower.normalize_word("ΑΘΗΝΑ"), "αθηνα");
}

// Whatever the bytes, a token is non-empty valid UTF-8 within max_token_bytes, with no
// separator inside; words-mode tokens start and end with a word character.
TEST(Tokenizer, RandomBytesNeverProduceBadTokens) {
  std::mt19937 rng(12345);
  const std::vector<std::string> pieces = {"a",
                                           "Z",
                                           " ",
                                           "\t",
                                           std::string(1, '\0'),
                                           "\x01",
                                           "\xFF",
                                           "\xC3",
                                           "\xA9",
                                           "\xEC\x84\x9C",
                                           "\xE1\x84\x89",
                                           "\xE1\x85\xA5",
                                           "\xCC\x81",
                                           "\xC2\xA0",
                                           "\xE3\x80\x80",
                                           "\xE2\x80\xA8",
                                           "'",
                                           "-",
                                           ".",
                                           ",",
                                           "\xEF\xBB\xBF",
                                           "\xF0\x9F\x98\x80",
                                           "7",
                                           "_"};
  for (TokenizeMode mode : {TokenizeMode::kWhitespace, TokenizeMode::kWords}) {
    for (bool lower : {false, true}) {
      TokenizerOptions o;
      o.mode = mode;
      o.lowercase = lower;
      o.max_token_bytes = 16;
      Tokenizer t(o);
      std::vector<std::string_view> v;
      for (int line = 0; line < 3000; ++line) {
        std::string s;
        const int n = static_cast<int>(rng() % 40);
        for (int k = 0; k < n; ++k) s += pieces[rng() % pieces.size()];
        if (rng() % 2 == 0) s += std::string(1, '\0');
        const std::uint64_t truncated_before = t.stats().truncated_tokens;
        t.split(s, v);
        const bool cut = t.stats().truncated_tokens != truncated_before;
        for (std::string_view tok : v) {
          ASSERT_FALSE(tok.empty());
          ASSERT_LE(tok.size(), 16U);
          ASSERT_TRUE(is_valid(tok));
          std::size_t i = 0;
          while (i < tok.size()) {
            std::size_t len = 1;
            const std::int32_t cp = decode(tok, i, len);
            ASSERT_FALSE(is_separator(static_cast<char32_t>(cp))) << cp;
            i += len;
          }
          if (mode == TokenizeMode::kWords && !cut) {
            for (char edge : {tok.front(), tok.back()}) {
              ASSERT_TRUE(edge != '\'' && edge != '-' && edge != '.' && edge != ',') << tok;
            }
          }
        }
      }
    }
  }
}

}  // namespace
}  // namespace w2v::text
