// Query index over a vectors file: words, a word -> row map, and the L2-normalised rows in one
// contiguous matrix (row stride = dim rounded up to 16 floats, padding zero). A zero vector stays
// zero (its cosine with anything is 0, never NaN).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
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
  const std::string& word(std::uint32_t id) const { return words_[id]; }
  const std::vector<std::string>& words() const { return words_; }
  // Exact (byte) lookup; kNone if absent. The first occurrence wins for duplicate words.
  std::uint32_t find(std::string_view word) const;
  // Unit-length row (padded to stride()).
  const float* unit(std::uint32_t id) const { return unit_.row(id); }
  const Matrix& unit_matrix() const { return unit_; }
  // The vector as stored in the file (not normalised), dim() floats.
  const float* raw(std::uint32_t id) const { return raw_.row(id); }
  float norm(std::uint32_t id) const { return norms_[id]; }
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
};

}  // namespace w2v::query
