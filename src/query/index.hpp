// Query index over a vectors file: words, a word -> row map, and the L2-normalised rows in one
// contiguous matrix (row stride = dim rounded up to 16 floats, padding zero). A zero vector stays
// zero (its cosine with anything is 0, never NaN).
//
// Built from parsed vectors (owning its arrays), or over an index file mapped into memory
// (query/index_file.hpp: the same arrays, nothing parsed or copied). A fastText model with
// n-grams also gives vectors to words outside its vocabulary (compose()).
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
#include "query/word_table.hpp"
#include "util/matrix.hpp"

namespace w2v::query {

// The arrays of an index held elsewhere (a mapped file), kept alive by `keep`.
struct IndexView {
  std::shared_ptr<const void> keep;
  std::size_t rows = 0, dim = 0, stride = 0;
  const float* unit = nullptr;   // rows x stride
  const float* raw = nullptr;    // rows x dim
  const float* norms = nullptr;  // rows
  WordTable words;
  std::string format;
};

class Index {
 public:
  static constexpr std::uint32_t kNone = WordTable::kNone;

  Index() = default;
  // Takes the words and normalises the rows of `vectors`.
  explicit Index(io::Vectors vectors);
  // Over mapped arrays; `limit` > 0 uses only the first `limit` rows.
  explicit Index(IndexView view, std::size_t limit = 0);

  // Rows searched; ids from size() on are composed words (see compose()).
  std::size_t size() const { return rows_; }
  std::size_t dim() const { return dim_; }
  std::size_t stride() const { return stride_; }
  std::string_view word(std::uint32_t id) const {
    return id < rows_ ? words_[id] : std::string_view(composed_[id - rows_].word);
  }
  const WordTable& words() const { return words_; }
  // Exact (byte) lookup; kNone if absent. The first occurrence wins for duplicate words.
  std::uint32_t find(std::string_view word) const;
  // Unit-length row (padded to stride()).
  const float* unit(std::uint32_t id) const {
    return id < rows_ ? unit_data() + id * stride_ : composed_[id - rows_].unit.data();
  }
  // All unit rows, size() x stride().
  const float* unit_data() const { return view_.unit != nullptr ? view_.unit : unit_.data(); }
  // The vector as stored in the file (not normalised), dim() floats.
  const float* raw(std::uint32_t id) const {
    if (id >= rows_) return composed_[id - rows_].raw.data();
    return (view_.raw != nullptr ? view_.raw : raw_.data()) + id * dim_;
  }
  float norm(std::uint32_t id) const {
    if (id >= rows_) return composed_[id - rows_].norm;
    return view_.norms != nullptr ? view_.norms[id] : norms_[id];
  }
  const std::string& format() const { return format_; }
  bool mapped() const { return view_.keep != nullptr; }

  // Words outside the file's vocabulary (fastText models with n-grams): true when the model can
  // give them vectors.
  bool can_compose() const { return subwords_ != nullptr; }
  // A vector for `word` from its character n-grams (mean of their rows, as fastText): a new id
  // >= size(), kept for later lookups of the same word (searches never return it). kNone when
  // the model has no n-grams or the word none. `ngrams` is set to their number. Not for use
  // from several threads at once.
  std::uint32_t compose(std::string_view word, std::size_t& ngrams) const;
  bool composed(std::uint32_t id) const { return id >= rows_; }

 private:
  WordTable words_;
  Matrix raw_;
  Matrix unit_;
  std::vector<float> norms_;
  IndexView view_;
  std::size_t rows_ = 0;
  std::size_t dim_ = 0;
  std::size_t stride_ = 16;
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
