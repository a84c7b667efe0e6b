// Nearest neighbours by cosine similarity. A query of several words searches for the normalised
// sum of their unit vectors (as word2vec's `distance` and gensim's most_similar(positive=[...]));
// the query words themselves are never returned. Ties are broken by the word.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "query/index.hpp"
#include "query/scoring.hpp"
#include "query/topk.hpp"

namespace w2v::query {

// One result list per query; every query holds one or more row ids.
std::vector<Neighbours> nearest(const Index& index,
                                const std::vector<std::vector<std::uint32_t>>& queries,
                                const SearchOptions& options);

// The unit-length target of a query: sum of weights[i] * unit(ids[i]), normalised; all zero when
// the sum is zero (never NaN). `out` has index.stride() floats.
void combine_unit_vectors(const Index& index, const std::vector<std::uint32_t>& ids,
                          const std::vector<float>& weights, float* out);

}  // namespace w2v::query
