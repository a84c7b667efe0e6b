// One flat, row-major, 64-byte aligned float buffer. Files never carry the padding.
#pragma once

#include <cstddef>
#include <cstdlib>
#include <utility>

#include "util/aligned.hpp"

namespace w2v {

// The one stride rule: every float matrix that a kernel reads (the training matrices, the query
// index, checkpoints in memory) pads each row to a multiple of 16 floats, with zeros: 64 bytes,
// one cache line and one AVX-512 register, so that no kernel needs a scalar tail. (At least one
// block: a model of dimension 0 still has rows to point at.)
constexpr std::size_t kStrideFloats = 16;
constexpr std::size_t padded_stride(std::size_t dim) {
  return dim == 0 ? kStrideFloats : (dim + kStrideFloats - 1) / kStrideFloats * kStrideFloats;
}

class Matrix {
 public:
  Matrix() = default;
  Matrix(std::size_t rows, std::size_t cols) : rows_(rows), cols_(cols) {
    data_ = static_cast<float*>(aligned_zeroed(rows * cols * sizeof(float)));
  }
  Matrix(const Matrix&) = delete;
  Matrix& operator=(const Matrix&) = delete;
  Matrix(Matrix&& o) noexcept
      : rows_(std::exchange(o.rows_, 0)),
        cols_(std::exchange(o.cols_, 0)),
        data_(std::exchange(o.data_, nullptr)) {}
  Matrix& operator=(Matrix&& o) noexcept {
    if (this != &o) {
      std::free(data_);
      rows_ = std::exchange(o.rows_, 0);
      cols_ = std::exchange(o.cols_, 0);
      data_ = std::exchange(o.data_, nullptr);
    }
    return *this;
  }
  ~Matrix() { std::free(data_); }

  std::size_t rows() const noexcept { return rows_; }
  std::size_t cols() const noexcept { return cols_; }
  float* data() noexcept { return data_; }
  const float* data() const noexcept { return data_; }
  float* row(std::size_t r) noexcept { return data_ + r * cols_; }
  const float* row(std::size_t r) const noexcept { return data_ + r * cols_; }

 private:
  std::size_t rows_ = 0;
  std::size_t cols_ = 0;
  float* data_ = nullptr;
};

}  // namespace w2v
