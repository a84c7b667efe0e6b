// t-SNE (van der Maaten & Hinton 2008), exact: a two-dimensional map that keeps each word's
// nearest neighbours near it, for `w2v plot --projection tsne` (--top maps of hundreds of words).
//
// Input distances are squared Euclidean between the rows (on unit rows: 2 - 2 cos). Each point's
// Gaussian bandwidth is found by bisection so its neighbourhood has the given perplexity (capped
// at (n - 1) / 3); P is symmetrised. The map starts from Gaussian noise (sd 1e-4) drawn from
// `seed`, then 1000 steps of gradient descent with momentum (0.5, then 0.8) and per-coordinate
// gains, early exaggeration 12 for the first 250 steps, learning rate max(200, n / 12). The
// O(n^2) gradient is computed row by row (threads split the rows; every sum runs in a fixed
// order), so a seed gives the same map on any thread count. Distances between clusters and the
// axes mean nothing, only who is near whom.
#pragma once

#include <cstddef>
#include <cstdint>

#include "plot/pca.hpp"

namespace w2v::plot {

struct TsneOptions {
  double perplexity = 30;
  int iterations = 1000;
  std::uint64_t seed = 1;
};

inline constexpr std::size_t kTsneMaxRows = 3000;

// Throws w2v::Error when rows < 2 or rows > kTsneMaxRows. `variance`/`explained` stay zero.
Projection tsne_2d(const float* data, std::size_t rows, std::size_t dim, std::size_t stride,
                   const TsneOptions& options);

}  // namespace w2v::plot
