// The vocabulary an evaluation looks words up in: the first `restrict` rows of a vectors file
// (the most frequent words, for word2vec-format files), keyed by their case-folded form. When
// several rows fold to the same key, the first (most frequent) row answers for all of them, as in
// both compute-accuracy (linear search from the top) and gensim (dict built from the reversed
// vocabulary).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "eval/case_fold.hpp"

namespace w2v::eval {

// How an evaluation word found its row.
enum class Route {
  kVocabulary,  // the word itself (after case folding)
  kComposed,    // a composed row: a Korean form made of a stem and a suffix (AnalogyOptions::forms)
  kStem,        // a Korean eojeol the vocabulary lacks, through its stem (text::korean::resolve)
  kMissing
};
// The worse of two routes (a question is answered by the worst route any of its words took).
inline Route worse(Route a, Route b) {
  return a > b ? a : b;
}

class EvalVocab {
 public:
  static constexpr std::uint32_t kNone = 0xFFFFFFFFu;

  // restrict == 0 keeps every row.
  EvalVocab(const std::vector<std::string>& words, std::size_t restrict, CaseFold fold);

  std::size_t size() const { return canon_.size(); }
  CaseFold fold() const { return fold_; }
  // The first row whose folded word equals fold(word), or kNone.
  std::uint32_t lookup(std::string_view word) const { return find_folded(fold_case(word, fold_)); }
  // lookup(word), else (when `stems`) the row of the stem of a Korean eojeol that ends in a known
  // particle or ending and whose stem is in the vocabulary, as the query commands resolve words.
  std::uint32_t lookup(std::string_view word, bool stems, Route& route) const;
  std::uint32_t find_folded(const std::string& key) const;
  // The first row with the same folded word as `row`.
  std::uint32_t canon(std::uint32_t row) const { return canon_[row]; }
  // The next row after `row` with the same folded word, or kNone.
  std::uint32_t next_variant(std::uint32_t row) const { return next_[row]; }

 private:
  CaseFold fold_;
  std::unordered_map<std::string, std::uint32_t> map_;
  std::vector<std::uint32_t> canon_;
  std::vector<std::uint32_t> next_;
};

}  // namespace w2v::eval
