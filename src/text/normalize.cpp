#include "text/normalize.hpp"

#include <utf8proc.h>

#include <array>
#include <cstddef>
#include <cstring>

#include "text/utf8.hpp"
#include "util/error.hpp"

namespace w2v::text {
namespace {

constexpr auto kNfcOptions = static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE);

// One bit per BMP code point: 1 = NFC-inert. Built once from utf8proc's own
// data, so it follows the Unicode version of the installed library.
class InertTable {
 public:
  InertTable() {
    std::array<bool, 0x10000> unstable{};
    for (std::int32_t cp = 0; cp < 0x10000; ++cp) {
      if (cp >= 0xD800 && cp <= 0xDFFF) {
        unstable[static_cast<std::size_t>(cp)] = true;
        continue;
      }
      if (utf8proc_get_property(cp)->combining_class != 0) {
        unstable[static_cast<std::size_t>(cp)] = true;
      }
      std::array<utf8proc_int32_t, 32> d{};
      int boundclass = 0;
      const utf8proc_ssize_t n = utf8proc_decompose_char(
          cp, d.data(), static_cast<utf8proc_ssize_t>(d.size()), kNfcOptions, &boundclass);
      if (n == 1 && d[0] == cp) continue;  // no canonical decomposition
      // Every code point after the first of a canonical decomposition can
      // combine with what precedes it.
      for (utf8proc_ssize_t k = 1; k < n && k < static_cast<utf8proc_ssize_t>(d.size()); ++k) {
        if (d[static_cast<std::size_t>(k)] < 0x10000) {
          unstable[static_cast<std::size_t>(d[static_cast<std::size_t>(k)])] = true;
        }
      }
      // Composition exclusions and singletons: NFC of the code point alone is
      // something else.
      if (n > 0 && n <= static_cast<utf8proc_ssize_t>(d.size())) {
        const utf8proc_ssize_t m = utf8proc_normalize_utf32(d.data(), n, kNfcOptions);
        if (m != 1 || d[0] != cp) unstable[static_cast<std::size_t>(cp)] = true;
      } else {
        unstable[static_cast<std::size_t>(cp)] = true;
      }
    }
    for (std::size_t cp = 0; cp < unstable.size(); ++cp) {
      if (!unstable[cp]) bits_[cp >> 6] |= std::uint64_t{1} << (cp & 63);
    }
  }
  bool inert(char32_t cp) const noexcept {
    return cp < 0x10000 && ((bits_[cp >> 6] >> (cp & 63)) & 1U) != 0;
  }

 private:
  std::array<std::uint64_t, 0x10000 / 64> bits_{};
};

const InertTable& inert_table() {
  static const InertTable table;
  return table;
}

}  // namespace

bool is_nfc_inert(char32_t cp) noexcept {
  return inert_table().inert(cp);
}

Scan scan(std::string_view bytes) noexcept {
  const InertTable& table = inert_table();
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  const std::size_t n = bytes.size();
  Scan r;
  std::size_t i = 0;
  while (i < n) {
    if (i + 8 <= n) {  // skip ASCII eight bytes at a time
      std::uint64_t w = 0;
      std::memcpy(&w, p + i, 8);
      if ((w & 0x8080808080808080ULL) == 0) {
        i += 8;
        continue;
      }
    }
    const unsigned c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    // Fast path for three-byte characters (Hangul, CJK, most punctuation).
    if ((c & 0xF0) == 0xE0 && i + 2 < n && (p[i + 1] & 0xC0) == 0x80 && (p[i + 2] & 0xC0) == 0x80) {
      const char32_t cp = ((c & 0x0FU) << 12) | ((p[i + 1] & 0x3FU) << 6) | (p[i + 2] & 0x3FU);
      if (cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF)) {
        if (!table.inert(cp)) {
          r.inert = false;
          if (!r.valid) return r;
        }
        i += 3;
        continue;
      }
    }
    std::size_t len = 1;
    const std::int32_t cp = decode(bytes, i, len);
    if (cp < 0) {
      r.valid = false;
      r.inert = false;  // U+FFFD will stand for it; the text changes
      return r;
    }
    if (!table.inert(static_cast<char32_t>(cp))) r.inert = false;
    i += len;
  }
  return r;
}

char32_t to_lower(char32_t cp) noexcept {
  if (cp < 0x80) return (cp >= 'A' && cp <= 'Z') ? cp + ('a' - 'A') : cp;
  return static_cast<char32_t>(utf8proc_tolower(static_cast<utf8proc_int32_t>(cp)));
}

std::string_view Normalizer::nfc(std::string_view text) {
  const InertTable& table = inert_table();
  const std::size_t n = text.size();
  std::size_t i = 0;
  bool inert = true;
  while (i < n) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 1;
    const std::int32_t cp = decode(text, i, len);
    if (cp < 0 || !table.inert(static_cast<char32_t>(cp))) {
      inert = false;
      break;
    }
    i += len;
  }
  if (inert) return text;

  // utf8proc_map without its per-call malloc: decompose into our buffer, then
  // compose and re-encode in place (UTF-8 never takes more bytes than 4 per
  // code point).
  const auto* src = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  const auto len = static_cast<utf8proc_ssize_t>(n);
  if (codepoints_.size() < n + 1) codepoints_.resize(n + 1);
  utf8proc_ssize_t count = utf8proc_decompose(
      src, len, codepoints_.data(), static_cast<utf8proc_ssize_t>(codepoints_.size()), kNfcOptions);
  if (count > static_cast<utf8proc_ssize_t>(codepoints_.size())) {
    codepoints_.resize(static_cast<std::size_t>(count) + 1);
    count = utf8proc_decompose(src, len, codepoints_.data(),
                               static_cast<utf8proc_ssize_t>(codepoints_.size()), kNfcOptions);
  }
  if (count < 0) {
    throw Error(std::string("Unicode normalisation failed: ") + utf8proc_errmsg(count));
  }
  const utf8proc_ssize_t bytes = utf8proc_reencode(codepoints_.data(), count, kNfcOptions);
  if (bytes < 0) {
    throw Error(std::string("Unicode normalisation failed: ") + utf8proc_errmsg(bytes));
  }
  return {reinterpret_cast<const char*>(codepoints_.data()), static_cast<std::size_t>(bytes)};
}

std::string_view Normalizer::lowercase(std::string_view text) {
  lowered_.clear();
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      lowered_.push_back(static_cast<char>((c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c));
      ++i;
      continue;
    }
    std::size_t len = 1;
    const std::int32_t cp = decode(text, i, len);
    if (cp < 0) {
      encode(kReplacement, lowered_);
    } else {
      const auto u = static_cast<char32_t>(cp);
      // Hangul, kana, CJK ideographs and Yi have no case: skip the table lookup.
      const bool caseless = (u >= 0x3000 && u < 0xA640) || (u >= 0xAC00 && u < 0xD800);
      const char32_t lower = caseless ? u : to_lower(u);
      if (lower == static_cast<char32_t>(cp)) {
        lowered_.append(text.data() + i, len);
      } else {
        encode(lower, lowered_);
      }
    }
    i += len;
  }
  return lowered_;
}

std::string to_nfc(std::string_view bytes) {
  std::string clean;
  sanitize(bytes, clean);
  Normalizer normalizer;
  return std::string(normalizer.nfc(clean));
}

}  // namespace w2v::text
