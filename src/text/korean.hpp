// Korean mode: splits an eojeol (a space-separated Korean word) into stem + particle/ending,
// learned from the corpus itself, with no dictionary of stems.
//
// The rules:
//  * The suffixes are a small closed set written here: particles (조사: 의 에서 으로 은 는 을 를
//    ...), their common combinations (에서는 으로의 ...), the copula (이다 였다 인 ...), the plural
//    들 (+ particle), and common verb endings and light verbs (었다 하는 했다 되었다 ...). A split
//    is only ever made at a syllable boundary, between a stem of at least one character and one
//    suffix of the set.
//  * Which eojeol are split is decided per stem from the corpus counts (the idea of soynlp's L-R
//    noun scores, reimplemented): for a candidate stem L, `support` = how often L stands alone plus
//    how often it is followed by a known suffix; `score` = support / how often L starts an eojeol
//    at all (서울특별시, 서울대학교 count against 서울; 사람, 사용 against 사). L is a stem when
//    score >= min_score, support >= min_support, and it is seen in at least two forms (alone or
//    with different suffixes).
//  * An eojeol that itself behaves like a stem (it takes particles often: 사이 → 사이에 사이의,
//    하나 → 하나의 하나로) stays whole, so 사이 is not cut into 사 + 이.
//  * Of several possible splits the one with the shortest stem that is a stem wins (서울에서는 →
//    서울 + 에서는).
// Examples (on the Korean Wikipedia demo corpus): 서울에서 → 서울 + 에서, 대한민국의 → 대한민국 +
// 의, 먹었다 → 먹 + 었다, 서울 → 서울, 사이 → 사이.
//
// The query side has only a vectors file: resolve() strips a known suffix when the remaining stem
// is in that file's vocabulary, so `w2v nearest 서울의` finds 서울.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vocab/counter.hpp"

namespace w2v::text::korean {

// True if `s` is one of the suffixes (particles and endings) of the closed set.
bool is_suffix(std::string_view s);
// The closed set, longest first.
const std::vector<std::string_view>& suffixes();

// Share of Hangul syllables among the letters of `text` (0 when it has no letters).
double hangul_share(std::string_view text);
// True when `text` is Hangul-dominant: enough letters and at least half of them Hangul.
bool is_hangul_dominant(std::string_view text);

struct SegmenterOptions {
  double min_score = 0.4;         // support / occurrences as the start of an eojeol
  std::uint64_t min_support = 5;  // occurrences alone or with a known suffix
  // An eojeol followed by known suffixes at least this often per occurrence alone is a stem
  // itself and stays whole.
  double whole_ratio = 0.5;
  int threads = 1;  // OpenMP threads for learning (the result does not depend on them)
};

struct SegmenterStats {
  std::uint64_t stems = 0;           // distinct stems found
  std::uint64_t split_distinct = 0;  // distinct eojeol split
  std::uint64_t split_tokens = 0;    // occurrences of the eojeol split
};

class Segmenter {
 public:
  static constexpr std::uint32_t kWhole = 0xFFFFFFFFu;

  // Learns the splits of every word of `eojeol` (word -> count) from those counts.
  static Segmenter learn(const vocab::Counter& eojeol, const SegmenterOptions& options = {});

  // Byte length of the stem of counter id `id`, or kWhole if the eojeol stays whole.
  std::uint32_t stem_bytes(std::uint32_t id) const { return stem_bytes_[id]; }
  const SegmenterStats& stats() const { return stats_; }

 private:
  std::vector<std::uint32_t> stem_bytes_;
  SegmenterStats stats_;
};

// Splits `word` (stem, suffix) with the learned table `seg` of `counter`, or {word, ""}.
std::pair<std::string_view, std::string_view> split(const Segmenter& seg,
                                                    const vocab::Counter& counter,
                                                    std::uint32_t id);

// The query side: `word` is not in the vocabulary; if it ends with a known suffix and the stem
// before it is (`known`), returns {stem, suffix}, taking the longest such suffix.
struct Resolved {
  std::string stem;
  std::string suffix;
};
std::optional<Resolved> resolve(std::string_view word,
                                const std::function<bool(std::string_view)>& known);

}  // namespace w2v::text::korean
