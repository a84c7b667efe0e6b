#include "text/json.hpp"

#include <fmt/format.h>
#include <cstdint>

#include "text/utf8.hpp"

namespace w2v::text {

std::string json_string(std::string_view s, JsonContext context) {
  const bool html = context == JsonContext::kInsideHtml;
  std::string out = "\"";
  out.reserve(s.size() + 2);
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t len = 1;
    const std::int32_t cp = decode(s, i, len);
    switch (cp) {
      case -1:
        out += "\\ufffd";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      case '<':
      case '>':
      case '&':
        if (html) {
          out += fmt::format("\\u{:04x}", cp);
        } else {
          out.push_back(static_cast<char>(cp));
        }
        break;
      case 0x7f:
      case 0x2028:
      case 0x2029:
        out += fmt::format("\\u{:04x}", cp);
        break;
      default:
        if (cp < 0x20) {
          out += fmt::format("\\u{:04x}", cp);
        } else {
          out.append(s.substr(i, len));
        }
    }
    i += len;
  }
  out.push_back('"');
  return out;
}

}  // namespace w2v::text
