// Word-analogy evaluation (questions-words.txt format), with the reference tools' rules.
//
// File format: "A B C D" questions, one a line, grouped under ": section" lines. A byte-order mark,
// blank lines and '\r' line ends are tolerated. Any other line that is not exactly four
// whitespace-separated words is an error naming the file and line. Sections whose name starts
// with "gram" (questions-words.txt) or "syn" (the Korean set: syn1_case, ...) are syntactic, the
// others semantic. (compute-accuracy calls the first five sections semantic, the rest
// syntactic: the same split for questions-words.txt; gensim reports no such split.)
//
// A question is *seen* when all four words are among the first `restrict` rows (after case
// folding); the rest are skipped, as both reference tools do. A seen question is answered with
// the best-scoring row among the first `restrict` rows, and is correct when that row's folded word
// equals D's.
//
// Rules (AnalogyRules):
//   kWord2vec (default) - word2vec's compute-accuracy exactly: rows L2-normalised in float as it
//     does, target = (b - a) + c, score = sequential float dot product (FMA where the CPU has it,
//     as compute-accuracy built with -march=native); the three rows found for A, B, C are
//     excluded (by row, so another case variant of them can still be the answer); the answer must
//     score > 0; ties go to the more frequent row. Correct/seen counts equal
//     `compute-accuracy FILE N` on the same vectors.
//   kGensim - gensim's KeyedVectors.evaluate_word_analogies: every row whose folded word equals
//     A's, B's or C's is excluded (by string), and the best remaining row answers whatever its
//     score.
// compute-accuracy quirks NOT reproduced (none occurs with the standard sets): it reads
// whitespace-separated tokens, so a line with 3 or 5 words shifts every later question (an
// error here); a question word that uppercases to "EXIT" ends a section; vocabulary words of 50
// bytes or more are glued to the next word; files with duplicate words keep all copies
// (io::read_vectors drops the later ones). Section totals: see AnalogySection::syntactic().
// Methods: 3CosAdd (cos(d,b) - cos(d,a) + cos(d,c), as a dot product with the target) and
// 3CosMul (Levy & Goldberg 2014, as gensim's most_similar_cosmul:
// ((1+cos(d,b))/2 * (1+cos(d,c))/2) / ((1+cos(d,a))/2 + 1e-6)).
#pragma once

#include <cstddef>
#include <cstdint>
#include <istream>
#include <string>
#include <vector>

#include "eval/case_fold.hpp"
#include "eval/eval_vocab.hpp"
#include "io/vectors_format.hpp"

namespace w2v::eval {

struct AnalogyQuestion {
  std::string a, b, c, d;
  std::size_t line = 0;
};

struct AnalogySection {
  std::string name;  // empty for questions before any ": section" line
  std::size_t line = 0;
  std::vector<AnalogyQuestion> questions;
  // "gram..." (questions-words.txt, as word2vec) or "syn..." (the Korean set's syn1_case, ...).
  bool syntactic() const { return name.rfind("gram", 0) == 0 || name.rfind("syn", 0) == 0; }
};

struct AnalogySet {
  std::string path;
  std::vector<AnalogySection> sections;
  std::size_t questions() const;
};

// `name` is used in error messages ("name:line: ...").
AnalogySet parse_analogies(std::istream& in, const std::string& name);
AnalogySet read_analogies(const std::string& path);

enum class AnalogyMethod { k3CosAdd, k3CosMul };
enum class AnalogyRules { kWord2vec, kGensim };

AnalogyMethod parse_analogy_method(const std::string& name);  // "3cosadd" | "3cosmul", else exit 2
const char* analogy_method_name(AnalogyMethod m);
AnalogyRules parse_analogy_rules(const std::string& name);  // "word2vec" | "gensim", else exit 2
const char* analogy_rules_name(AnalogyRules r);

struct AnalogyOptions {
  std::size_t restrict = 30000;  // 0 = the whole vocabulary
  AnalogyMethod method = AnalogyMethod::k3CosAdd;
  AnalogyRules rules = AnalogyRules::kWord2vec;
  CaseFold fold = CaseFold::kAscii;
  // Korean eojeol missing from the vocabulary are looked up through their stem (EvalVocab).
  bool stems = true;
  int threads = 0;  // 0 = OpenMP default
  // Surface forms of the corpus (a word-count file's words, most frequent first): each one the
  // first `restrict` rows lack, that ends in a known Korean suffix after a stem among those rows,
  // becomes a candidate row composed from the two: unit(stem) + unit(suffix). So 인터넷을 can
  // answer 자동차:자동차를 :: 인터넷:? against 인터넷의, 인터넷이, ... of the same corpus.
  const std::vector<std::string>* forms = nullptr;
};

// How many questions (or pairs) had every word in the vocabulary, how many needed a stem for at
// least one word, and how many could not be answered (a word with no row at all).
struct RouteCount {
  std::size_t vocabulary = 0, composed = 0, stem = 0, missing = 0;
  void add(Route r) {
    ++(r == Route::kVocabulary ? vocabulary
       : r == Route::kComposed ? composed
       : r == Route::kStem     ? stem
                               : missing);
  }
};

struct AnalogyCount {
  std::size_t correct = 0, seen = 0, total = 0;
  // Percent of seen questions answered correctly; 0 when none was seen.
  double accuracy() const { return seen == 0 ? 0.0 : 100.0 * static_cast<double>(correct) / seen; }
  // Percent of all questions answered correctly (an unanswerable one counts as wrong).
  double accuracy_of_all() const {
    return total == 0 ? 0.0 : 100.0 * static_cast<double>(correct) / total;
  }
  double coverage() const { return total == 0 ? 0.0 : 100.0 * static_cast<double>(seen) / total; }
  AnalogyCount& operator+=(const AnalogyCount& o) {
    correct += o.correct;
    seen += o.seen;
    total += o.total;
    return *this;
  }
};

struct AnalogySectionScore {
  std::string name;
  bool syntactic = false;
  AnalogyCount count;
};

struct AnalogyScore {
  std::vector<AnalogySectionScore> sections;
  AnalogyCount semantic, syntactic, overall;
  std::size_t vocab = 0;     // rows searched: min(restrict, vocabulary size) + composed
  std::size_t composed = 0;  // of them composed forms (AnalogyOptions::forms)
  RouteCount routes;
  // Per question in file order (sections concatenated): the answering row, or -1 when the question
  // was skipped or nothing scored above the threshold.
  std::vector<std::int64_t> answers;
};

// `words` and `matrix` are a vectors file's rows (not normalised), in file order.
AnalogyScore evaluate_analogies(const std::vector<std::string>& words, const Matrix& matrix,
                                const AnalogySet& set, const AnalogyOptions& options);
inline AnalogyScore evaluate_analogies(const io::Vectors& vectors, const AnalogySet& set,
                                       const AnalogyOptions& options) {
  return evaluate_analogies(vectors.words, vectors.matrix, set, options);
}

}  // namespace w2v::eval
