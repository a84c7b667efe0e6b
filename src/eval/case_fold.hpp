// Case folding for the evaluation sets, as the reference tools do it.
//
//   kAscii   : bytes a-z -> A-Z, every other byte unchanged. This is word2vec's compute-accuracy,
//              which calls toupper() byte by byte in the "C" locale on the vocabulary and the
//              questions.
//   kUnicode : every UTF-8 code point mapped to its simple uppercase (utf8proc_toupper); invalid
//              bytes unchanged. This is gensim's str.upper() except for the few characters whose
//              uppercase is more than one code point (German sharp s -> "SS" in Python, unchanged
//              here).
//   kNone    : exact bytes (case-sensitive).
#pragma once

#include <string>
#include <string_view>

namespace w2v::eval {

enum class CaseFold { kNone, kAscii, kUnicode };

std::string fold_case(std::string_view word, CaseFold fold);
// "none" | "ascii" | "unicode"; throws w2v::Error (exit 2) otherwise.
CaseFold parse_case_fold(const std::string& name);
const char* case_fold_name(CaseFold fold);

}  // namespace w2v::eval
