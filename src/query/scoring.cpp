#include "query/scoring.hpp"

#include <omp.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <limits>

#include "util/matrix.hpp"

namespace w2v::query {
namespace {

// Native vector widths: each ISA's function uses its own register size (wider generic vectors
// are lowered badly by GCC when the target lacks them).
using v4 = float __attribute__((vector_size(16)));
using v8 = float __attribute__((vector_size(32)));
using v16 = float __attribute__((vector_size(64)));

// The tile body: QN queries against RN rows at a time, one vector V per step, so each load of a
// row serves QN queries. Compiled into each ISA's function below (always_inline keeps the
// caller's target options); QN x RN is chosen to keep the accumulators in registers.
template <typename V, int QN, int RN>
__attribute__((always_inline)) inline void micro_tile(const float* rows, const float* queries,
                                                      std::size_t stride, float* out,
                                                      std::size_t ld_out) {
  constexpr int kLanes = sizeof(V) / sizeof(float);
  V acc[QN][RN];
  for (int i = 0; i < QN; ++i) {
    for (int j = 0; j < RN; ++j) acc[i][j] = V{};
  }
  for (std::size_t d = 0; d < stride; d += kLanes) {
    V x[QN];
    for (int i = 0; i < QN; ++i) std::memcpy(&x[i], queries + i * stride + d, sizeof(V));
    for (int j = 0; j < RN; ++j) {
      V m;
      std::memcpy(&m, rows + j * stride + d, sizeof m);
      for (int i = 0; i < QN; ++i) acc[i][j] += x[i] * m;
    }
  }
  for (int i = 0; i < QN; ++i) {
    for (int j = 0; j < RN; ++j) {
      float s = 0;
      for (int l = 0; l < kLanes; ++l) s += acc[i][j][l];
      out[i * ld_out + j] = s;
    }
  }
}

template <typename V, int QN, int RN>
__attribute__((always_inline)) inline void tile_body(const float* rows, std::size_t n_rows,
                                                     const float* queries, std::size_t n_queries,
                                                     std::size_t stride, float* out,
                                                     std::size_t ld_out) {
  std::size_t q = 0;
  for (; q + QN <= n_queries; q += QN) {
    std::size_t r = 0;
    for (; r + RN <= n_rows; r += RN) {
      micro_tile<V, QN, RN>(rows + r * stride, queries + q * stride, stride, out + q * ld_out + r,
                            ld_out);
    }
    for (; r < n_rows; ++r) {
      micro_tile<V, QN, 1>(rows + r * stride, queries + q * stride, stride, out + q * ld_out + r,
                           ld_out);
    }
  }
  for (; q < n_queries; ++q) {
    std::size_t r = 0;
    for (; r + RN <= n_rows; r += RN) {
      micro_tile<V, 1, RN>(rows + r * stride, queries + q * stride, stride, out + q * ld_out + r,
                           ld_out);
    }
    for (; r < n_rows; ++r) {
      micro_tile<V, 1, 1>(rows + r * stride, queries + q * stride, stride, out + q * ld_out + r,
                          ld_out);
    }
  }
}

void tile_sse2(const float* rows, std::size_t n_rows, const float* queries, std::size_t n_queries,
               std::size_t stride, float* out, std::size_t ld_out) {
  tile_body<v4, 2, 4>(rows, n_rows, queries, n_queries, stride, out, ld_out);
}

__attribute__((target("avx2,fma"))) void tile_avx2(const float* rows, std::size_t n_rows,
                                                   const float* queries, std::size_t n_queries,
                                                   std::size_t stride, float* out,
                                                   std::size_t ld_out) {
  tile_body<v8, 2, 4>(rows, n_rows, queries, n_queries, stride, out, ld_out);
}

__attribute__((target("avx512f,avx2,fma"))) void tile_avx512(const float* rows, std::size_t n_rows,
                                                             const float* queries,
                                                             std::size_t n_queries,
                                                             std::size_t stride, float* out,
                                                             std::size_t ld_out) {
  tile_body<v16, 4, 4>(rows, n_rows, queries, n_queries, stride, out, ld_out);
}

constexpr std::size_t kRowBlock = 64;  // rows per tile (64 x 300 floats ~ 77 KB, in L2)

struct Excluded {
  const std::vector<std::uint32_t>* ids;
  bool contains(std::uint32_t id) const {
    return std::find(ids->begin(), ids->end(), id) != ids->end();
  }
};

}  // namespace

void dot_tile(QueryIsa isa, const float* rows, std::size_t n_rows, const float* queries,
              std::size_t n_queries, std::size_t stride, float* out, std::size_t ld_out) {
  switch (isa) {
    case QueryIsa::kAvx512:
      tile_avx512(rows, n_rows, queries, n_queries, stride, out, ld_out);
      return;
    case QueryIsa::kAvx2:
      tile_avx2(rows, n_rows, queries, n_queries, stride, out, ld_out);
      return;
    case QueryIsa::kScalar:
      tile_sse2(rows, n_rows, queries, n_queries, stride, out, ld_out);
      return;
  }
}

void dot_tile_reference(const float* rows, std::size_t n_rows, const float* queries,
                        std::size_t n_queries, std::size_t stride, float* out, std::size_t ld_out) {
  for (std::size_t q = 0; q < n_queries; ++q) {
    for (std::size_t r = 0; r < n_rows; ++r) {
      double s = 0;
      for (std::size_t d = 0; d < stride; ++d) {
        s += static_cast<double>(queries[q * stride + d]) * rows[r * stride + d];
      }
      out[q * ld_out + r] = static_cast<float>(s);
    }
  }
}

std::size_t vectors_per_query(Combine combine) {
  return combine == Combine::kCosMul ? 3 : 1;
}

std::vector<Neighbours> search(const Index& index, const float* targets, std::size_t n_queries,
                               Combine combine,
                               const std::vector<std::vector<std::uint32_t>>& exclude,
                               const SearchOptions& options) {
  std::vector<Neighbours> results(n_queries);
  std::size_t n_rows = index.size();
  if (options.max_rows != 0) n_rows = std::min(n_rows, options.max_rows);
  const std::size_t k = std::min(options.k, n_rows);
  if (n_queries == 0 || n_rows == 0 || k == 0) return results;

  const std::size_t stride = index.stride();
  const std::size_t vpq = vectors_per_query(combine);
  const std::size_t q_block = combine == Combine::kCosMul ? 32 : 64;
  const float* matrix = index.unit_data();
  const QueryIsa isa = best_isa();
  static const std::vector<std::uint32_t> kNoExclude;

  // Threads split the rows; small jobs stay on one thread.
  int threads = options.threads > 0 ? options.threads : omp_get_max_threads();
  const double work = static_cast<double>(n_rows) * static_cast<double>(stride) *
                      static_cast<double>(std::min(n_queries, q_block) * vpq);
  if (work < 4e6) threads = 1;
  threads = std::max(1, std::min<int>(threads, static_cast<int>(n_rows / kRowBlock) + 1));

  for (std::size_t q0 = 0; q0 < n_queries; q0 += q_block) {
    const std::size_t nq = std::min(q_block, n_queries - q0);
    std::vector<std::vector<TopK>> partial(static_cast<std::size_t>(threads));
#pragma omp parallel num_threads(threads)
    {
      const auto t = static_cast<std::size_t>(omp_get_thread_num());
      const auto nt = static_cast<std::size_t>(omp_get_num_threads());
      std::vector<TopK>& tops = partial[t];
      tops.reserve(nq);
      for (std::size_t q = 0; q < nq; ++q) tops.emplace_back(k, &index.words());
      std::vector<Excluded> excl(nq);
      for (std::size_t q = 0; q < nq; ++q) {
        excl[q].ids = q0 + q < exclude.size() ? &exclude[q0 + q] : &kNoExclude;
      }
      Matrix tile(nq * vpq, kRowBlock);
      // Contiguous row range per thread, in whole blocks.
      const std::size_t blocks = (n_rows + kRowBlock - 1) / kRowBlock;
      const std::size_t b_begin = blocks * t / nt;
      const std::size_t b_end = blocks * (t + 1) / nt;
      for (std::size_t b = b_begin; b < b_end; ++b) {
        const std::size_t r0 = b * kRowBlock;
        const std::size_t nr = std::min(kRowBlock, n_rows - r0);
        dot_tile(isa, matrix + r0 * stride, nr, targets + q0 * vpq * stride, nq * vpq, stride,
                 tile.data(), kRowBlock);
        for (std::size_t q = 0; q < nq; ++q) {
          TopK& top = tops[q];
          float thr = top.threshold();
          if (combine == Combine::kCosine) {
            const float* s = tile.row(q);
            for (std::size_t r = 0; r < nr; ++r) {
              if (s[r] < thr) continue;
              const auto id = static_cast<std::uint32_t>(r0 + r);
              if (excl[q].contains(id)) continue;
              top.push(id, s[r]);
              thr = top.threshold();
            }
          } else {
            const float* sa = tile.row(q * 3);
            const float* sb = tile.row(q * 3 + 1);
            const float* sc = tile.row(q * 3 + 2);
            for (std::size_t r = 0; r < nr; ++r) {
              const float pa = (1.0f + sa[r]) / 2.0f;
              const float pb = (1.0f + sb[r]) / 2.0f;
              const float pc = (1.0f + sc[r]) / 2.0f;
              const float s = pa * pc / (pb + 1e-6f);
              if (s < thr) continue;
              const auto id = static_cast<std::uint32_t>(r0 + r);
              if (excl[q].contains(id)) continue;
              top.push(id, s);
              thr = top.threshold();
            }
          }
        }
      }
    }
    for (std::size_t q = 0; q < nq; ++q) {
      TopK& top = partial[0][q];
      for (std::size_t t = 1; t < partial.size(); ++t) {
        if (!partial[t].empty()) top.merge(partial[t][q]);
      }
      results[q0 + q] = top.take_sorted();
    }
  }
  return results;
}

}  // namespace w2v::query
