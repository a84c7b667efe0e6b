// Unicode normalisation (NFC) and lowercasing through utf8proc, with a fast
// path: text whose code points are all "NFC-inert" (ASCII, Hangul syllables,
// CJK ideographs, most Latin, Cyrillic ...) is returned as it is, without a
// copy. Everything else goes through utf8proc.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace w2v::text {

// True if NFC leaves `cp` unchanged whatever stands around it: canonical
// combining class 0, NFC of the code point alone is itself, and it is never the
// second part of a canonical composition (combining marks, Hangul medial vowels
// and final consonants U+1161.. are not inert). A string of inert code points
// is in NFC. Supplementary-plane code points are reported as not inert (they
// take the utf8proc path).
bool is_nfc_inert(char32_t cp) noexcept;

// Unicode simple lowercase mapping of one code point (Latin, Greek, Cyrillic,
// Armenian, ...). Final sigma is not special-cased: Σ always becomes σ.
char32_t to_lower(char32_t cp) noexcept;

// One pass over any bytes: `valid` = all valid UTF-8; `inert` = every code point NFC-inert (then
// NFC would return the text unchanged). Stops early once both are false.
struct Scan {
  bool valid = true;
  bool inert = true;
};
Scan scan(std::string_view bytes) noexcept;

// Reusable buffers for normalising many strings without allocating per call.
// Inputs must be valid UTF-8 (sanitize first). Returned views point into the
// input or into this object, valid until the next call.
class Normalizer {
 public:
  std::string_view nfc(std::string_view valid_utf8);
  std::string_view lowercase(std::string_view valid_utf8);

 private:
  std::vector<std::int32_t> codepoints_;
  std::string lowered_;
};

// NFC of any bytes: invalid UTF-8 bytes become U+FFFD first. For query words,
// so a word typed in NFD (macOS, some web text) finds the NFC word that
// training stored.
std::string to_nfc(std::string_view bytes);

}  // namespace w2v::text
