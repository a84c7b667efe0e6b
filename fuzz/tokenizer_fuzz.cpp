// libFuzzer target: the tokenizer on arbitrary bytes, in every mode. Checks the guarantees the
// file formats rely on: no empty token, no separator inside a token, valid UTF-8, bounded length.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "text/tokenizer.hpp"
#include "text/utf8.hpp"

namespace {

void check_token(std::string_view t, std::size_t max_bytes) {
  if (t.empty() || t.size() > max_bytes) std::abort();
  std::size_t i = 0;
  while (i < t.size()) {
    std::size_t len = 1;
    const std::int32_t cp = w2v::text::decode(t, i, len);
    if (cp < 0) std::abort();  // invalid UTF-8 escaped the sanitizer
    if (w2v::text::is_separator(static_cast<char32_t>(cp))) std::abort();
    i += len;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  // The first byte picks the options; the rest is the text.
  const std::uint8_t flags = data[0];
  w2v::text::TokenizerOptions o;
  o.mode =
      (flags & 1) != 0 ? w2v::text::TokenizeMode::kWords : w2v::text::TokenizeMode::kWhitespace;
  o.normalize = (flags & 2) != 0;
  o.lowercase = (flags & 4) != 0;
  o.max_token_bytes = (flags & 8) != 0 ? 7 : 100;
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  w2v::text::Tokenizer tok(o);
  std::vector<std::string_view> tokens;
  // Line by line, as the corpus reader hands them out.
  std::string_view rest = text;
  while (!rest.empty()) {
    const auto nl = rest.find('\n');
    const std::string_view line = rest.substr(0, nl);
    rest.remove_prefix(nl == std::string_view::npos ? rest.size() : nl + 1);
    tok.split(line, tokens);
    for (const auto& t : tokens) check_token(t, o.max_token_bytes);
  }
  // A query word is normalised the same way; the result must be valid UTF-8.
  const std::string w = tok.normalize_word(text.substr(0, 64));
  std::size_t i = 0;
  while (i < w.size()) {
    std::size_t len = 1;
    if (w2v::text::decode(w, i, len) < 0) std::abort();
    i += len;
  }
  return 0;
}
