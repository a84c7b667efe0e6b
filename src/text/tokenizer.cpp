#include "text/tokenizer.hpp"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <cstring>

#include <fmt/format.h>
#include <array>

#include "text/utf8.hpp"
#include "util/error.hpp"

namespace w2v::text {

TokenizeMode parse_tokenize_mode(const std::string& name) {
  if (name == "whitespace") return TokenizeMode::kWhitespace;
  if (name == "words") return TokenizeMode::kWords;
  if (name == "korean") return TokenizeMode::kKorean;
  if (name == "auto") return TokenizeMode::kAuto;
  throw Error(fmt::format("unknown --tokenize '{}' (use auto, whitespace, words or korean)", name),
              kExitUsage);
}

const char* tokenize_mode_name(TokenizeMode mode) {
  switch (mode) {
    case TokenizeMode::kWhitespace:
      return "whitespace";
    case TokenizeMode::kWords:
      return "words";
    case TokenizeMode::kKorean:
      return "korean";
    case TokenizeMode::kAuto:
      break;
  }
  return "auto";
}

namespace {

bool is_ascii_separator(unsigned char c) {
  return c <= 0x20 || c == 0x7F;
}

// Decodes a character of text already known to be valid UTF-8 (lead byte >= 0xC2).
inline char32_t decode_valid(const char* s, std::size_t& len) {
  const auto* p = reinterpret_cast<const unsigned char*>(s);
  const unsigned c = p[0];
  if (c < 0xE0) {
    len = 2;
    return ((c & 0x1FU) << 6) | (p[1] & 0x3FU);
  }
  if (c < 0xF0) {
    len = 3;
    return ((c & 0x0FU) << 12) | ((p[1] & 0x3FU) << 6) | (p[2] & 0x3FU);
  }
  len = 4;
  return ((c & 0x07U) << 18) | ((p[1] & 0x3FU) << 12) | ((p[2] & 0x3FU) << 6) | (p[3] & 0x3FU);
}

// Lead bytes of the non-ASCII separators: U+0080..U+00A0 (C2), U+1680 (E1), U+2000..U+205F (E2),
// U+3000 (E3), U+FEFF (EF). Any other lead byte starts a character that is never a separator.
inline bool may_start_separator(unsigned char lead) {
  return lead == 0xC2 || lead == 0xE1 || lead == 0xE2 || lead == 0xE3 || lead == 0xEF;
}

// Words mode: what a code point does.
enum class Kind : std::uint8_t {
  kSeparator,   // dropped, ends a token
  kLetter,      // L*
  kDigit,       // Nd
  kWord,        // other word characters: M*, Nl, No, Pc, U+FFFD
  kApostrophe,  // ' U+2019: kept between letters
  kHyphen,      // - U+2010 U+2011: kept between letters/digits (see the header)
  kNumberMark,  // . , : kept between digits
  kJoiner,      // U+00AD U+200C U+200D: kept between word characters
};

struct CharInfo {
  Kind kind = Kind::kSeparator;
  bool cjk = false;  // Hangul, kana or ideograph: hyphens do not join these
};

constexpr bool in_word(Kind k) {
  return k == Kind::kLetter || k == Kind::kDigit || k == Kind::kWord;
}

constexpr std::array<CharInfo, 128> make_ascii_table() {
  std::array<CharInfo, 128> t{};
  for (int c = 0; c < 128; ++c) {
    Kind k = Kind::kSeparator;
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) k = Kind::kLetter;
    if (c >= '0' && c <= '9') k = Kind::kDigit;
    if (c == '_') k = Kind::kWord;
    if (c == '\'') k = Kind::kApostrophe;
    if (c == '-') k = Kind::kHyphen;
    if (c == '.' || c == ',') k = Kind::kNumberMark;
    t[static_cast<std::size_t>(c)] = CharInfo{k, false};
  }
  return t;
}
constexpr std::array<CharInfo, 128> kAscii = make_ascii_table();

// 256 entries so any byte can index it: true for ASCII letters, digits and '_'.
constexpr std::array<bool, 256> make_ascii_word_table() {
  std::array<bool, 256> t{};
  for (std::size_t c = 0; c < 128; ++c) t[c] = in_word(kAscii[c].kind);
  return t;
}
constexpr std::array<bool, 256> kAsciiWord = make_ascii_word_table();

constexpr std::array<bool, 256> make_alnum_table() {
  std::array<bool, 256> t{};
  for (int c = 0; c < 128; ++c)
    t[static_cast<std::size_t>(c)] = in_word(kAscii[static_cast<std::size_t>(c)].kind);
  return t;
}
constexpr std::array<bool, 256> kAsciiAlnum = make_alnum_table();

bool is_cjk(char32_t cp) {
  return (cp >= 0x1100 && cp <= 0x11FF) ||  // Hangul jamo
         (cp >= 0x3040 && cp <= 0x30FF) ||  // hiragana, katakana
         (cp >= 0x3130 && cp <= 0x318F) ||  // Hangul compatibility jamo
         (cp >= 0x3400 && cp <= 0x4DBF) ||  // CJK extension A
         (cp >= 0x4E00 && cp <= 0x9FFF) ||  // CJK unified ideographs
         (cp >= 0xA960 && cp <= 0xA97F) ||  // Hangul jamo extended-A
         (cp >= 0xAC00 && cp <= 0xD7FF) ||  // Hangul syllables, jamo extended-B
         (cp >= 0xF900 && cp <= 0xFAFF) ||  // CJK compatibility ideographs
         (cp >= 0xFF66 && cp <= 0xFFDC) ||  // halfwidth katakana and Hangul
         (cp >= 0x20000 && cp <= 0x3FFFF);  // CJK extensions B..
}

CharInfo classify(char32_t cp) {
  if (cp < 0x80) return kAscii[cp];
  if (cp >= 0xAC00 && cp <= 0xD7A3) return {Kind::kLetter, true};  // Hangul syllables
  switch (cp) {
    case 0x2019:
      return {Kind::kApostrophe, false};
    case 0x2010:
    case 0x2011:
      return {Kind::kHyphen, false};
    case 0x00AD:
    case 0x200C:
    case 0x200D:
      return {Kind::kJoiner, false};
    case kReplacement:
      return {Kind::kWord, false};
    default:
      break;
  }
  if (is_separator(cp)) return {Kind::kSeparator, false};
  switch (char_category(cp)) {
    case CharCategory::kLetter:
      return {Kind::kLetter, is_cjk(cp)};
    case CharCategory::kDigit:
      return {Kind::kDigit, false};
    case CharCategory::kMark:
    case CharCategory::kOtherNumber:
    case CharCategory::kConnector:
      return {Kind::kWord, is_cjk(cp)};
    case CharCategory::kOther:
      break;
  }
  return {Kind::kSeparator, false};  // punctuation, symbols, separators, controls, unassigned
}

// Does the non-word character `mid` stay inside the token between `prev` and
// `next`?
bool joins(const CharInfo& prev, const CharInfo& mid, const CharInfo& next) {
  switch (mid.kind) {
    case Kind::kApostrophe:
      return prev.kind == Kind::kLetter && next.kind == Kind::kLetter;
    case Kind::kHyphen: {
      const bool alnum_prev = prev.kind == Kind::kLetter || prev.kind == Kind::kDigit;
      const bool alnum_next = next.kind == Kind::kLetter || next.kind == Kind::kDigit;
      const bool both_digits = prev.kind == Kind::kDigit && next.kind == Kind::kDigit;
      return alnum_prev && alnum_next && !both_digits && !prev.cjk && !next.cjk;
    }
    case Kind::kNumberMark:
      return prev.kind == Kind::kDigit && next.kind == Kind::kDigit;
    case Kind::kJoiner:
      return in_word(prev.kind) && in_word(next.kind);
    default:
      return false;
  }
}

}  // namespace

std::string_view Tokenizer::prepare(std::string_view line) {
  if (is_ascii(line)) {
    if (!options_.lowercase) return line;
    ascii_lower_.assign(line);
    for (char& c : ascii_lower_) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return ascii_lower_;
  }
  const Scan s = scan(line);
  if (s.valid && (s.inert || !options_.normalize) && !options_.lowercase) return line;
  std::string_view text = line;
  if (!s.valid) {
    const std::size_t good = valid_prefix(line);
    sanitized_.assign(line.data(), good);
    stats_.invalid_bytes += sanitize(line.substr(good), sanitized_);
    text = sanitized_;
  }
  if (options_.lowercase) text = normalizer_.lowercase(text);
  if (options_.normalize) text = normalizer_.nfc(text);
  return text;
}

void Tokenizer::push(std::string_view token, std::vector<std::string_view>& tokens) {
  if (token.size() > options_.max_token_bytes) {
    token = token.substr(0, truncate_at_char_boundary(token, options_.max_token_bytes));
    ++stats_.truncated_tokens;
    if (token.empty()) return;
  }
  tokens.push_back(token);
}

// `text` is valid UTF-8 here (prepare() made it so).
namespace {
// Index of the first byte at or after i that is not printable ASCII (0x21..0x7E), or the last
// 8-byte boundary before n: eight bytes per step (SWAR). The lowest flagged byte is exact;
// borrows can only flag bytes above it.
inline std::size_t skip_printable_ascii(const char* s, std::size_t i, std::size_t n) {
  constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
  while (i + 8 <= n) {
    std::uint64_t x;
    std::memcpy(&x, s + i, 8);
    const std::uint64_t below_0x21 = x - 0x2121212121212121ULL;
    const std::uint64_t del = x ^ 0x7F7F7F7F7F7F7F7FULL;
    const std::uint64_t is_del = (del - 0x0101010101010101ULL) & ~del;
    const std::uint64_t special = (below_0x21 | x | is_del) & kHigh;
    if (special != 0) return i + static_cast<std::size_t>(__builtin_ctzll(special) >> 3);
    i += 8;
  }
  return i;
}
}  // namespace

#if defined(__SSE2__)
namespace {
// For 64 bytes at p: bit k of `sep` set when byte k is an ASCII separator (<= 0x20 or 0x7F), of
// `high` when it is >= 0x80. SSE2 is part of x86-64, so this needs no dispatch.
inline void ascii_masks(const char* p, std::uint64_t& sep, std::uint64_t& high) {
  const __m128i space = _mm_set1_epi8(0x20), del = _mm_set1_epi8(0x7F);
  sep = high = 0;
  for (int k = 0; k < 4; ++k) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * k));
    const __m128i low = _mm_cmpeq_epi8(_mm_min_epu8(x, space), x);  // x <= 0x20, unsigned
    const __m128i is_sep = _mm_or_si128(low, _mm_cmpeq_epi8(x, del));
    sep |= static_cast<std::uint64_t>(static_cast<std::uint32_t>(_mm_movemask_epi8(is_sep)))
           << (16 * k);
    high |= static_cast<std::uint64_t>(static_cast<std::uint32_t>(_mm_movemask_epi8(x)))
            << (16 * k);
  }
}
}  // namespace
#endif

void Tokenizer::split_whitespace(std::string_view text, std::vector<std::string_view>& tokens) {
  const char* s = text.data();
  const std::size_t n = text.size();
  std::size_t i = 0;
  std::size_t start = 0;
  // One step of the byte loop: up to and including the next byte that is not printable ASCII.
  auto step = [&] {
    i = skip_printable_ascii(s, i, n);
    if (i >= n) {
      i = n;
      return;
    }
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if (is_ascii_separator(c)) {
        if (i > start) push(text.substr(start, i - start), tokens);
        start = i + 1;
      }
      ++i;
      return;
    }
    std::size_t len = 1;
    if (!may_start_separator(c)) {
      len = c < 0xE0 ? 2 : (c < 0xF0 ? 3 : 4);
    } else if (is_separator(decode_valid(s + i, len))) {
      if (i > start) push(text.substr(start, i - start), tokens);
      start = i + len;
    }
    i += len;
  };
#if defined(__SSE2__)
  // 64 bytes at a time: an all-ASCII stretch (most of most text) is cut at the set bits of its
  // separator mask; a stretch with other bytes goes through the byte loop.
  while (i + 64 <= n) {
    std::uint64_t sep, high;
    ascii_masks(s + i, sep, high);
    if (high == 0) {
      for (; sep != 0; sep &= sep - 1) {
        const std::size_t at = i + static_cast<std::size_t>(__builtin_ctzll(sep));
        if (at > start) push(text.substr(start, at - start), tokens);
        start = at + 1;
      }
      i += 64;
      continue;
    }
    const std::size_t stop = i + 64;
    while (i < stop) step();
  }
#endif
  while (i < n) step();
  if (n > start) push(text.substr(start, n - start), tokens);
}

// `text` is valid UTF-8 here (prepare() made it so).
void Tokenizer::split_words(std::string_view text, std::vector<std::string_view>& tokens) {
  constexpr std::size_t kNone = std::string_view::npos;
  const char* s = text.data();
  const std::size_t n = text.size();
  std::size_t i = 0;
  std::size_t start = kNone;
  CharInfo prev;  // last character taken into the current token
  while (i < n) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80 && kAsciiWord[c]) {  // a run of ASCII letters, digits and '_'
      std::size_t j = i + 1;
      while (j < n && kAsciiWord[static_cast<unsigned char>(s[j])]) ++j;
      if (start == kNone) start = i;
      prev = kAscii[static_cast<unsigned char>(s[j - 1])];
      i = j;
      continue;
    }
    std::size_t len = 1;
    const CharInfo info = c < 0x80 ? kAscii[c] : classify(decode_valid(s + i, len));
    bool word = in_word(info.kind);
    if (!word && start != kNone && info.kind != Kind::kSeparator && i + len < n) {
      const auto c2 = static_cast<unsigned char>(s[i + len]);
      std::size_t len2 = 1;
      const CharInfo next = c2 < 0x80 ? kAscii[c2] : classify(decode_valid(s + i + len, len2));
      word = joins(prev, info, next);
    }
    if (word) {
      if (start == kNone) start = i;
      prev = info;
    } else if (start != kNone) {
      push(text.substr(start, i - start), tokens);
      start = kNone;
    }
    i += len;
  }
  if (start != kNone) push(text.substr(start), tokens);
}

void Tokenizer::split(std::string_view line, std::vector<std::string_view>& tokens) {
  tokens.clear();
  const std::string_view text = prepare(line);
  if (options_.mode == TokenizeMode::kWhitespace || options_.mode == TokenizeMode::kAuto) {
    split_whitespace(text, tokens);
  } else {
    split_words(text, tokens);
  }
}

std::string Tokenizer::normalize_word(std::string_view word) {
  std::string clean;
  stats_.invalid_bytes += sanitize(word, clean);
  std::string_view text = clean;
  if (options_.lowercase) text = normalizer_.lowercase(text);
  if (options_.normalize) text = normalizer_.nfc(text);
  return std::string(text);
}

}  // namespace w2v::text
