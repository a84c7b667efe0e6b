#include "text/utf8.hpp"

#include <utf8proc.h>

namespace w2v::text {

std::int32_t decode(std::string_view s, std::size_t i, std::size_t& len) noexcept {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data()) + i;
  const std::size_t avail = s.size() - i;
  len = 1;
  const unsigned c0 = p[0];
  if (c0 < 0x80) return static_cast<std::int32_t>(c0);
  std::size_t n = 0;
  std::uint32_t cp = 0;
  std::uint32_t min = 0;
  if (c0 >= 0xC2 && c0 <= 0xDF) {
    n = 2;
    cp = c0 & 0x1F;
    min = 0x80;
  } else if (c0 >= 0xE0 && c0 <= 0xEF) {
    n = 3;
    cp = c0 & 0x0F;
    min = 0x800;
  } else if (c0 >= 0xF0 && c0 <= 0xF4) {
    n = 4;
    cp = c0 & 0x07;
    min = 0x10000;
  } else {
    return -1;
  }
  if (avail < n) return -1;
  for (std::size_t k = 1; k < n; ++k) {
    const unsigned c = p[k];
    if ((c & 0xC0) != 0x80) return -1;
    cp = (cp << 6) | (c & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return -1;
  len = n;
  return static_cast<std::int32_t>(cp);
}

void encode(char32_t cp, std::string& out) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

bool is_ascii(std::string_view s) noexcept {
  unsigned char acc = 0;
  for (char c : s) acc |= static_cast<unsigned char>(c);
  return acc < 0x80;
}

std::size_t valid_prefix(std::string_view s) noexcept {
  std::size_t i = 0;
  const std::size_t n = s.size();
  while (i < n) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 1;
    if (decode(s, i, len) < 0) return i;
    i += len;
  }
  return n;
}

std::size_t sanitize(std::string_view s, std::string& out) {
  std::size_t bad = 0;
  std::size_t i = 0;
  while (i < s.size()) {
    const std::size_t good = valid_prefix(s.substr(i));
    out.append(s.data() + i, good);
    i += good;
    if (i < s.size()) {  // one invalid byte
      encode(kReplacement, out);
      ++bad;
      ++i;
    }
  }
  return bad;
}

std::size_t truncate_at_char_boundary(std::string_view s, std::size_t max_bytes) noexcept {
  if (s.size() <= max_bytes) return s.size();
  std::size_t n = max_bytes;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return n;
}

bool is_separator(char32_t cp) noexcept {
  if (cp <= 0x20 || (cp >= 0x7F && cp <= 0xA0)) return true;  // C0, space, DEL, C1, NBSP
  switch (cp) {
    case 0x1680:  // ogham space mark
    case 0x2028:  // line separator
    case 0x2029:  // paragraph separator
    case 0x202F:  // narrow no-break space
    case 0x205F:  // medium mathematical space
    case 0x3000:  // ideographic space
    case 0x200B:  // zero width space
    case 0xFEFF:  // byte-order mark / zero width no-break space
      return true;
    default:
      return cp >= 0x2000 && cp <= 0x200A;  // en quad .. hair space
  }
}

CharCategory char_category(char32_t cp) noexcept {
  switch (utf8proc_category(static_cast<utf8proc_int32_t>(cp))) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
      return CharCategory::kLetter;
    case UTF8PROC_CATEGORY_ND:
      return CharCategory::kDigit;
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
      return CharCategory::kOtherNumber;
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME:
      return CharCategory::kMark;
    case UTF8PROC_CATEGORY_PC:
      return CharCategory::kConnector;
    default:
      return CharCategory::kOther;
  }
}

std::size_t display_width(std::string_view s) noexcept {
  std::size_t w = 0;
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t len = 1;
    const std::int32_t cp = decode(s, i, len);
    const int cw = cp < 0 ? 1 : utf8proc_charwidth(cp);
    w += static_cast<std::size_t>(cw > 0 ? cw : 0);
    i += len;
  }
  return w;
}

}  // namespace w2v::text
