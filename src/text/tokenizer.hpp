// Splits a line of text into tokens.
//
// Always, in both modes:
//  * Invalid UTF-8: each invalid byte is replaced by U+FFFD (one per byte) and
//  counted in
//    stats().invalid_bytes. Nothing is dropped silently.
//  * Unicode NFC (utf8proc) unless `normalize` is off, so NFD Hangul
//  (ᄉ+ᅥ+ᄋ+ᅮ+ᆯ) and
//    composed Hangul (서울) are the same token. Optional Unicode lowercasing
//    (simple case mapping: Latin, Greek, Cyrillic, ...), applied before NFC.
//  * No token ever contains Unicode White_Space (U+00A0, U+3000 and the other
//  spaces included),
//    a control character (NUL included), U+200B or U+FEFF: they all separate
//    tokens, so a token cannot break a word2vec text file or a TSV line.
//  * A token longer than max_token_bytes is cut at the last UTF-8 character
//  boundary that fits,
//    and counted in stats().truncated_tokens.
//
// Whitespace mode (default, word2vec.c's rule): a token is a maximal run of
// non-separators. Punctuation stays attached ("서울," and "Paris." are their
// own tokens).
//
// Words mode: a token is a maximal run of letters (L*), marks (M*), numbers
// (N*) and connector punctuation (Pc, e.g. '_'), by Unicode general category.
// Everything else (punctuation, symbols, spaces, controls) separates tokens and
// is dropped. Inside a token these also stay:
//  * an apostrophe (' U+0027 or ’ U+2019) between two letters: don't, O'Neill,
//  l'homme;
//  * a hyphen (- U+002D, ‐ U+2010, ‑ U+2011) between two letters or digits,
//  unless both are
//    digits or either is Hangul/CJK/kana: state-of-the-art, covid-19, F-16
//    stay; 1990-2000 and 서울-부산 split;
//  * '.' or ',' between two digits: 3.14, 1,000;
//  * soft hyphen U+00AD, ZWNJ U+200C and ZWJ U+200D between word characters.
// So "서울," "서울." "\"서울\"" "「서울」" "(서울)" all give 서울; 경제·사회
// gives 경제 and 사회 (middle dots U+00B7 / U+30FB separate); 2022년 stays one
// token; "U.S." gives U and S; "C++" gives C. Korean particles are not split
// off here (서울의, 서울에서 stay whole eojeol).
//
// Korean mode: words mode, and then the corpus loader splits each eojeol into
// stem + particle/ending with a table learned from the corpus counts
// (text/korean.hpp): 서울에서 gives 서울 and 에서. Auto (the default of
// `w2v train`): Korean when the start of the input is Hangul-dominant, else
// whitespace; the loader decides before counting.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "text/normalize.hpp"

namespace w2v::text {

enum class TokenizeMode { kWhitespace, kWords, kKorean, kAuto };

struct TokenizerOptions {
  TokenizeMode mode = TokenizeMode::kWhitespace;
  bool normalize = true;   // NFC
  bool lowercase = false;  // Unicode simple lowercase
  std::size_t max_token_bytes = 100;
};

struct TokenizerStats {
  std::uint64_t invalid_bytes = 0;     // invalid UTF-8 bytes replaced by U+FFFD
  std::uint64_t truncated_tokens = 0;  // tokens cut at max_token_bytes
  void merge(const TokenizerStats& o) {
    invalid_bytes += o.invalid_bytes;
    truncated_tokens += o.truncated_tokens;
  }
};

// "whitespace" | "words" | "korean" | "auto"; throws w2v::Error (exit 2) otherwise.
TokenizeMode parse_tokenize_mode(const std::string& name);
const char* tokenize_mode_name(TokenizeMode mode);

class Tokenizer {
 public:
  explicit Tokenizer(TokenizerOptions options = {}) : options_(options) {}

  // Splits one line into `tokens` (cleared first). A '\n' or '\r' inside is a
  // separator like any other control character. The views point into `line` or
  // into this tokenizer's buffers: valid until the next call.
  void split(std::string_view line, std::vector<std::string_view>& tokens);

  // Normalises one query word the way corpus text is (invalid bytes -> U+FFFD,
  // lowercase if enabled, NFC if enabled), without splitting it.
  std::string normalize_word(std::string_view word);

  const TokenizerOptions& options() const { return options_; }
  const TokenizerStats& stats() const { return stats_; }

 private:
  std::string_view prepare(std::string_view line);  // sanitize, lowercase, NFC as needed
  void split_whitespace(std::string_view text, std::vector<std::string_view>& tokens);
  void split_words(std::string_view text, std::vector<std::string_view>& tokens);
  void push(std::string_view token, std::vector<std::string_view>& tokens);

  TokenizerOptions options_;
  TokenizerStats stats_;
  Normalizer normalizer_;
  std::string sanitized_;
  std::string ascii_lower_;
};

}  // namespace w2v::text
