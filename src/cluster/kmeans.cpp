#include "cluster/kmeans.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "util/error.hpp"
#include "util/rng.hpp"
#include "util/stop.hpp"

namespace w2v::cluster {
namespace {

// Dot product with four fixed accumulators: the same result for a row on any thread.
float dot(const float* a, const float* b, std::size_t n) {
  float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    s0 += a[i] * b[i];
    s1 += a[i + 1] * b[i + 1];
    s2 += a[i + 2] * b[i + 2];
    s3 += a[i + 3] * b[i + 3];
  }
  for (; i < n; ++i) s0 += a[i] * b[i];
  return (s0 + s1) + (s2 + s3);
}

float squared_distance(const float* a, const float* b, std::size_t n) {
  float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    const float d0 = a[i] - b[i], d1 = a[i + 1] - b[i + 1];
    const float d2 = a[i + 2] - b[i + 2], d3 = a[i + 3] - b[i + 3];
    s0 += d0 * d0;
    s1 += d1 * d1;
    s2 += d2 * d2;
    s3 += d3 * d3;
  }
  for (; i < n; ++i) {
    const float d = a[i] - b[i];
    s0 += d * d;
  }
  return (s0 + s1) + (s2 + s3);
}

}  // namespace

KMeansResult kmeans(const Matrix& input, const KMeansOptions& o) {
  const std::size_t n = input.rows(), dim = input.cols();
  if (o.k == 0 || o.k > n) {
    throw Error(fmt::format("-k {} must be between 1 and the number of words ({})", o.k, n),
                kExitUsage);
  }
  const std::size_t k = o.k;
  const auto sn = static_cast<std::int64_t>(n);
  const auto sk = static_cast<std::int64_t>(k);

  // Unit rows.
  Matrix x(n, dim);
#pragma omp parallel for schedule(static)
  for (std::int64_t i = 0; i < sn; ++i) {
    const float* src = input.row(static_cast<std::size_t>(i));
    float* dst = x.row(static_cast<std::size_t>(i));
    const float len = std::sqrt(dot(src, src, dim));
    const float scale = len > 0 ? 1.0f / len : 0.0f;
    for (std::size_t d = 0; d < dim; ++d) dst[d] = src[d] * scale;
  }

  // k-means++: each next centre is a row drawn with probability proportional to its squared
  // distance to the nearest centre so far.
  Matrix centre(k, dim);
  Rng rng(o.seed);
  std::vector<float> nearest(n, std::numeric_limits<float>::max());
  std::size_t pick = rng.below(static_cast<std::uint32_t>(n));
  for (std::size_t c = 0; c < k; ++c) {
    std::copy_n(x.row(pick), dim, centre.row(c));
    const float* cp = centre.row(c);
#pragma omp parallel for schedule(static)
    for (std::int64_t i = 0; i < sn; ++i) {
      const auto r = static_cast<std::size_t>(i);
      nearest[r] = std::min(nearest[r], squared_distance(x.row(r), cp, dim));
    }
    if (c + 1 == k) break;
    throw_if_stopped();
    double total = 0;
    for (const float d : nearest) total += d;
    if (total <= 0) {  // every row coincides with a centre: any row will do
      pick = rng.below(static_cast<std::uint32_t>(n));
      continue;
    }
    const double target = static_cast<double>(rng.next() >> 11) * 0x1.0p-53 * total;
    double run = 0;
    pick = n;
    for (std::size_t r = 0; r < n; ++r) {
      if (nearest[r] <= 0) continue;
      run += nearest[r];
      pick = r;
      if (run > target) break;
    }
  }

  // Lloyd iterations.
  KMeansResult res;
  res.cluster.assign(n, 0);
  std::vector<float> norm2(k);
  std::vector<float> best_d(n);
  std::vector<std::size_t> first(k + 1), members(n);
  std::vector<double> sum(dim);
  bool assigned = false;
  for (int it = 0; it < std::max(1, o.iterations); ++it) {
    throw_if_stopped();
    for (std::size_t c = 0; c < k; ++c) norm2[c] = dot(centre.row(c), centre.row(c), dim);
    std::int64_t changed = 0;
#pragma omp parallel for schedule(dynamic, 256) reduction(+ : changed)
    for (std::int64_t i = 0; i < sn; ++i) {
      const auto r = static_cast<std::size_t>(i);
      const float* xr = x.row(r);
      std::uint32_t best = 0;
      float bd = std::numeric_limits<float>::max();
      for (std::size_t c = 0; c < k; ++c) {
        const float d = norm2[c] - 2 * dot(xr, centre.row(c), dim);
        if (d < bd) {
          bd = d;
          best = static_cast<std::uint32_t>(c);
        }
      }
      if (!assigned || best != res.cluster[r]) ++changed;
      res.cluster[r] = best;
      best_d[r] = bd + dot(xr, xr, dim);
    }
    assigned = true;
    res.iterations = it + 1;
    if (changed == 0 || it + 1 == std::max(1, o.iterations)) break;
    // Members of each cluster in row order (a counting sort), then each centroid on one thread.
    std::fill(first.begin(), first.end(), 0);
    for (const std::uint32_t c : res.cluster) ++first[c + 1];
    for (std::size_t c = 0; c < k; ++c) first[c + 1] += first[c];
    std::vector<std::size_t> at(first.begin(), first.end() - 1);
    for (std::size_t r = 0; r < n; ++r) members[at[res.cluster[r]]++] = r;
#pragma omp parallel for schedule(dynamic, 4) firstprivate(sum)
    for (std::int64_t c = 0; c < sk; ++c) {
      const auto cc = static_cast<std::size_t>(c);
      if (first[cc] == first[cc + 1]) continue;  // empty: keep the old centre
      std::fill(sum.begin(), sum.end(), 0.0);
      for (std::size_t m = first[cc]; m < first[cc + 1]; ++m) {
        const float* xr = x.row(members[m]);
        for (std::size_t d = 0; d < dim; ++d) sum[d] += xr[d];
      }
      const double count = static_cast<double>(first[cc + 1] - first[cc]);
      float* cp = centre.row(cc);
      for (std::size_t d = 0; d < dim; ++d) cp[d] = static_cast<float>(sum[d] / count);
    }
  }
  std::vector<std::uint8_t> used(k, 0);
  for (std::size_t r = 0; r < n; ++r) {
    used[res.cluster[r]] = 1;
    res.inertia += std::max(0.0, static_cast<double>(best_d[r]));
  }
  res.empty = static_cast<std::uint32_t>(std::count(used.begin(), used.end(), 0));
  return res;
}

}  // namespace w2v::cluster
