// Principal component analysis of a few hundred or thousand vectors down to two dimensions, for
// `w2v plot`.
//
// The rows are centred; the top two eigenvectors come from a cyclic Jacobi eigensolver (exact,
// deterministic, no random start) run on the smaller of the d x d scatter matrix X^T X and the
// n x n Gram matrix X X^T. Sign convention: each component is flipped so that its largest score
// by absolute value (the first such point on a tie) is positive, so a plot never mirrors between
// runs, machines or the two solver paths.
#pragma once

#include <array>
#include <cstddef>
#include <vector>

namespace w2v::plot {

struct Projection {
  std::vector<std::array<double, 2>> points;  // one (PC1, PC2) score per input row
  std::array<double, 2> variance{};           // variance along PC1 and PC2 (divided by n)
  std::array<double, 2> explained{};          // share of the total variance, 0..1
};

// `rows` vectors of `dim` floats, row r at data + r * stride. Throws w2v::Error when rows < 1,
// dim < 1, or both rows and dim exceed 4000 (the eigensolver would take too long).
Projection pca_2d(const float* data, std::size_t rows, std::size_t dim, std::size_t stride);

// For `w2v plot --pairs`: axis 1 is the mean of the pairs' difference vectors (row to minus row
// from), normalised, so every pair's offset is measured along one shared direction and parallel
// offsets look parallel; axis 2 is the first principal component of the rows with their axis-1
// part removed. Origin at the rows' mean; `explained` is each axis' share of the total variance.
// Falls back to pca_2d when the mean difference is zero. Throws w2v::Error on a bad pair index.
Projection offset_2d(const float* data, std::size_t rows, std::size_t dim, std::size_t stride,
                     const std::vector<std::array<std::size_t, 2>>& pairs);

// Eigen-decomposition of a symmetric n x n matrix (row-major, overwritten). Eigenvalues in
// descending order; eigenvector k is column k of `vectors` (row-major n x n). Exposed for tests.
void symmetric_eigen(std::vector<double>& a, std::size_t n, std::vector<double>& values,
                     std::vector<double>& vectors);

}  // namespace w2v::plot
