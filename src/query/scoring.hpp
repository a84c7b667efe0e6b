// Blocked scoring of many targets against the index: the kernel computes a tile of dot products
// (a block of query vectors x a block of rows, both padded to the index stride) and the search
// keeps a bounded top-k per query. A batch of queries is scored as matrix-matrix work: each block
// of rows is loaded into cache once for up to 64 queries. Rows are split over OpenMP threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "query/index.hpp"
#include "query/topk.hpp"
#include "util/isa.hpp"

namespace w2v::query {

// The program's one instruction-set choice (util/isa.hpp); tile kernels exist for each.
using QueryIsa = w2v::Isa;

// out[q * ld_out + r] = dot(queries + q * stride, rows + r * stride) for q < n_queries,
// r < n_rows. `stride` is a multiple of 16; rows and queries are 64-byte aligned.
void dot_tile(QueryIsa isa, const float* rows, std::size_t n_rows, const float* queries,
              std::size_t n_queries, std::size_t stride, float* out, std::size_t ld_out);
// Plain double-precision reference for tests.
void dot_tile_reference(const float* rows, std::size_t n_rows, const float* queries,
                        std::size_t n_queries, std::size_t stride, float* out, std::size_t ld_out);

// How a query's vector scores combine into its final score for a row.
enum class Combine {
  kCosine,  // one unit vector per query: the cosine
  kCosMul,  // three unit vectors (A, B, C): (1+cos A)/2 * (1+cos C)/2 / ((1+cos B)/2 + 1e-6)
};

struct SearchOptions {
  std::size_t k = 10;
  std::size_t max_rows = 0;  // search only the first max_rows rows (0: all), as restrict_vocab
  int threads = 0;           // 0: OpenMP's default
};

// `targets` holds n_queries * vectors_per_query(combine) padded vectors (index.stride() floats
// each, 64-byte aligned). exclude[q] lists rows never returned for query q.
std::vector<Neighbours> search(const Index& index, const float* targets, std::size_t n_queries,
                               Combine combine,
                               const std::vector<std::vector<std::uint32_t>>& exclude,
                               const SearchOptions& options);

std::size_t vectors_per_query(Combine combine);

}  // namespace w2v::query
