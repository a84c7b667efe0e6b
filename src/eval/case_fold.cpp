#include "eval/case_fold.hpp"

#include <utf8proc.h>

#include "text/utf8.hpp"
#include "util/error.hpp"

namespace w2v::eval {

std::string fold_case(std::string_view word, CaseFold fold) {
  std::string out;
  switch (fold) {
    case CaseFold::kNone:
      out.assign(word);
      break;
    case CaseFold::kAscii:
      out.assign(word);
      for (char& ch : out) {
        if (ch >= 'a' && ch <= 'z') {
          ch = static_cast<char>(ch - 'a' + 'A');
        }
      }
      break;
    case CaseFold::kUnicode: {
      out.reserve(word.size());
      std::size_t i = 0;
      while (i < word.size()) {
        std::size_t len = 1;
        const std::int32_t cp = text::decode(word, i, len);
        if (cp < 0) {
          out.push_back(word[i]);  // invalid byte: kept as is
        } else {
          text::encode(static_cast<char32_t>(utf8proc_toupper(cp)), out);
        }
        i += len;
      }
      break;
    }
  }
  return out;
}

CaseFold parse_case_fold(const std::string& name) {
  if (name == "none") {
    return CaseFold::kNone;
  }
  if (name == "ascii") {
    return CaseFold::kAscii;
  }
  if (name == "unicode") {
    return CaseFold::kUnicode;
  }
  throw Error("unknown case folding '" + name + "' (expected none, ascii or unicode)", kExitUsage);
}

const char* case_fold_name(CaseFold fold) {
  switch (fold) {
    case CaseFold::kNone:
      return "none";
    case CaseFold::kAscii:
      return "ascii";
    case CaseFold::kUnicode:
      return "unicode";
  }
  return "?";
}

}  // namespace w2v::eval
