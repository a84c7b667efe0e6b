// Query index over a vectors file: words, a word -> row map, and the L2-normalised rows in one
// contiguous matrix (row stride = dim rounded up to 16 floats, padding zero). A zero vector stays
// zero (its cosine with anything is 0, never NaN).
//
// Built from parsed vectors (owning its arrays), or over an index file mapped into memory
// (query/index_file.hpp: the same arrays, nothing parsed or copied).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
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

  std::size_t size() const { return rows_; }
  std::size_t dim() const { return dim_; }
  std::size_t stride() const { return stride_; }
  std::string_view word(std::uint32_t id) const { return words_[id]; }
  const WordTable& words() const { return words_; }
  // Exact (byte) lookup; kNone if absent. The first occurrence wins for duplicate words.
  std::uint32_t find(std::string_view word) const;
  // Unit-length row (padded to stride()).
  const float* unit(std::uint32_t id) const { return unit_data() + id * stride_; }
  // All unit rows, size() x stride().
  const float* unit_data() const { return view_.unit != nullptr ? view_.unit : unit_.data(); }
  // The vector as stored in the file (not normalised), dim() floats.
  const float* raw(std::uint32_t id) const {
    return (view_.raw != nullptr ? view_.raw : raw_.data()) + id * dim_;
  }
  float norm(std::uint32_t id) const {
    return view_.norms != nullptr ? view_.norms[id] : norms_[id];
  }
  const std::string& format() const { return format_; }
  bool mapped() const { return view_.keep != nullptr; }

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
};

}  // namespace w2v::query
