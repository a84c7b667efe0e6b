// Phrase detection as word2vec's word2phrase: a bigram "a b" becomes the token "a_b" when
//   (count(a_b) - min_count) / (count(a) * count(b)) * N  >  threshold
// where N is the number of words in the input and every count is that of the string ("a_b" as a
// bigram and as a literal token count together, as in word2phrase's single vocabulary). Each
// pass joins pairs only (a word just joined never joins the next), so longer phrases need more
// passes over the previous output.
//
// The rules follow word2phrase.c exactly, so that the output is byte for byte the same:
//  * words are separated by ' ', '\t' and '\n'; every '\r' is dropped (also inside a word);
//  * the token "</s>" is a line break;
//  * bigrams are counted across line breaks (the last word of a line and the first of the next)
//    but never joined across them;
//  * strings counted fewer than min_count times are unknown; a pair with an unknown part, an
//    unknown bigram, or a first word that was just joined scores 0;
//  * the score is computed in single precision, in word2phrase's order of operations;
//  * output: every word is preceded by ' ' or (joined) '_', every line break is '\n'.
// Two differences, both on input word2phrase mangles (see README "Phrases"): a word longer than
// 178 bytes is kept whole (word2phrase cuts it), and a last word with no line break after it is
// kept (word2phrase drops it).
#pragma once

#include <cstdint>
#include <string>

namespace w2v::phrases {

struct Options {
  std::int64_t min_count = 5;
  float threshold = 100;
};

struct PassStats {
  std::uint64_t words = 0;            // N: words in the input of the pass
  std::uint64_t lines = 0;            // line breaks
  std::uint64_t unigrams = 0;         // distinct words
  std::uint64_t bigrams = 0;          // distinct adjacent pairs
  std::uint64_t joined = 0;           // pairs joined in the output
  std::uint64_t distinct_joined = 0;  // distinct phrases formed
  double count_seconds = 0;
  double write_seconds = 0;
};

// Prepares `text` as word2phrase reads it: drops every '\r'.
void strip_carriage_returns(std::string& text);

// One pass over `text` (already stripped): counts, then returns the rewritten text. Uses the
// OpenMP threads available; the result does not depend on their number.
std::string phrase_pass(const std::string& text, const Options& options, PassStats& stats);

}  // namespace w2v::phrases
