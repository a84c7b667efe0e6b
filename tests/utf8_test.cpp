#include "text/utf8.hpp"

#include <gtest/gtest.h>

#include <string>

#include "text/normalize.hpp"

namespace w2v::text {
namespace {

std::int32_t decode_all(std::string_view s, std::size_t& len) {
  return decode(s, 0, len);
}

TEST(Utf8, DecodesOneToFourBytes) {
  std::size_t len = 0;
  EXPECT_EQ(decode_all("A", len), 0x41);
  EXPECT_EQ(len, 1U);
  EXPECT_EQ(decode_all("\xC3\xA9", len), 0xE9);  // é
  EXPECT_EQ(len, 2U);
  EXPECT_EQ(decode_all("\xEC\x84\x9C", len), 0xC11C);  // 서
  EXPECT_EQ(len, 3U);
  EXPECT_EQ(decode_all("\xF0\x9F\x98\x80", len), 0x1F600);  // 😀
  EXPECT_EQ(len, 4U);
}

TEST(Utf8, RejectsInvalidSequencesOneByteAtATime) {
  for (const char* bad :
       {"\x80", "\xBF", "\xC0\x80", "\xC1\xBF", "\xE0\x80\x80", "\xED\xA0\x80", "\xF4\x90\x80\x80",
        "\xF5\x80\x80\x80", "\xFF", "\xEC\x84", "\xF0\x9F\x98", "\xEC\x41\x9C"}) {
    std::size_t len = 7;
    EXPECT_EQ(decode_all(bad, len), -1) << bad;
    EXPECT_EQ(len, 1U);
  }
}

TEST(Utf8, EncodeRoundTrips) {
  for (char32_t cp : {0x0U, 0x41U, 0x7FU, 0x80U, 0x7FFU, 0x800U, 0xAC00U, 0xFFFDU, 0x10000U,
                      0x1F600U, 0x10FFFFU}) {
    std::string s;
    encode(cp, s);
    std::size_t len = 0;
    EXPECT_EQ(decode(s, 0, len), static_cast<std::int32_t>(cp));
    EXPECT_EQ(len, s.size());
  }
}

TEST(Utf8, ValidPrefixAndSanitize) {
  EXPECT_EQ(valid_prefix("abc"), 3U);
  EXPECT_EQ(valid_prefix("서울\xFF"), 6U);
  EXPECT_TRUE(is_valid("서울 Paris"));
  EXPECT_FALSE(is_valid("\xEC\x84"));

  std::string out;
  EXPECT_EQ(sanitize("a\xFF"
                     "b",
                     out),
            1U);
  EXPECT_EQ(out,
            "a\xEF\xBF\xBD"
            "b");
  out.clear();
  // A character cut off at the end of the line: each of its bytes is replaced.
  EXPECT_EQ(sanitize("서\xEC\x9A", out), 2U);
  EXPECT_EQ(out, "서\xEF\xBF\xBD\xEF\xBF\xBD");
  out.clear();
  EXPECT_EQ(sanitize("ok", out), 0U);
  EXPECT_EQ(out, "ok");
}

TEST(Utf8, TruncatesAtCharacterBoundaries) {
  const std::string s = "가나다";  // 3 x 3 bytes
  EXPECT_EQ(truncate_at_char_boundary(s, 9), 9U);
  EXPECT_EQ(truncate_at_char_boundary(s, 8), 6U);
  EXPECT_EQ(truncate_at_char_boundary(s, 4), 3U);
  EXPECT_EQ(truncate_at_char_boundary(s, 2), 0U);
  EXPECT_EQ(truncate_at_char_boundary("a😀", 4), 1U);
  EXPECT_EQ(truncate_at_char_boundary("abcdef", 3), 3U);
}

TEST(Utf8, SeparatorsAreSpacesAndControls) {
  for (char32_t cp : {0x00U,   0x01U,   0x09U,   0x0AU,   0x0DU,   0x1FU,   0x20U,   0x7FU,
                      0x85U,   0x9FU,   0xA0U,   0x1680U, 0x2000U, 0x2003U, 0x200AU, 0x200BU,
                      0x2028U, 0x2029U, 0x202FU, 0x205FU, 0x3000U, 0xFEFFU}) {
    EXPECT_TRUE(is_separator(cp)) << std::hex << static_cast<unsigned>(cp);
  }
  for (char32_t cp : {0x41U, 0x5FU, 0xADU, 0xE9U, 0x200DU, 0x3001U, 0xAC00U, 0xFFFDU, 0x1F600U}) {
    EXPECT_FALSE(is_separator(cp)) << std::hex << static_cast<unsigned>(cp);
  }
}

TEST(Normalize, InertCodePoints) {
  EXPECT_TRUE(is_nfc_inert('a'));
  EXPECT_TRUE(is_nfc_inert(0xE9));      // é, precomposed
  EXPECT_TRUE(is_nfc_inert(0xAC00));    // 가
  EXPECT_TRUE(is_nfc_inert(0x1100));    // leading consonant ᄀ: composes only with what follows
  EXPECT_TRUE(is_nfc_inert(0x4E00));    // 一
  EXPECT_FALSE(is_nfc_inert(0x0301));   // combining acute
  EXPECT_FALSE(is_nfc_inert(0x1161));   // Hangul vowel ᅡ
  EXPECT_FALSE(is_nfc_inert(0x11A8));   // Hangul final ᆨ
  EXPECT_FALSE(is_nfc_inert(0x212B));   // ANGSTROM SIGN -> Å
  EXPECT_FALSE(is_nfc_inert(0x0958));   // composition exclusion
  EXPECT_FALSE(is_nfc_inert(0xF900));   // CJK compatibility ideograph (singleton)
  EXPECT_FALSE(is_nfc_inert(0x1F600));  // supplementary planes take the slow path
}

// The fast path must agree with utf8proc: a string of inert code points is already NFC.
TEST(Normalize, InertTableAgreesWithUtf8proc) {
  int checked = 0;
  for (char32_t first : {U'a', U'e', U'A', U'\u00E9', U'\uAC00', U'\u1100', U'\u0915', U'\u3042'}) {
    ASSERT_TRUE(is_nfc_inert(first));
    for (char32_t cp = 0x80; cp < 0x10000; ++cp) {
      if (cp >= 0xD800 && cp <= 0xDFFF) continue;
      if (!is_nfc_inert(cp)) continue;
      std::string s;
      encode(first, s);
      encode(cp, s);
      ASSERT_EQ(to_nfc(s), s) << std::hex << static_cast<unsigned>(first) << " "
                              << static_cast<unsigned>(cp);
      ++checked;
    }
  }
  EXPECT_GT(checked, 8 * 50000);
}

TEST(Normalize, NfdHangulBecomesNfc) {
  const std::string nfd = "\u1109\u1165\u110B\u116E\u11AF";  // ᄉ ᅥ ᄋ ᅮ ᆯ
  EXPECT_EQ(to_nfc(nfd), "서울");
  EXPECT_EQ(to_nfc("서울"), "서울");
  EXPECT_EQ(to_nfc("e\u0301"), "\u00E9");
  EXPECT_EQ(to_nfc("\u212B"), "\u00C5");
  EXPECT_EQ(to_nfc("a\xFF"), "a\uFFFD");
  Normalizer n;
  const std::string ascii = "plain ascii";
  EXPECT_EQ(n.nfc(ascii).data(), ascii.data());  // no copy when nothing changes
}

TEST(Normalize, LowercaseUsesUnicodeRules) {
  Normalizer n;
  EXPECT_EQ(n.lowercase("ΑΘΗΝΑ"), "αθηνα");
  EXPECT_EQ(n.lowercase("МОСКВА"), "москва");
  EXPECT_EQ(n.lowercase("ÉCOLE Paris"), "école paris");
  EXPECT_EQ(n.lowercase("서울 ＡＢＣ"), "서울 ａｂｃ");
  EXPECT_EQ(n.lowercase("ΟΔΟΣ"), "οδοσ");  // simple mapping: no final-sigma rule
  EXPECT_EQ(to_lower(U'Ω'), U'ω');
  EXPECT_EQ(to_lower(U'Ж'), U'ж');
  EXPECT_EQ(to_lower(U'가'), U'가');
}

}  // namespace
}  // namespace w2v::text
