// k-means of unit vectors, for `w2v clusters` (word2vec.c's -classes, done properly): rows are
// L2-normalised (a zero row stays zero), seeded by k-means++ and refined by Lloyd iterations on
// Euclidean distance. Deterministic for a seed whatever the number of OpenMP threads: each
// row's distances are computed alone, and every sum runs in row order on one thread.
#pragma once

#include <cstdint>
#include <vector>

#include "util/matrix.hpp"

namespace w2v::cluster {

struct KMeansOptions {
  std::uint32_t k = 500;
  int iterations = 10;  // Lloyd iterations at most (fewer when no row changes cluster)
  std::uint64_t seed = 1;
};

struct KMeansResult {
  std::vector<std::uint32_t> cluster;  // per row, 0..k-1
  int iterations = 0;                  // Lloyd iterations run
  double inertia = 0;                  // sum of squared distances to the centroids
  std::uint32_t empty = 0;             // clusters left without rows at the end
};

// Throws w2v::Error (exit 2) when k is 0 or larger than the number of rows.
KMeansResult kmeans(const Matrix& rows, const KMeansOptions& options);

}  // namespace w2v::cluster
