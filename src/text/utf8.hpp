// UTF-8 helpers: decoding, validation, and cutting at character boundaries.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace w2v::text {

constexpr char32_t kReplacement = 0xFFFD;

// Decodes one code point at s[i] (i < s.size()). On success returns the code
// point and sets `len` to its byte length (1..4). On an invalid or truncated
// sequence (overlong forms, surrogates, > U+10FFFF included) returns -1 and
// sets `len` to 1: the bad byte is skipped alone, so each invalid byte becomes
// one U+FFFD.
std::int32_t decode(std::string_view s, std::size_t i, std::size_t& len) noexcept;

// Appends the UTF-8 encoding of `cp` (<= U+10FFFF, not a surrogate) to `out`.
void encode(char32_t cp, std::string& out);

// True if every byte is < 0x80.
bool is_ascii(std::string_view s) noexcept;

// Length of the longest prefix of `s` that is valid UTF-8 (s.size() when all of
// it is).
std::size_t valid_prefix(std::string_view s) noexcept;
inline bool is_valid(std::string_view s) noexcept {
  return valid_prefix(s) == s.size();
}

// Appends `s` to `out`, replacing each invalid byte by U+FFFD. Returns how many
// were replaced.
std::size_t sanitize(std::string_view s, std::string& out);

// Largest prefix length <= max_bytes that does not end inside a UTF-8 character
// of `s`.
std::size_t truncate_at_char_boundary(std::string_view s, std::size_t max_bytes) noexcept;

// Unicode White_Space, plus C0/C1 controls, U+200B and U+FEFF: every code point
// that must never appear inside a token, because it would break a word2vec text
// file or a TSV line.
bool is_separator(char32_t cp) noexcept;

// The Unicode general category of `cp`, in the groups the tokenizer and the plot's word filter
// tell apart (one utf8proc lookup for both).
enum class CharCategory {
  kLetter,       // Lu Ll Lt Lm Lo
  kDigit,        // Nd
  kOtherNumber,  // Nl No
  kMark,         // Mn Mc Me
  kConnector,    // Pc
  kOther         // punctuation, symbols, separators, controls, unassigned
};
CharCategory char_category(char32_t cp) noexcept;

// Terminal columns `s` takes (utf8proc's character widths: 2 for CJK, 0 for combining marks);
// an invalid byte counts as one column.
std::size_t display_width(std::string_view s) noexcept;

}  // namespace w2v::text
