// Splits a line of text into tokens.
//
// Rules (whitespace mode, the default):
//  * Tokens are separated by Unicode White_Space, control characters (NUL included), U+200B and
//    U+FEFF, so no token can ever contain a byte that breaks a word2vec text file or a TSV line.
//  * Invalid UTF-8: each invalid byte is replaced by U+FFFD (as browsers and Python's
//    errors='replace' do) and counted in stats().invalid_bytes. Nothing is dropped silently.
//  * Unicode NFC normalisation (utf8proc) unless disabled, so NFD Hangul and composed Hangul are
//    the same token; optional full Unicode lowercasing.
//  * A token longer than max_token_bytes is cut at the last UTF-8 character boundary that fits,
//    and counted in stats().truncated_tokens.
// Words mode additionally splits punctuation off words (see tokenizer.cpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace w2v::text {

enum class TokenizeMode { kWhitespace, kWords };

struct TokenizerOptions {
  TokenizeMode mode = TokenizeMode::kWhitespace;
  bool normalize = true;   // NFC
  bool lowercase = false;  // full Unicode lowercase
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

// "whitespace" | "words"; throws w2v::Error (exit 2) otherwise.
TokenizeMode parse_tokenize_mode(const std::string& name);

class Tokenizer {
 public:
  explicit Tokenizer(TokenizerOptions options = {}) : options_(options) {}

  // Splits one line (no newline inside) into `tokens` (cleared first). The views point into
  // `line` or into this tokenizer's scratch buffers: valid until the next call.
  void split(std::string_view line, std::vector<std::string_view>& tokens);

  // Normalises one query word the same way corpus text is (NFC, lowercase if enabled), so that
  // a query typed in NFD finds the NFC word. Invalid bytes become U+FFFD.
  std::string normalize_word(std::string_view word);

  const TokenizerOptions& options() const { return options_; }
  const TokenizerStats& stats() const { return stats_; }

 private:
  std::string_view prepare(std::string_view line);  // sanitize + normalise when needed
  void split_whitespace(std::string_view text, std::vector<std::string_view>& tokens);
  void split_words(std::string_view text, std::vector<std::string_view>& tokens);
  void push(std::string_view token, std::vector<std::string_view>& tokens);

  TokenizerOptions options_;
  TokenizerStats stats_;
  std::string sanitized_;
  std::string normalized_;
  std::string words_scratch_;
};

}  // namespace w2v::text
