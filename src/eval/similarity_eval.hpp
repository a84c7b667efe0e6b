// Word-similarity evaluation (WordSim-353, SimLex-999, ...), with gensim's evaluate_word_pairs
// rules.
//
// File format: one pair a line, "word1 SEP word2 SEP score". SEP is a tab if the line has one,
// else a comma if it has one, else runs of spaces. Tolerated: a UTF-8 byte-order mark, '\r' line
// ends, blank lines, '#' comment lines, and one header line - the first non-comment line, when
// its score field is not a number (the Korean WordSim-353 file has "word 1,word 2,kor_score").
// Any other line without exactly three fields and a finite numeric score is an error naming the
// file and line.
//
// A pair is used when both words are among the first `restrict` rows (after case folding),
// otherwise skipped. The model's score is the cosine of the two rows (the first row of each
// folded word); Spearman's rho (average ranks for ties, as scipy.stats.spearmanr) and Pearson's r
// compare it with the human scores over the used pairs.
#pragma once

#include <cstddef>
#include <istream>
#include <string>
#include <vector>

#include "eval/case_fold.hpp"
#include "io/vectors_format.hpp"

namespace w2v::eval {

struct SimilarityPair {
  std::string a, b;
  double gold = 0;
  std::size_t line = 0;
};

struct SimilaritySet {
  std::string path;
  std::vector<SimilarityPair> pairs;
  bool had_header = false;
};

SimilaritySet parse_similarity(std::istream& in, const std::string& name);
SimilaritySet read_similarity(const std::string& path);

// Ranks 1..n, ties get the average of their ranks.
std::vector<double> average_ranks(const std::vector<double>& x);
// NaN when either side is constant or fewer than two values.
double pearson(const std::vector<double>& x, const std::vector<double>& y);
double spearman(const std::vector<double>& x, const std::vector<double>& y);

struct SimilarityOptions {
  std::size_t restrict = 300000;  // gensim's default; 0 = the whole vocabulary
  CaseFold fold = CaseFold::kUnicode;
  // Korean eojeol missing from the vocabulary are looked up through their stem (EvalVocab).
  bool stems = true;
};

struct SimilarityScore {
  double spearman = 0, pearson = 0;  // NaN when undefined
  std::size_t pairs = 0;             // used
  std::size_t skipped = 0;           // a word outside the restricted vocabulary
  std::size_t vocab = 0;
  std::size_t by_vocabulary = 0;  // pairs whose two words are in the vocabulary
  std::size_t by_stem = 0;        // pairs scored through the stem of at least one word
  std::vector<double> model;      // per pair in file order; NaN for skipped pairs
};

SimilarityScore evaluate_similarity(const std::vector<std::string>& words, const Matrix& matrix,
                                    const SimilaritySet& set, const SimilarityOptions& options);
inline SimilarityScore evaluate_similarity(const io::Vectors& vectors, const SimilaritySet& set,
                                           const SimilarityOptions& options) {
  return evaluate_similarity(vectors.words, vectors.matrix, set, options);
}

}  // namespace w2v::eval
