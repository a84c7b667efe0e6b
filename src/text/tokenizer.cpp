#include "text/tokenizer.hpp"

#include <utf8proc.h>

#include <cstdlib>
#include <fmt/format.h>

#include "text/utf8.hpp"
#include "util/error.hpp"

namespace w2v::text {

TokenizeMode parse_tokenize_mode(const std::string& name) {
  if (name == "whitespace") return TokenizeMode::kWhitespace;
  if (name == "words") return TokenizeMode::kWords;
  throw Error(fmt::format("unknown --tokenize '{}' (use whitespace or words)", name), kExitUsage);
}

namespace {

// NFC and/or lowercase of valid UTF-8 `in` into `out`.
void normalize_into(std::string_view in, bool nfc, bool lower, std::string& out) {
  std::string_view src = in;
  std::string lowered;
  if (lower) {
    lowered.reserve(in.size());
    std::size_t i = 0;
    while (i < in.size()) {
      std::size_t len = 1;
      const std::int32_t cp = decode(in, i, len);
      encode(static_cast<char32_t>(utf8proc_tolower(cp < 0 ? kReplacement : cp)), lowered);
      i += len;
    }
    src = lowered;
  }
  if (!nfc) {
    out.assign(src);
    return;
  }
  utf8proc_uint8_t* dst = nullptr;
  const utf8proc_ssize_t n =
      utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(src.data()),
                   static_cast<utf8proc_ssize_t>(src.size()), &dst,
                   static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
  if (n < 0) {  // cannot happen on sanitized input; keep the text as it is
    out.assign(src);
    return;
  }
  out.assign(reinterpret_cast<const char*>(dst), static_cast<std::size_t>(n));
  std::free(dst);
}

bool is_ascii_separator(unsigned char c) { return c <= 0x20 || c == 0x7F; }

}  // namespace

std::string_view Tokenizer::prepare(std::string_view line) {
  if (is_ascii(line)) {
    if (!options_.lowercase) return line;
    normalized_.assign(line);
    for (char& c : normalized_) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return normalized_;
  }
  sanitized_.clear();
  const std::size_t bad = sanitize(line, sanitized_);
  stats_.invalid_bytes += bad;
  std::string_view text = sanitized_;
  if (options_.normalize || options_.lowercase) {
    normalize_into(text, options_.normalize, options_.lowercase, normalized_);
    text = normalized_;
  }
  return text;
}

void Tokenizer::push(std::string_view token, std::vector<std::string_view>& tokens) {
  if (token.empty()) return;
  if (token.size() > options_.max_token_bytes) {
    token = token.substr(0, truncate_at_char_boundary(token, options_.max_token_bytes));
    ++stats_.truncated_tokens;
    if (token.empty()) return;
  }
  tokens.push_back(token);
}

void Tokenizer::split_whitespace(std::string_view text, std::vector<std::string_view>& tokens) {
  const char* s = text.data();
  const std::size_t n = text.size();
  std::size_t i = 0;
  std::size_t start = 0;
  while (i < n) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if (is_ascii_separator(c)) {
        push(text.substr(start, i - start), tokens);
        start = i + 1;
      }
      ++i;
      continue;
    }
    std::size_t len = 1;
    const std::int32_t cp = decode(text, i, len);
    if (cp >= 0 && is_separator(static_cast<char32_t>(cp))) {
      push(text.substr(start, i - start), tokens);
      start = i + len;
    }
    i += len;
  }
  push(text.substr(start, n - start), tokens);
}

namespace {
bool is_word_char(std::int32_t cp) {
  if (cp < 0) return true;
  if (cp < 0x80) {
    return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') ||
           cp == '_';
  }
  switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME: case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO: case UTF8PROC_CATEGORY_PC:
      return true;
    default:
      return false;  // punctuation, symbols, separators, controls
  }
}
bool is_letter(std::int32_t cp) {
  if (cp < 0x80) return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
  const auto cat = utf8proc_category(cp);
  return cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO;
}
bool is_digit(std::int32_t cp) {
  return cp >= 0 && (cp < 0x80 ? (cp >= '0' && cp <= '9')
                               : utf8proc_category(cp) == UTF8PROC_CATEGORY_ND);
}
}  // namespace

// Words mode: a token is a maximal run of letters, marks, digits and connector punctuation.
// Kept inside a token: an apostrophe (' or U+2019) between two letters (don't, l'homme),
// a hyphen between two letters or digits (state-of-the-art, covid-19), and '.' or ','
// between two digits (3.14, 1,000). All other punctuation and symbols separate tokens and
// are dropped.
void Tokenizer::split_words(std::string_view text, std::vector<std::string_view>& tokens) {
  const std::size_t n = text.size();
  std::size_t i = 0;
  std::size_t start = std::string_view::npos;
  std::int32_t prev = -2;  // previous code point inside the current token
  while (i < n) {
    std::size_t len = 1;
    const std::int32_t cp = decode(text, i, len);
    bool word = is_word_char(cp);
    if (!word && start != std::string_view::npos && i + len < n) {
      std::size_t len2 = 1;
      const std::int32_t next = decode(text, i + len, len2);
      if ((cp == '\'' || cp == 0x2019) && is_letter(prev) && is_letter(next)) word = true;
      if (cp == '-' && (is_letter(prev) || is_digit(prev)) && (is_letter(next) || is_digit(next)))
        word = true;
      if ((cp == '.' || cp == ',') && is_digit(prev) && is_digit(next)) word = true;
    }
    if (word) {
      if (start == std::string_view::npos) start = i;
      prev = cp;
    } else if (start != std::string_view::npos) {
      push(text.substr(start, i - start), tokens);
      start = std::string_view::npos;
      prev = -2;
    }
    i += len;
  }
  if (start != std::string_view::npos) push(text.substr(start), tokens);
}

void Tokenizer::split(std::string_view line, std::vector<std::string_view>& tokens) {
  tokens.clear();
  const std::string_view text = prepare(line);
  if (options_.mode == TokenizeMode::kWhitespace) {
    split_whitespace(text, tokens);
  } else {
    split_words(text, tokens);
  }
}

std::string Tokenizer::normalize_word(std::string_view word) {
  std::string clean;
  stats_.invalid_bytes += sanitize(word, clean);
  if (!options_.normalize && !options_.lowercase) return clean;
  std::string out;
  normalize_into(clean, options_.normalize, options_.lowercase, out);
  return out;
}

}  // namespace w2v::text
