// Character n-grams of words, as fastText indexes them (one implementation for training and for
// reading fastText models, io/fasttext_format.*).
//
// A word's n-grams are the substrings of "<" word ">" of minn..maxn UTF-8 characters (a lone
// "<" or ">" is left out), each hashed with 32-bit FNV-1a over its bytes taken as signed chars
// (fastText's quirk: bytes >= 0x80 are sign-extended), modulo bucket. "</s>" has none. The same
// word gives the same bucket ids as fastText's dictionary, so a model trained here composes the
// same vectors in the real fastText.
//
// With jamo (Park et al., ACL 2018, "Subword-level word vector representations for Korean"),
// each precomposed Hangul syllable (U+AC00..U+D7A3) is first decomposed into its conjoining jamo
// (initial U+1100 + L, medial U+1161 + V, and final U+11A7 + T when it has one; L V T from
// the syllable's offset as 588 L + 28 V + T), so the n-grams run over letters, not syllables.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace w2v::vocab {

// fastText's n-gram hash (FNV-1a, bytes sign-extended).
std::uint32_t ngram_hash(std::string_view s);

// Appends the bucket ids (hash % bucket) of the n-grams of `word` to `out`, in fastText's order
// (by start character, then by length). Nothing when maxn <= 0, bucket == 0 or word is "</s>".
void ngram_buckets(std::string_view word, int minn, int maxn, std::uint32_t bucket,
                   std::vector<std::int32_t>& out);

// `word` with every precomposed Hangul syllable replaced by its conjoining jamo; other
// characters are kept as they are.
std::string to_jamo(std::string_view word);

struct SubwordOptions {
  int minn = 3;
  int maxn = 6;
  std::uint32_t bucket = 2000000;
  bool jamo = false;  // n-grams over the jamo of Hangul syllables
};

// Every vocabulary word's input rows, flat (CSR): word w's rows are
// rows[offsets[w] .. offsets[w + 1]): its own row w, then nwords + the bucket id of each n-gram.
struct SubwordTable {
  std::vector<std::uint32_t> offsets;  // nwords + 1
  std::vector<std::uint32_t> rows;
  std::size_t nwords = 0;
  std::uint32_t bucket = 0;
};

SubwordTable build_subwords(const std::vector<std::string>& words, const SubwordOptions& options,
                            int threads);

}  // namespace w2v::vocab
