// Query index over a vectors file: words, a word -> row map, and the L2-normalised rows in one
// contiguous matrix (row stride = dim rounded up to 16 floats, padding zero). A zero vector stays
// zero (its cosine with anything is 0, never NaN).
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "io/vectors_format.hpp"
#include "util/matrix.hpp"
#include "vocab/counter.hpp"

namespace w2v::query {

class Index {
 public:
  static constexpr std::uint32_t kNone = 0xFFFFFFFFu;

  Index() = default;
  // Takes the words and normalises the rows of `vectors`.
  explicit Index(io::Vectors vectors);

  std::size_t size() const { return words_.size(); }
  std::size_t dim() const { return dim_; }
  std::size_t stride() const { return unit_.cols(); }
  // Ids from size() on are composed words (see compose()).
  const std::string& word(std::uint32_t id) const {
    return id < words_.size() ? words_[id] : composed_[id - words_.size()].word;
  }
  const std::vector<std::string>& words() const { return words_; }
  // Exact (byte) lookup; kNone if absent. The first occurrence wins for duplicate words.
  std::uint32_t find(std::string_view word) const;
  // Unit-length row (padded to stride()).
  const float* unit(std::uint32_t id) const {
    return id < words_.size() ? unit_.row(id) : composed_[id - words_.size()].unit.data();
  }
  const Matrix& unit_matrix() const { return unit_; }
  // The vector as stored in the file (not normalised), dim() floats.
  const float* raw(std::uint32_t id) const {
    return id < words_.size() ? raw_.row(id) : composed_[id - words_.size()].raw.data();
  }
  float norm(std::uint32_t id) const {
    return id < words_.size() ? norms_[id] : composed_[id - words_.size()].norm;
  }

  // Words outside the file's vocabulary (fastText models with n-grams): true when the model can
  // give them vectors.
  bool can_compose() const { return subwords_ != nullptr; }
  // A vector for `word` from its character n-grams (mean of their rows, as fastText): a new id
  // >= size(), kept for later lookups of the same word (searches never return it). kNone when
  // the model has no n-grams or the word none. `ngrams` is set to their number. Not for use
  // from several threads at once.
  std::uint32_t compose(std::string_view word, std::size_t& ngrams) const;
  bool composed(std::uint32_t id) const { return id >= words_.size(); }
  const std::string& format() const { return format_; }

 private:
  std::vector<std::string> words_;
  vocab::Counter lookup_{0};
  std::vector<std::uint32_t> rows_;  // lookup_ id -> row
  Matrix raw_;
  Matrix unit_;
  std::vector<float> norms_;
  std::size_t dim_ = 0;
  std::string format_;
  std::shared_ptr<const io::fasttext::Subwords> subwords_;
  struct Composed {
    std::string word;
    std::vector<float> raw, unit;  // unit: padded to stride()
    float norm = 0;
  };
  // A cache of looked-up words, filled by the const compose(): the index's searchable content
  // does not change.
  mutable std::deque<Composed> composed_;
  mutable std::unordered_map<std::string, std::uint32_t> composed_ids_;
};

}  // namespace w2v::query
