#include "util/error.hpp"

#include <cstring>

namespace w2v {

std::string capped(std::string_view s, std::size_t max) {
  if (s.size() <= max) return std::string(s);
  std::size_t cut = max;
  // Back up over continuation bytes to the start of the character that would be split.
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  std::string out(s.substr(0, cut));
  out += "\xE2\x80\xA6";  // U+2026 …
  return out;
}

std::string errno_message(int err) {
  char buf[256];
  // GNU strerror_r returns a char*, which may or may not point into buf.
  const char* msg = strerror_r(err, buf, sizeof buf);
  return msg;
}

}  // namespace w2v
